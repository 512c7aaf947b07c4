#include "levels.h"
#include <math.h>
#include <string.h>

// The histogram's first pass (and the trainer's finiteness check): smallest and largest finite
// value and how many are NaN/±∞. Sixteen lanes of portable vector code, so AVX-512 reads a whole
// register per step and AVX2 and SSE2 split the same code into two or four.
//
// The result must keep the bits of the 4-lane SSE2 loop this replaced. Min and max of the finite
// values are unique numbers, so any lane layout finds them; only the sign of a zero depended on
// that loop's layout, and `old_loop_zero` recomputes it when the extreme is a zero.
#pragma STDC FP_CONTRACT OFF

typedef float v16f __attribute__((vector_size(64)));
typedef int32_t v16i __attribute__((vector_size(64)));

/// a where mask is all ones, else b (mask lanes are 0 or −1, as vector comparisons give). A macro,
/// not a function: a 64-byte vector argument has no fixed ABI below AVX-512 (-Wpsabi).
#define SELECT16(mask, a, b) ((v16f)(((mask) & (v16i)(a)) | (~(mask) & (v16i)(b))))

/// Which zero, +0 or −0, the old loop reported when the minimum or maximum was zero. It kept four
/// lanes over values[0 ..< count & ~3] (lane k: indices ≡ k mod 4), each lane taking every later
/// equal value (minps/maxps return the new operand on a tie), then merged the lanes in order 0…3
/// and the tail after them with strict comparisons (the first equal value stays). So: the last
/// zero of the lowest lane that has one, else the first zero of the tail. Scans from the end and
/// stops once lane 0 has a zero, which is soon for data with many zeros (relu outputs).
static float old_loop_zero(const float *values, int64_t count) {
    const int64_t vectorEnd = count & ~(int64_t)3;
    float last[4] = {0, 0, 0, 0};
    unsigned found = 0;
    for (int64_t p = vectorEnd - 1; p >= 0 && !(found & 1u); p--) {
        const unsigned lane = 1u << (p & 3);
        if (values[p] == 0.0f && !(found & lane)) {
            found |= lane;
            last[p & 3] = values[p];
        }
    }
    for (int k = 0; k < 4; k++) {
        if (found & (1u << k)) return last[k];
    }
    for (int64_t p = vectorEnd; p < count; p++) {
        if (values[p] == 0.0f) return values[p];
    }
    return 0.0f;  // not reached: the caller saw a zero extreme, so there is a zero
}

BNLAB_BODY void bnlab_finite_range_wide_body(const float *values, int64_t count, float *minimum, float *maximum,
                                              int64_t *nonFiniteCount) {
    const v16f plus = (v16f){0} + INFINITY, minus = (v16f){0} - INFINITY;
    v16f lows = plus, highs = minus;
    int64_t nonFinite = 0, i = 0;
    while (i + 16 <= count) {
        // Lanes count up in 32 bits: at most 2^20 steps before they are added up.
        v16i bad = {0};
        const int64_t steps = (count - i) / 16 > (1 << 20) ? (1 << 20) : (count - i) / 16;
        const int64_t stop = i + 16 * steps;
        for (; i < stop; i += 16) {
            v16f x;
            memcpy(&x, values + i, sizeof x);
            const v16i finite = (x - x) == 0.0f;  // x − x is 0 only for finite x
            const v16f forLow = SELECT16(finite, x, plus), forHigh = SELECT16(finite, x, minus);
            lows = SELECT16(forLow < lows, forLow, lows);
            highs = SELECT16(forHigh > highs, forHigh, highs);
            bad += finite + 1;  // a finite lane is −1: adding 1 counts the others
        }
        for (int k = 0; k < 16; k++) nonFinite += bad[k];
    }
    float low = INFINITY, high = -INFINITY;
    for (int k = 0; k < 16; k++) {
        if (lows[k] < low) low = lows[k];
        if (highs[k] > high) high = highs[k];
    }
    for (; i < count; i++) {
        const float x = values[i];
        if (x - x == 0.0f) {
            if (x < low) low = x;
            if (x > high) high = x;
        } else {
            nonFinite++;
        }
    }
    if (low == 0.0f || high == 0.0f) {
        const float zero = old_loop_zero(values, count);
        if (low == 0.0f) low = zero;
        if (high == 0.0f) high = zero;
    }
    *minimum = low;
    *maximum = high;
    *nonFiniteCount = nonFinite;
}

void bnlab_finite_range_wide(const float *values, int64_t count, float *minimum, float *maximum, int64_t *nonFiniteCount);

BNLAB_KERNEL_LEVELS(bnlab_finite_range_wide,
                    (const float *values, int64_t count, float *minimum, float *maximum, int64_t *nonFiniteCount),
                    (values, count, minimum, maximum, nonFiniteCount))

int64_t bnlab_finite_range(const float *values, int64_t count, float *minimum, float *maximum) {
    int64_t nonFinite = 0;
    bnlab_finite_range_wide(values, count, minimum, maximum, &nonFinite);
    return nonFinite;
}
