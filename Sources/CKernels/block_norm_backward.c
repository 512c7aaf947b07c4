#include "levels.h"

// BlockNormBackward.swift's loop (LayerNorm, GroupNorm, RMSNorm backward), the Swift code's
// operations in its order: each block's Σg and Σg·x̂ element by element (sequential, as before),
// dγ and dβ per parameter block after block, then dx element by element. The Swift side only
// calls this on finite x, dy and γ, where every NaN that can arise is the default NaN, so the
// order the compiler puts the operands of + and * in cannot show.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_block_norm_backward_body(const float *restrict x, const float *restrict dy, int64_t blocks, int64_t blockSize,
                                               int64_t run, int64_t parameters, const double *restrict mean,
                                               const double *restrict inverseStd, int32_t centred, const double *restrict gamma,
                                               double *restrict dgamma, double *restrict dbeta, float *restrict dx) {
    const double m = (double)blockSize;
    const int64_t runs = blockSize / run;
    for (int64_t block = 0; block < blocks; block++) {
        const int64_t base = block * blockSize, first = (base / run) % parameters;
        const float *xb = x + base, *gb = dy + base;
        const double *k = gamma + first;
        double *a = dgamma + first, *b = dbeta + first;
        float *out = dx + base;
        const double mu = mean[block], s = inverseStd[block];
        double sumG = 0, sumGXHat = 0;
        if (run == 1) {
            // One γ per element (LayerNorm, RMSNorm): only the two block sums are sequential;
            // dγ, dβ and dx are independent per element, so those loops run at the vector width.
            for (int64_t e = 0; e < blockSize; e++) {
                const double xHat = ((double)xb[e] - mu) * s, g = (double)gb[e] * k[e];
                sumG += g;
                sumGXHat += g * xHat;
            }
            for (int64_t e = 0; e < blockSize; e++) {
                const double d = (double)gb[e];
                a[e] += d * (((double)xb[e] - mu) * s);
                b[e] += d;
            }
            if (!centred) sumG = 0;
            const double scale = s / m;
            for (int64_t e = 0; e < blockSize; e++) {
                const double xHat = ((double)xb[e] - mu) * s, g = (double)gb[e] * k[e];
                out[e] = (float)(scale * (m * g - sumG - xHat * sumGXHat));
            }
            continue;
        }
        // One γ per run of positions (GroupNorm): γ, dγ and dβ change once per run.
        for (int64_t r = 0; r < runs; r++) {
            const double kr = k[r];
            for (int64_t e = r * run; e < (r + 1) * run; e++) {
                const double xHat = ((double)xb[e] - mu) * s, g = (double)gb[e] * kr;
                sumG += g;
                sumGXHat += g * xHat;
            }
        }
        for (int64_t r = 0; r < runs; r++) {
            double ar = a[r], br = b[r];
            for (int64_t e = r * run; e < (r + 1) * run; e++) {
                const double d = (double)gb[e];
                ar += d * (((double)xb[e] - mu) * s);
                br += d;
            }
            a[r] = ar, b[r] = br;
        }
        if (!centred) sumG = 0;
        const double scale = s / m;
        for (int64_t r = 0; r < runs; r++) {
            const double kr = k[r];
            const float *xr = xb + r * run, *gr = gb + r * run;
            float *o = out + r * run;
            for (int64_t e = 0; e < run; e++) {
                const double xHat = ((double)xr[e] - mu) * s, g = (double)gr[e] * kr;
                o[e] = (float)(scale * (m * g - sumG - xHat * sumGXHat));
            }
        }
    }
}

BNLAB_KERNEL_LEVELS(bnlab_block_norm_backward,
                    (const float *x, const float *dy, int64_t blocks, int64_t blockSize, int64_t run, int64_t parameters,
                     const double *mean, const double *inverseStd, int32_t centred, const double *gamma, double *dgamma,
                     double *dbeta, float *dx),
                    (x, dy, blocks, blockSize, run, parameters, mean, inverseStd, centred, gamma, dgamma, dbeta, dx))
