#include "levels.h"

// NormalizeLoops (NormalizeKernel.swift): y = (x − μ)·scale + shift per element in float64, then
// rounded once to float32. Each element is computed on its own, with the Swift code's operations
// in its order and no fused multiply-add, so every level gives the Swift code's bits.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_normalize_constant_body(const float *x, float *y, int64_t count, double mean, double scale, double shift) {
    for (int64_t i = 0; i < count; i++) y[i] = (float)(((double)x[i] - mean) * scale + shift);
}

BNLAB_BODY void bnlab_normalize_columns_body(const float *x, float *y, int64_t count, const double *mean,
                                             const double *scale, const double *shift) {
    for (int64_t j = 0; j < count; j++) y[j] = (float)(((double)x[j] - mean[j]) * scale[j] + shift[j]);
}

BNLAB_BODY void bnlab_normalize_elementwise_body(const float *x, float *y, int64_t count, double mean, double inverseStd,
                                                 const double *gamma, const double *beta) {
    for (int64_t j = 0; j < count; j++) y[j] = (float)((((double)x[j] - mean) * inverseStd) * gamma[j] + beta[j]);
}

BNLAB_KERNEL_LEVELS(bnlab_normalize_constant, (const float *x, float *y, int64_t count, double mean, double scale, double shift),
                    (x, y, count, mean, scale, shift))
BNLAB_KERNEL_LEVELS(bnlab_normalize_columns,
                    (const float *x, float *y, int64_t count, const double *mean, const double *scale, const double *shift),
                    (x, y, count, mean, scale, shift))
BNLAB_KERNEL_LEVELS(bnlab_normalize_elementwise,
                    (const float *x, float *y, int64_t count, double mean, double inverseStd, const double *gamma, const double *beta),
                    (x, y, count, mean, inverseStd, gamma, beta))
