#include "levels.h"
#include <string.h>

// Every element of C is c + a[i,0]·b[0,j] + a[i,1]·b[1,j] + … in that order, each product and
// each sum rounded to float32 on its own (no fused multiply-add, no reassociation): the order the
// plain i-k-j loop had. Register blocking and vector width change how many elements are computed
// at once, never the order within one, so SSE2, AVX2 and AVX-512 give the same bits.
#pragma STDC FP_CONTRACT OFF

typedef float v16 __attribute__((vector_size(64)));

// Unaligned loads and stores of 16 floats (macros: a v16 passed to or returned from a function
// would cross an ABI boundary that differs between the levels).
#define LOAD16(target, p) memcpy(&(target), (p), sizeof(v16))
#define STORE16(p, source) memcpy((p), &(source), sizeof(v16))

// Tiles of 4 rows × 16 columns stay in registers while the whole reduction over k runs.
// A's element (i, p) is a[i·rowStride + p·depthStride]: (1, k)-strides for A itself, (m, 1)
// for an A stored transposed (dW = dyᵀ·x without making dyᵀ).
BNLAB_BODY void matmul_strided(const float *a, int64_t rowStride, int64_t depthStride, const float *b,
                               int64_t m, int64_t k, int64_t n, float *c) {
    int64_t i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *a0 = a + i * rowStride, *a1 = a0 + rowStride, *a2 = a1 + rowStride, *a3 = a2 + rowStride;
        float *c0 = c + i * n, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
        int64_t j = 0;
        for (; j + 16 <= n; j += 16) {
            v16 s0, s1, s2, s3;
            LOAD16(s0, c0 + j); LOAD16(s1, c1 + j); LOAD16(s2, c2 + j); LOAD16(s3, c3 + j);
            for (int64_t p = 0; p < k; p++) {
                v16 row;
                LOAD16(row, b + p * n + j);
                const int64_t at = p * depthStride;
                s0 += a0[at] * row;
                s1 += a1[at] * row;
                s2 += a2[at] * row;
                s3 += a3[at] * row;
            }
            STORE16(c0 + j, s0); STORE16(c1 + j, s1); STORE16(c2 + j, s2); STORE16(c3 + j, s3);
        }
        for (; j < n; j++) {
            float s0 = c0[j], s1 = c1[j], s2 = c2[j], s3 = c3[j];
            for (int64_t p = 0; p < k; p++) {
                const float v = b[p * n + j];
                const int64_t at = p * depthStride;
                s0 += a0[at] * v; s1 += a1[at] * v; s2 += a2[at] * v; s3 += a3[at] * v;
            }
            c0[j] = s0; c1[j] = s1; c2[j] = s2; c3[j] = s3;
        }
    }
    for (; i < m; i++) {
        float *row = c + i * n;
        for (int64_t p = 0; p < k; p++) {
            const float aip = a[i * rowStride + p * depthStride];
            const float *brow = b + p * n;
            for (int64_t j = 0; j < n; j++) row[j] += aip * brow[j];
        }
    }
}

BNLAB_BODY void bnlab_matmul_add_body(const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c) {
    matmul_strided(a, k, 1, b, m, k, n, c);
}

BNLAB_BODY void bnlab_matmul_add_transposed_a_body(const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c) {
    matmul_strided(a, 1, m, b, m, k, n, c);
}

BNLAB_KERNEL_LEVELS(bnlab_matmul_add, (const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c),
                    (a, b, m, k, n, c))
BNLAB_KERNEL_LEVELS(bnlab_matmul_add_transposed_a,
                    (const float *a, const float *b, int64_t m, int64_t k, int64_t n, float *c), (a, b, m, k, n, c))

// Aᵀ by 16×16 tiles: both the reads and the writes of a tile stay within a few cache lines.
BNLAB_BODY void bnlab_transpose_body(const float *a, int64_t rows, int64_t columns, float *t) {
    for (int64_t r0 = 0; r0 < rows; r0 += 16) {
        const int64_t r1 = r0 + 16 < rows ? r0 + 16 : rows;
        for (int64_t c0 = 0; c0 < columns; c0 += 16) {
            const int64_t c1 = c0 + 16 < columns ? c0 + 16 : columns;
            for (int64_t r = r0; r < r1; r++)
                for (int64_t c = c0; c < c1; c++) t[c * rows + r] = a[r * columns + c];
        }
    }
}

BNLAB_KERNEL_LEVELS(bnlab_transpose, (const float *a, int64_t rows, int64_t columns, float *t), (a, rows, columns, t))
