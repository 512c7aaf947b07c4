#include "levels.h"
#include "vectors.h"

// BatchNorm backward's inner loops (ChannelGradientSums.swift), float32 data in float64. They were
// Swift SIMD loops; each keeps those loops' operations in their order, element by element, and
// the row sums keep the Swift code's eight lanes (lane l takes elements l, l + 8, l + 16, … in
// order), handed back for Swift to add up as before — so every level gives the Swift code's bits
// (and, where two NaNs meet, the same NaN at every level: see keep8).
#pragma STDC FP_CONTRACT OFF

typedef long long v8l __attribute__((vector_size(64)));

// When both operands of + or * are NaN, IEEE 754 leaves open whose NaN the result carries, and the
// C compiler may swap the operands (differently at each level). So each loop runs plainly, and
// only if a NaN comes out (sums) or goes in (a NaN constant, dx) runs again with the winner fixed
// (as the Swift SIMD loops' main body had it): an accumulator's NaN over the added term's, x − μ's
// over dy's, and the streamed value's over a per-channel constant's. Numbers are never affected.

/// a's NaN where a is NaN, else r: a + b or a·b with a's NaN winning (a is already quiet).
static inline __attribute__((always_inline)) v8d keep8(v8d a, v8d r) {
    const v8l nan = a != a;
    return (v8d)(((v8l)a & nan) | ((v8l)r & ~nan));
}

static inline __attribute__((always_inline)) double keep(double a, double r) { return a != a ? a : r; }

static inline __attribute__((always_inline)) int any_nan(const double *v, int64_t count) {
    int nan = 0;
    for (int64_t j = 0; j < count; j++) nan |= v[j] != v[j];
    return nan;
}

BNLAB_BODY void bnlab_gradient_row_lanes_body(const float *x, const float *dy, int64_t groups, double mean, double *lanes) {
    v8d sums = {0, 0, 0, 0, 0, 0, 0, 0}, centered = sums;
    for (int64_t g = 0; g < groups; g++) {
        v8f xv, gv;
        LOAD8F(xv, x + 8 * g);
        LOAD8F(gv, dy + 8 * g);
        const v8d d = __builtin_convertvector(gv, v8d);
        sums += d;
        centered += d * (__builtin_convertvector(xv, v8d) - mean);
    }
    STORE8D(lanes, sums);
    STORE8D(lanes + 8, centered);
    if (!any_nan(lanes, 16)) return;
    v8d zero = {0, 0, 0, 0, 0, 0, 0, 0};
    sums = zero, centered = zero;
    for (int64_t g = 0; g < groups; g++) {
        v8f xv, gv;
        LOAD8F(xv, x + 8 * g);
        LOAD8F(gv, dy + 8 * g);
        const v8d d = __builtin_convertvector(gv, v8d), t = __builtin_convertvector(xv, v8d) - mean;
        sums = keep8(sums, sums + d);
        centered = keep8(centered, centered + keep8(t, t * d));
    }
    STORE8D(lanes, sums);
    STORE8D(lanes + 8, centered);
}

BNLAB_BODY void bnlab_gradient_column_sums_body(const float *restrict x, const float *restrict dy, int64_t rows, int64_t count,
                                                const double *restrict mean, double *restrict sums, double *restrict centered) {
    for (int64_t j = 0; j < count; j++) sums[j] = 0, centered[j] = 0;
    int64_t r = 0;
    // Four rows per sweep: each column still takes its rows in order, but its two sums stay in
    // registers across them instead of going to and from memory once per row.
    for (; r + 4 <= rows; r += 4) {
        const float *x0 = x + r * count, *x1 = x0 + count, *x2 = x1 + count, *x3 = x2 + count;
        const float *g0 = dy + r * count, *g1 = g0 + count, *g2 = g1 + count, *g3 = g2 + count;
        for (int64_t j = 0; j < count; j++) {
            const double m = mean[j];
            double a = sums[j], b = centered[j], g;
            g = (double)g0[j]; a += g; b += g * ((double)x0[j] - m);
            g = (double)g1[j]; a += g; b += g * ((double)x1[j] - m);
            g = (double)g2[j]; a += g; b += g * ((double)x2[j] - m);
            g = (double)g3[j]; a += g; b += g * ((double)x3[j] - m);
            sums[j] = a, centered[j] = b;
        }
    }
    for (; r < rows; r++) {
        const float *xr = x + r * count, *gr = dy + r * count;
        for (int64_t j = 0; j < count; j++) {
            const double g = (double)gr[j];
            sums[j] += g;
            centered[j] += g * ((double)xr[j] - mean[j]);
        }
    }
    if (!any_nan(sums, count) && !any_nan(centered, count)) return;
    for (int64_t j = 0; j < count; j++) sums[j] = 0, centered[j] = 0;
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * count, *gr = dy + r * count;
        for (int64_t j = 0; j < count; j++) {
            const double g = (double)gr[j], t = (double)xr[j] - mean[j];
            sums[j] = keep(sums[j], sums[j] + g);
            centered[j] = keep(centered[j], centered[j] + keep(t, t * g));
        }
    }
}

// Per channel c, the pieces' sums added block by block, then position by position within the
// block: the Swift loop's order for each channel. Channels are independent, so the loop runs
// across them (contiguous when inner is 1).
BNLAB_BODY void bnlab_gradient_merge_columns_body(const double *restrict first, const double *restrict second, int64_t blocks,
                                                  int64_t channels, int64_t inner, double *restrict sums, double *restrict centered) {
    const int64_t width = channels * inner;
    for (int pass = 0; pass < 2; pass++) {
        for (int64_t c = 0; c < channels; c++) sums[c] = 0, centered[c] = 0;
        for (int64_t block = 0; block < blocks; block++) {
            for (int64_t p = 0; p < inner; p++) {
                const double *a = first + block * width + p, *b = second + block * width + p;
                if (pass == 0) {
                    for (int64_t c = 0; c < channels; c++) {
                        sums[c] += a[c * inner];
                        centered[c] += b[c * inner];
                    }
                } else {
                    for (int64_t c = 0; c < channels; c++) {
                        sums[c] = keep(sums[c], sums[c] + a[c * inner]);
                        centered[c] = keep(centered[c], centered[c] + b[c * inner]);
                    }
                }
            }
        }
        if (!any_nan(sums, channels) && !any_nan(centered, channels)) return;
    }
}

BNLAB_BODY void bnlab_gradient_input_body(const float *restrict x, const float *restrict dy, float *restrict dx, int64_t count,
                                          double mean, double scale, double dyMean, double slope, int32_t streaming) {
    if (scale == scale && slope == slope) {
        int64_t i = 0;
        if (streaming) {
            // Straight to memory (no read of dx's old lines, no eviction of x and dy): the same
            // values, eight at a time from a 32-byte boundary; the caller fences once at the end.
            for (; i < count && ((uintptr_t)(dx + i) & 31) != 0; i++)
                dx[i] = (float)(scale * ((double)dy[i] - dyMean - ((double)x[i] - mean) * slope));
            for (; i + 8 <= count; i += 8) {
                v8f xv, gv;
                LOAD8F(xv, x + i);
                LOAD8F(gv, dy + i);
                const v8d v = scale * (__builtin_convertvector(gv, v8d) - dyMean - (__builtin_convertvector(xv, v8d) - mean) * slope);
                __builtin_nontemporal_store(__builtin_convertvector(v, v8f), (v8f *)(dx + i));
            }
        }
        for (; i < count; i++) dx[i] = (float)(scale * ((double)dy[i] - dyMean - ((double)x[i] - mean) * slope));
        return;
    }
    for (int64_t i = 0; i < count; i++) {
        const double t = (double)x[i] - mean, u = (double)dy[i] - dyMean - keep(t, t * slope);
        dx[i] = (float)keep(u, u * scale);
    }
}

BNLAB_BODY void bnlab_gradient_input_columns_body(const float *restrict x, const float *restrict dy, float *restrict dx, int64_t rows,
                                                  int64_t count, const double *restrict mean, const double *restrict scale,
                                                  const double *restrict dyMean, const double *restrict slope) {
    const int plain = !any_nan(scale, count) && !any_nan(slope, count);
    int64_t r = 0;
    if (plain) {
        // Four rows per sweep, so each column's four constants are loaded once for all four.
        for (; r + 4 <= rows; r += 4) {
            const float *x0 = x + r * count, *g0 = dy + r * count;
            float *o0 = dx + r * count;
            for (int64_t j = 0; j < count; j++) {
                const double m = mean[j], k = scale[j], a = dyMean[j], b = slope[j];
                for (int64_t q = 0; q < 4; q++)
                    o0[q * count + j] = (float)(k * ((double)g0[q * count + j] - a - ((double)x0[q * count + j] - m) * b));
            }
        }
    }
    for (; r < rows; r++) {
        const float *xr = x + r * count, *gr = dy + r * count;
        float *out = dx + r * count;
        if (plain) {
            for (int64_t j = 0; j < count; j++)
                out[j] = (float)(scale[j] * ((double)gr[j] - dyMean[j] - ((double)xr[j] - mean[j]) * slope[j]));
        } else {
            for (int64_t j = 0; j < count; j++) {
                const double t = (double)xr[j] - mean[j], u = (double)gr[j] - dyMean[j] - keep(t, t * slope[j]);
                out[j] = (float)keep(u, u * scale[j]);
            }
        }
    }
}

BNLAB_BODY void bnlab_gradient_scaled_body(const float *restrict dy, float *restrict dx, int64_t count, double scale) {
    if (scale == scale) {
        for (int64_t i = 0; i < count; i++) dx[i] = (float)((double)dy[i] * scale);
    } else {
        for (int64_t i = 0; i < count; i++) { const double g = (double)dy[i]; dx[i] = (float)keep(g, g * scale); }
    }
}

BNLAB_BODY void bnlab_gradient_scaled_columns_body(const float *restrict dy, float *restrict dx, int64_t rows, int64_t count,
                                                   const double *restrict scale) {
    const int plain = !any_nan(scale, count);
    for (int64_t r = 0; r < rows; r++) {
        const float *gr = dy + r * count;
        float *out = dx + r * count;
        if (plain) {
            for (int64_t j = 0; j < count; j++) out[j] = (float)((double)gr[j] * scale[j]);
        } else {
            for (int64_t j = 0; j < count; j++) { const double g = (double)gr[j]; out[j] = (float)keep(g, g * scale[j]); }
        }
    }
}

BNLAB_KERNEL_LEVELS(bnlab_gradient_row_lanes, (const float *x, const float *dy, int64_t groups, double mean, double *lanes),
                    (x, dy, groups, mean, lanes))
BNLAB_KERNEL_LEVELS(bnlab_gradient_column_sums,
                    (const float *x, const float *dy, int64_t rows, int64_t count, const double *mean, double *sums, double *centered),
                    (x, dy, rows, count, mean, sums, centered))
BNLAB_KERNEL_LEVELS(bnlab_gradient_merge_columns,
                    (const double *first, const double *second, int64_t blocks, int64_t channels, int64_t inner, double *sums,
                     double *centered),
                    (first, second, blocks, channels, inner, sums, centered))
BNLAB_KERNEL_LEVELS(bnlab_gradient_input,
                    (const float *x, const float *dy, float *dx, int64_t count, double mean, double scale, double dyMean, double slope,
                     int32_t streaming),
                    (x, dy, dx, count, mean, scale, dyMean, slope, streaming))
BNLAB_KERNEL_LEVELS(bnlab_gradient_input_columns,
                    (const float *x, const float *dy, float *dx, int64_t rows, int64_t count, const double *mean, const double *scale,
                     const double *dyMean, const double *slope),
                    (x, dy, dx, rows, count, mean, scale, dyMean, slope))
BNLAB_KERNEL_LEVELS(bnlab_gradient_scaled, (const float *dy, float *dx, int64_t count, double scale), (dy, dx, count, scale))
BNLAB_KERNEL_LEVELS(bnlab_gradient_scaled_columns, (const float *dy, float *dx, int64_t rows, int64_t count, const double *scale),
                    (dy, dx, rows, count, scale))

void bnlab_store_fence(void) { __builtin_ia32_sfence(); }
