#include "levels.h"
#include "vectors.h"

// The inner loops of the statistics (SIMDSum.swift): float32 data summed in float64. The lane
// sums are the Swift code's eight (lane l takes elements l, l + 8, l + 16, … in order), handed
// back for Swift to add up as before, so every level gives the bits the Swift loops gave.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_sum_lanes_body(const float *x, int64_t groups, double *lanes) {
    v8d acc = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t g = 0; g < groups; g++) {
        v8f v;
        LOAD8F(v, x + 8 * g);
        acc += __builtin_convertvector(v, v8d);
    }
    STORE8D(lanes, acc);
}

BNLAB_BODY void bnlab_squared_deviation_lanes_body(const float *x, int64_t groups, double mean, double *lanes) {
    v8d acc = {0, 0, 0, 0, 0, 0, 0, 0};
    for (int64_t g = 0; g < groups; g++) {
        v8f v;
        LOAD8F(v, x + 8 * g);
        const v8d d = __builtin_convertvector(v, v8d) - mean;
        acc += d * d;
    }
    STORE8D(lanes, acc);
}

BNLAB_BODY void bnlab_accumulate_body(const float *x, int64_t count, double *sums) {
    for (int64_t j = 0; j < count; j++) sums[j] += (double)x[j];
}

BNLAB_BODY void bnlab_accumulate_squared_deviations_body(const float *x, const double *mean, int64_t count, double *sums) {
    for (int64_t j = 0; j < count; j++) {
        const double d = (double)x[j] - mean[j];
        sums[j] += d * d;
    }
}

BNLAB_KERNEL_LEVELS(bnlab_sum_lanes, (const float *x, int64_t groups, double *lanes), (x, groups, lanes))
BNLAB_KERNEL_LEVELS(bnlab_squared_deviation_lanes, (const float *x, int64_t groups, double mean, double *lanes),
                    (x, groups, mean, lanes))
BNLAB_KERNEL_LEVELS(bnlab_accumulate, (const float *x, int64_t count, double *sums), (x, count, sums))
BNLAB_KERNEL_LEVELS(bnlab_accumulate_squared_deviations, (const float *x, const double *mean, int64_t count, double *sums),
                    (x, mean, count, sums))
