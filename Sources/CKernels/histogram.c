#include "histogram_bins.h"
#include <string.h>

// The histogram's second pass: each value's bin (histogram_bins.h) and the counts. Float results
// must be exactly the ones the Swift side computes: no fused multiply-add.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_histogram_indices_body(const float *values, int64_t count, float low, float step, float scale,
                                             int32_t bins, int32_t *indices) {
    for (int64_t i = 0; i < count; i++) indices[i] = bin_index(values[i], low, step, scale, bins);
}

// Counting is the slow half: one load, add and store per value, where the bin itself is a few
// vector instructions. So, when the bins are few, each step counts a PAIR of values in one cell
// of a (bins + 1)² table (16 KiB at most, it stays in L1) and the table's row and column sums
// give the counts at the end: half the stores. The bins are bin_index's either way; the counts
// are integers, so how they are split and summed changes nothing.
enum { PAIR_SIDE_MAX = 64, PAIR_CHUNK = 1 << 30, PREFETCH_AHEAD = 512 };  // PREFETCH_AHEAD: floats, 2 KiB

/// Counts values[0 ..< count] (count a multiple of 32, at most PAIR_CHUNK, so no cell passes
/// 2³²) in pairs: value k of each 32 with value k + 16, in cell bin(first) · side + bin(second)
/// of the zeroed table; then adds the table's row and column sums to `row`. Each step computes
/// sixteen cells and counts the previous step's, so the vector work and the stores overlap.
BNLAB_BODY void count_pairs(const float *values, int64_t count, float low, float step, float scale, int32_t bins,
                            intptr_t *row, uint32_t *table) {
    const int32_t side = bins + 1;
    BIN_CONSTANTS16(low, step, scale, bins);
    const v16i sideV = (v16i){0} + side;
    int32_t cells[2][16];
    int64_t s = 0;
    for (int64_t start = 0; start < count; start += 32, s++) {
        const float *x = values + start;
        if (start + PREFETCH_AHEAD + 32 <= count) {  // never an address past the values
            __builtin_prefetch(x + PREFETCH_AHEAD);
            __builtin_prefetch(x + PREFETCH_AHEAD + 16);
        }
        v16f first, second;
        memcpy(&first, x, sizeof first);
        memcpy(&second, x + 16, sizeof second);
        v16i a, b;
        BIN_INDEX16(first, a);
        BIN_INDEX16(second, b);
        const v16i c = a * sideV + b;
        memcpy(cells[s & 1], &c, sizeof c);
        if (s > 0) {
            const int32_t *previous = cells[(s - 1) & 1];
            for (int k = 0; k < 16; k++) table[previous[k]] += 1;
        }
    }
    if (s > 0) {
        const int32_t *previous = cells[(s - 1) & 1];
        for (int k = 0; k < 16; k++) table[previous[k]] += 1;
    }
    for (int32_t first = 0; first < side; first++) {
        for (int32_t second = 0; second < side; second++) {
            const uint32_t n = table[first * side + second];
            row[first] += n;
            row[second] += n;
        }
    }
}

/// Counts values[0 ..< count] one at a time into the four rows (lane k of each sixteen into row
/// k mod 4, so two values in one bin seldom wait on each other's store), sixteen bins a step
/// while the previous step's are counted, like count_pairs; the last few with bin_index.
BNLAB_BODY void count_singles(const float *values, int64_t count, float low, float step, float scale, int32_t bins,
                              intptr_t *const *rows) {
    BIN_CONSTANTS16(low, step, scale, bins);
    intptr_t *const r0 = rows[0], *const r1 = rows[1], *const r2 = rows[2], *const r3 = rows[3];
    int32_t indices[2][16];
    const int64_t whole = count - count % 16;
    int64_t s = 0;
    for (int64_t start = 0; start < whole; start += 16, s++) {
        if (start + PREFETCH_AHEAD + 16 <= count) __builtin_prefetch(values + start + PREFETCH_AHEAD);
        v16f v;
        memcpy(&v, values + start, sizeof v);
        v16i index;
        BIN_INDEX16(v, index);
        memcpy(indices[s & 1], &index, sizeof index);
        if (s > 0) {
            const int32_t *previous = indices[(s - 1) & 1];
            for (int k = 0; k < 16; k += 4) {
                r0[previous[k]] += 1;
                r1[previous[k + 1]] += 1;
                r2[previous[k + 2]] += 1;
                r3[previous[k + 3]] += 1;
            }
        }
    }
    if (s > 0) {
        const int32_t *previous = indices[(s - 1) & 1];
        for (int k = 0; k < 16; k++) rows[k & 3][previous[k]] += 1;
    }
    for (int64_t i = whole; i < count; i++) r0[bin_index(values[i], low, step, scale, bins)] += 1;
}

BNLAB_BODY void bnlab_histogram_count_body(const float *values, int64_t count, float low, float step, float scale,
                                           int32_t bins, intptr_t *const *rows) {
    int64_t done = 0;
    if (bins + 1 <= PAIR_SIDE_MAX) {
        uint32_t table[PAIR_SIDE_MAX * PAIR_SIDE_MAX];
        const int64_t side = bins + 1;
        while (count - done >= 32) {
            int64_t n = count - done < PAIR_CHUNK ? count - done : PAIR_CHUNK;
            n -= n % 32;
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
