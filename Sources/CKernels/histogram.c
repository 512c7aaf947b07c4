#include "levels.h"

// Float results must be exactly the ones the Swift side computes: no fused multiply-add.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_histogram_indices_body(const float *values, int64_t count, float low, float step, float scale,
                             int32_t bins, int32_t *indices) {
    const int32_t last = bins - 1;
    const float top = (float)bins;
    for (int64_t i = 0; i < count; i++) {
        const float v = values[i];
        float estimate = (v - low) * scale;
        estimate = estimate >= 0.0f ? estimate : 0.0f;   // also turns NaN into 0
        estimate = estimate <= top ? estimate : top;
        int32_t index = (int32_t)estimate;
        index = index < last ? index : last;
        const float lower = (float)index * step + low;
        index -= (v < lower) ? 1 : 0;
        const float upper = (float)(index + 1) * step + low;
        index += (index != last && v >= upper) ? 1 : 0;
        indices[i] = (v - v == 0.0f) ? index : bins;
    }
}

BNLAB_KERNEL_LEVELS(bnlab_histogram_indices,
                    (const float *values, int64_t count, float low, float step, float scale, int32_t bins, int32_t *indices),
                    (values, count, low, step, scale, bins, indices))
