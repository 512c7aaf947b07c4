#include "levels.h"
#include <string.h>

// Float results must be exactly the ones the Swift side computes: no fused multiply-add.
#pragma STDC FP_CONTRACT OFF

/// One value's bin by NumPy's float32 rule over the data's own range: estimate i, then one step
/// down if below edge i, one step up if at or above edge i + 1 (never past the last bin), with edge
/// j recomputed as (float)j * step + low. NaN and ±∞ get `bins`. Both kernels below use it, so the
/// bins they give cannot drift apart.
///
/// The first version clamped the estimate to [0, bins] with ≥/≤, took min(index, bins − 1), and
/// looked for the upper edge after stepping down. Same bins, fewer vector instructions here:
/// - `>`/`<` selects are single max/min instructions; they differ only for a −0 estimate (now +0)
///   and one equal to the bound, which truncate to the same index. NaN still becomes 0.
/// - Clamping the estimate to bins − 1 before truncating gives min(index, bins − 1) directly.
/// - Both edges come from i: after a step down the old code's upper edge was edge i, and v < edge i,
///   so it never stepped back up; and v ≥ edge i + 1 implies v ≥ edge i (the edges increase,
///   Histogram checks that), so the two steps never both apply.
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

BNLAB_BODY void bnlab_histogram_indices_body(const float *values, int64_t count, float low, float step, float scale,
                                             int32_t bins, int32_t *indices) {
    for (int64_t i = 0; i < count; i++) indices[i] = bin_index(values[i], low, step, scale, bins);
}

// Counting is the slow half: one load, add and store per value, where the bin itself is a few
// vector instructions. So, when the bins are few, each step counts a PAIR of values in one cell
// of a (bins + 1)² table (16 KiB at most, it stays in L1) and the table's row and column sums
// give the counts at the end: half the stores. The bins are bin_index's either way; the counts
// are integers, so how they are split and summed changes nothing.
enum { SINGLE_BLOCK = 128, COUNT_BLOCK = 64, PAIR_SIDE_MAX = 64, PAIR_CHUNK = 1 << 30, PREFETCH_AHEAD = 512 };

/// Counts values[0 ..< count] one at a time into the four rows (consecutive values in different
/// rows, so two values in one bin do not wait on each other's store).
BNLAB_BODY void count_singles(const float *values, int64_t count, float low, float step, float scale, int32_t bins,
                              intptr_t *const *rows) {
    int32_t indices[SINGLE_BLOCK];
    intptr_t *const r0 = rows[0], *const r1 = rows[1], *const r2 = rows[2], *const r3 = rows[3];
    for (int64_t start = 0; start < count; start += SINGLE_BLOCK) {
        const int64_t n = count - start < SINGLE_BLOCK ? count - start : SINGLE_BLOCK;
        const float *x = values + start;
        for (int64_t k = 0; k < n; k++) indices[k] = bin_index(x[k], low, step, scale, bins);
        int64_t k = 0;
        for (; k + 4 <= n; k += 4) {
            r0[indices[k]] += 1;
            r1[indices[k + 1]] += 1;
            r2[indices[k + 2]] += 1;
            r3[indices[k + 3]] += 1;
        }
        for (; k < n; k++) r0[indices[k]] += 1;
    }
}

/// Counts values[0 ..< count] (count a multiple of 2 · COUNT_BLOCK, at most PAIR_CHUNK, so no
/// cell passes 2³²) in pairs: value k of a block with value k + COUNT_BLOCK, in cell
/// bin(first) · side + bin(second) of the zeroed table; then adds the table's sums to rows[0].
BNLAB_BODY void count_pairs(const float *values, int64_t count, float low, float step, float scale, int32_t bins,
                            intptr_t *row, uint32_t *table) {
    const int32_t side = bins + 1;
    int32_t cells[COUNT_BLOCK];
    for (int64_t start = 0; start < count; start += 2 * COUNT_BLOCK) {
        const float *x = values + start;
        for (int k = 0; k < 2 * COUNT_BLOCK; k += 16) __builtin_prefetch(x + PREFETCH_AHEAD + k);
        for (int k = 0; k < COUNT_BLOCK; k++) {
            cells[k] = bin_index(x[k], low, step, scale, bins) * side + bin_index(x[k + COUNT_BLOCK], low, step, scale, bins);
        }
        for (int k = 0; k < COUNT_BLOCK; k++) table[cells[k]] += 1;
    }
    for (int32_t first = 0; first < side; first++) {
        for (int32_t second = 0; second < side; second++) {
            const uint32_t n = table[first * side + second];
            row[first] += n;
            row[second] += n;
        }
    }
}

BNLAB_BODY void bnlab_histogram_count_body(const float *values, int64_t count, float low, float step, float scale,
                                           int32_t bins, intptr_t *const *rows) {
    int64_t done = 0;
    if (bins + 1 <= PAIR_SIDE_MAX) {
        uint32_t table[PAIR_SIDE_MAX * PAIR_SIDE_MAX];
        const int64_t side = bins + 1;
        while (count - done >= 2 * COUNT_BLOCK) {
            int64_t n = count - done < PAIR_CHUNK ? count - done : PAIR_CHUNK;
            n -= n % (2 * COUNT_BLOCK);
            memset(table, 0, sizeof(uint32_t) * (size_t)(side * side));
            count_pairs(values + done, n, low, step, scale, bins, rows[0], table);
            done += n;
        }
    }
    count_singles(values + done, count - done, low, step, scale, bins, rows);
}

BNLAB_KERNEL_LEVELS(bnlab_histogram_indices,
                    (const float *values, int64_t count, float low, float step, float scale, int32_t bins, int32_t *indices),
                    (values, count, low, step, scale, bins, indices))
BNLAB_KERNEL_LEVELS(bnlab_histogram_count,
                    (const float *values, int64_t count, float low, float step, float scale, int32_t bins,
                     intptr_t *const *rows),
                    (values, count, low, step, scale, bins, rows))
