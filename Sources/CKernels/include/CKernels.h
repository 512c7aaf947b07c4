#ifndef BNLAB_CKERNELS_H
#define BNLAB_CKERNELS_H

#include <stdint.h>

/// Bin indices of values[0..<count] for `bins` equal bins over the values' own finite range
/// [low, high], where edge i is (float)i * step + low (edge `bins` is high): NumPy's float32 rule
/// (estimate, then one step down if below its lower edge, one step up if at or above its upper edge).
/// NaN and ±infinity get index `bins`. `scale` is bins / (high - low). Written as a plain loop
/// the C compiler vectorizes with the baseline SSE2 instructions (Swift's generic SIMD does not).
void bnlab_histogram_indices(const float *values, int64_t count, float low, float step, float scale,
                             int32_t bins, int32_t *indices);

/// The smallest and largest finite value of values[0..<count] (+inf and -inf when there is none)
/// and, as the result, how many values are NaN or ±infinity. One pass, four at a time with SSE2
/// where the compiler targets it.
int64_t bnlab_finite_range(const float *values, int64_t count, float *minimum, float *maximum);

#endif
