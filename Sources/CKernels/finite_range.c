#include "CKernels.h"
#include <math.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

__attribute__((target_clones("avx2", "default")))
int64_t bnlab_finite_range(const float *values, int64_t count, float *minimum, float *maximum) {
    float low = INFINITY, high = -INFINITY;
    int64_t nonFinite = 0, i = 0;
#if defined(__SSE2__)
    const __m128 zero = _mm_setzero_ps(), plus = _mm_set1_ps(INFINITY), minus = _mm_set1_ps(-INFINITY);
    __m128 lows = plus, highs = minus;
    while (i + 4 <= count) {
        // Lanes count up in 32 bits: at most 2^20 blocks of four before they are added up.
        __m128i bad = _mm_setzero_si128();
        const int64_t stop = (count - i) / 4 > (1 << 20) ? i + 4 * ((int64_t)1 << 20) : i + 4 * ((count - i) / 4);
        for (; i < stop; i += 4) {
            const __m128 x = _mm_loadu_ps(values + i);
            const __m128 finite = _mm_cmpeq_ps(_mm_sub_ps(x, x), zero);  // x − x is 0 only for finite x
            lows = _mm_min_ps(lows, _mm_or_ps(_mm_and_ps(finite, x), _mm_andnot_ps(finite, plus)));
            highs = _mm_max_ps(highs, _mm_or_ps(_mm_and_ps(finite, x), _mm_andnot_ps(finite, minus)));
            // A finite lane is all ones (−1); adding it and 1 counts the others.
            bad = _mm_add_epi32(bad, _mm_add_epi32(_mm_castps_si128(finite), _mm_set1_epi32(1)));
        }
        int32_t lanes[4];
        _mm_storeu_si128((__m128i *)lanes, bad);
        nonFinite += (int64_t)lanes[0] + lanes[1] + lanes[2] + lanes[3];
    }
    float l[4], h[4];
    _mm_storeu_ps(l, lows);
    _mm_storeu_ps(h, highs);
    for (int k = 0; k < 4; k++) {
        if (l[k] < low) low = l[k];
        if (h[k] > high) high = h[k];
    }
#endif
    for (; i < count; i++) {
        const float x = values[i];
        if (x - x == 0.0f) {
            if (x < low) low = x;
            if (x > high) high = x;
        } else {
            nonFinite++;
        }
    }
    *minimum = low;
    *maximum = high;
    return nonFinite;
}
