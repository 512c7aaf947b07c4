#ifndef BNLAB_CKERNELS_H
#define BNLAB_CKERNELS_H

#include <stdint.h>

/// Bin indices of values[0..<count] for `bins` equal bins over the values' own finite range
/// [low, high], where edge i is (float)i * step + low (edge `bins` is high): NumPy's float32 rule
/// (estimate, then one step down if below its lower edge, one step up if at or above its upper edge).
/// NaN and ±infinity get index `bins`. `scale` is bins / (high - low). Histogram counts with
/// bnlab_histogram_count below; this per-value form is what the tests compare value by value.
void bnlab_histogram_indices(const float *values, int64_t count, float low, float step, float scale,
                             int32_t bins, int32_t *indices);

/// The counts of those same bins, added to four rows of bins + 1 slots (NaN and ±infinity go to
/// slot `bins`): a bin's count is the sum of its four slots, however the values were split. One
/// pass, no index array: sixteen bins a step, counted in pairs when bins ≤ 63. bins < 2^24.
/// intptr_t is Swift's Int, so the rows are the Swift side's own tallies, counted in place.
void bnlab_histogram_count(const float *values, int64_t count, float low, float step, float scale,
                           int32_t bins, intptr_t *const *rows);

/// The smallest and largest finite value of values[0..<count] (+inf and -inf when there is none)
/// and, as the result, how many values are NaN or ±infinity. One pass, sixteen lanes at every
/// level; a zero extreme has the sign the earlier four-lane SSE2 loop gave it.
int64_t bnlab_finite_range(const float *values, int64_t count, float *minimum, float *maximum);

/// The four elementwise operations, numbered as `ElementwiseOperation`'s kernel codes.
enum { BNLAB_ADD = 0, BNLAB_SUBTRACT = 1, BNLAB_MULTIPLY = 2, BNLAB_DIVIDE = 3 };

/// y[i] = x[i] op s, or s op x[i] when scalarOnLeft is nonzero, for i < count: one IEEE float32
/// operation per element (no fused multiply-add), vectorized. y may be x. When both operands are
/// NaN the result is x's NaN (quieted), except for s − x and s / x, which give s's.
void bnlab_elementwise_scalar(const float *x, int64_t count, float s, int32_t op, int32_t scalarOnLeft, float *y);

/// y[i] = a[i] op b[i] for i < count, one IEEE float32 operation per element, vectorized.
/// When both operands are NaN the result is a's NaN (quieted).
void bnlab_elementwise_tensor(const float *a, const float *b, int64_t count, int32_t op, float *y);

/// The vector extensions a dispatching kernel may use. Every level gives the same bits.
enum { BNLAB_LEVEL_BASELINE = 0, BNLAB_LEVEL_AVX2 = 1, BNLAB_LEVEL_AVX512 = 2 };

/// The level the kernels use: the widest the CPU has, capped by BNLAB_KERNELS=baseline|avx2.
int32_t bnlab_kernel_level(void);
/// The widest level this CPU supports.
int32_t bnlab_kernel_level_supported(void);
/// Forces a level (capped at the supported one; −1 restores the CPU's); returns the level set.
int32_t bnlab_set_kernel_level(int32_t level);

/// C (m×n) += A (m×k) · B (k×n), row-major: each element's products added in k order, one float32
/// rounding per operation, whatever the level — the plain i-k-j loop's bits, register-blocked.
void bnlab_matmul_add(const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c);
/// C (m×n) += Aᵀ · B for A stored k×m: the same order and bits as bnlab_matmul_add of A's transpose.
void bnlab_matmul_add_transposed_a(const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c);

/// The eight float64 lane sums of x[0 ..< 8·groups] (lane l: x[l], x[l + 8], … in order), and the
/// same of (x − mean)²; sums[j] += x[j] and sums[j] += (x[j] − mean[j])². SIMDSum's loops.
void bnlab_sum_lanes(const float *x, int64_t groups, double *lanes);
void bnlab_squared_deviation_lanes(const float *x, int64_t groups, double mean, double *lanes);
void bnlab_accumulate(const float *x, int64_t count, double *sums);
void bnlab_accumulate_squared_deviations(const float *x, const double *mean, int64_t count, double *sums);

/// ChannelReduction.byColumns: the mean and sum of squared deviations of each of `width` columns
/// over `rows` rows (two passes, float64, rows added in order); and the merge of `blocks` such
/// blocks' columns into per-channel mean and M2 with Chan et al.'s formula, blocks then positions.
void bnlab_column_moments(const float *x, int64_t rows, int64_t width, double *mean, double *m2);
void bnlab_merge_column_moments(const double *means, const double *squares, int64_t blocks, int64_t samples,
                                int64_t rowsPerBlock, int64_t channels, int64_t inner, double *mean, double *m2);

/// NormalizeLoops' three loops, element by element in float64, rounded once:
/// y = (x − mean)·scale + shift; the same with per-column mean, scale, shift; and
/// y = ((x − mean)·inverseStd)·γ[j] + β[j] (LayerNorm's elementwise affine).
void bnlab_normalize_constant(const float *x, float *y, int64_t count, double mean, double scale, double shift);
void bnlab_normalize_columns(const float *x, float *y, int64_t count, const double *mean, const double *scale, const double *shift);
void bnlab_normalize_elementwise(const float *x, float *y, int64_t count, double mean, double inverseStd,
                                 const double *gamma, const double *beta);

/// BatchNorm backward's loops (ChannelGradientSums.swift), float32 data in float64, the Swift
/// code's bits at every level (where two NaNs meet, the same NaN at every level). Row lanes: the eight lane sums of dy (lanes[0..<8]) and of
/// dy·(x − mean) (lanes[8..<16]) over the first 8·groups elements, lane l taking l, l + 8, … in order.
void bnlab_gradient_row_lanes(const float *x, const float *dy, int64_t groups, double mean, double *lanes);
/// sums[j] = Σ dy[j], centered[j] = Σ dy[j]·(x[j] − mean[j]) over `rows` rows of `count` columns,
/// each added in row order onto 0.
void bnlab_gradient_column_sums(const float *x, const float *dy, int64_t rows, int64_t count, const double *mean,
                                double *sums, double *centered);
/// sums[c] = Σ first[b·C·inner + c·inner + p] (and centered from second), b, then p, in order onto 0.
void bnlab_gradient_merge_columns(const double *first, const double *second, int64_t blocks, int64_t channels, int64_t inner,
                                  double *sums, double *centered);
/// dx = scale·(dy − dyMean − (x − mean)·slope), rounded once; the same per column over `rows` rows;
/// dx = dy·scale (eval mode), and per column. `streaming` nonzero writes dx with non-temporal
/// stores (the same values), for outputs larger than the cache; call bnlab_store_fence after them.
void bnlab_gradient_input(const float *x, const float *dy, float *dx, int64_t count, double mean, double scale, double dyMean,
                          double slope, int32_t streaming);
void bnlab_gradient_input_columns(const float *x, const float *dy, float *dx, int64_t rows, int64_t count, const double *mean,
                                  const double *scale, const double *dyMean, const double *slope);
void bnlab_gradient_scaled(const float *dy, float *dx, int64_t count, double scale);
void bnlab_gradient_scaled_columns(const float *dy, float *dx, int64_t rows, int64_t count, const double *scale);
/// Orders this thread's non-temporal stores before what follows (sfence).
void bnlab_store_fence(void);

/// BlockNormBackward's loop on finite inputs: for each of `blocks` blocks of `blockSize` values,
/// Σg and Σg·x̂ in element order (g = dy·γ[p], x̂ = (x − mean)·inverseStd), dγ[p] += dy·x̂ and
/// dβ[p] += dy, then dx = inverseStd/M · (M·g − Σg − x̂·Σg·x̂) (Σg taken as 0 unless centred).
/// p steps by one every `run` values from (base / run) mod parameters. Without γ, pass ones (the
/// Swift loop multiplied by 1 too).
void bnlab_block_norm_backward(const float *x, const float *dy, int64_t blocks, int64_t blockSize, int64_t run, int64_t parameters,
                               const double *mean, const double *inverseStd, int32_t centred, const double *gamma,
                               double *dgamma, double *dbeta, float *dx);

/// t (columns×rows) = aᵀ of a (rows×columns), row-major, by cache-sized tiles.
void bnlab_transpose(const float *a, int64_t rows, int64_t columns, float *t);

/// The training lab's activations and their backward passes, the Swift code's bits at every level:
/// relu (NaN stays NaN), relu′ (da where a > 0, else 0), FastTanh (Activation.swift) and 1 − a².
void bnlab_relu_forward(const float *z, int64_t count, float *a);
void bnlab_relu_backward(const float *a, const float *da, int64_t count, float *dz);
void bnlab_tanh_forward(const float *z, int64_t count, float *a);
void bnlab_tanh_backward(const float *a, const float *da, int64_t count, float *dz);

#endif
