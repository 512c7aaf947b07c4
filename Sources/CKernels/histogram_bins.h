#ifndef BNLAB_HISTOGRAM_BINS_H
#define BNLAB_HISTOGRAM_BINS_H

#include "levels.h"

// The histogram's bin rule, once for one value and once for sixteen, with the same operations in
// the same order, so the count kernel (vector) and the index kernel and tails (scalar) agree on
// every value's bin. Include only from files compiled with -ffp-contract=off.
#pragma STDC FP_CONTRACT OFF

/// One value's bin by NumPy's float32 rule over the data's own range: estimate i, then one step
/// down if below edge i, one step up if at or above edge i + 1 (never past the last bin), with edge
/// j recomputed as (float)j * step + low. NaN and ±∞ get `bins`; bins must be below 2^24 (so
/// bins − 1 is exact in float32).
///
/// The first version clamped the estimate to [0, bins] with ≥/≤, took min(index, bins − 1), and
/// looked for the upper edge after stepping down. Same bins, fewer vector instructions here:
/// - `>`/`<` selects are single max/min instructions; they differ only for a −0 estimate (now +0)
///   and one equal to the bound, which truncate to the same index. NaN still becomes 0.
/// - Clamping the estimate to bins − 1 before truncating gives min(index, bins − 1) directly.
/// - Both edges come from i: after a step down the old code's upper edge was edge i, and v < edge i,
///   so it never stepped back up; and v ≥ edge i + 1 implies v ≥ edge i (for step > 0 the formula's
///   edges never decrease: float rounding is monotonic), so the two steps never both apply.
BNLAB_BODY int32_t bin_index(float v, float low, float step, float scale, int32_t bins) {
    const int32_t last = bins - 1;
    const float lastF = (float)last;
    float estimate = (v - low) * scale;
    estimate = estimate > 0.0f ? estimate : 0.0f;   // also turns NaN into 0
    estimate = estimate < lastF ? estimate : lastF;
    const int32_t i = (int32_t)estimate;
    const float iF = (float)i;                      // exact: i < 2^24
    const float lower = iF * step + low;
    const float upper = (iF + 1.0f) * step + low;
    const int32_t index = i - ((v < lower) ? 1 : 0) + ((i != last && v >= upper) ? 1 : 0);
    return (v - v == 0.0f) ? index : bins;
}

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

/// a where mask is all ones, else b (mask lanes are 0 or −1, as vector comparisons give). Clang
/// turns a select on a comparison of its own operands into one max or min instruction.
#define SELECT16(mask, a, b) ((__typeof__(a))(((mask) & (v16i)(a)) | (~(mask) & (v16i)(b))))

/// bin_index for sixteen values at once, operation for operation (truncating conversions, the
/// same float32 roundings, no fused multiply-add), so each lane gets bin_index's bin.
#define BIN_INDEX16(v, out)                                                                       \
    do {                                                                                          \
        v16f estimate_ = ((v) - lowV) * scaleV;                                                   \
        estimate_ = SELECT16(estimate_ > zeroV, estimate_, zeroV);                                \
        estimate_ = SELECT16(estimate_ < lastFV, estimate_, lastFV);                              \
        const v16i i_ = __builtin_convertvector(estimate_, v16i);                                 \
        const v16f iF_ = __builtin_convertvector(i_, v16f);                                       \
        const v16f lower_ = iF_ * stepV + lowV;                                                   \
        const v16f upper_ = (iF_ + oneV) * stepV + lowV;                                          \
        /* comparisons are −1 where true: i − 1 below the lower edge, i + 1 at or above the upper */ \
        const v16i index_ = i_ + ((v) < lower_) - ((i_ != lastV) & ((v) >= upper_));              \
        (out) = SELECT16(((v) - (v)) == zeroV, index_, binsV);                                    \
    } while (0)

/// The constants BIN_INDEX16 reads, declared in the kernel that uses it.
#define BIN_CONSTANTS16(low, step, scale, bins)                                                   \
    const v16f zeroV = (v16f){0}, oneV = zeroV + 1.0f, lowV = zeroV + (low), stepV = zeroV + (step); \
    const v16f scaleV = zeroV + (scale), lastFV = zeroV + (float)((bins) - 1);                   \
    const v16i lastV = (v16i){0} + ((bins) - 1), binsV = (v16i){0} + (bins)

#endif
