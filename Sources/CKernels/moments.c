#include "levels.h"
#include "vectors.h"

// ChannelReduction.byColumns (Moments.swift) for (N, C) and short rows: each block of samples is
// reduced column by column, then the blocks' columns are merged into channels with Chan et al.'s
// formula. Every column keeps the order the Swift loops had (rows added one after another from
// 0.0; the mean scaled by 1/rows; the squared deviations added the same way; the pieces merged in
// block, then position order), so the bits are the same at every level. The speed comes from
// keeping sixteen columns' sums in registers through all the rows instead of in memory.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_column_moments_body(const float *x, int64_t rows, int64_t width, double *mean, double *m2) {
    const double scale = 1.0 / (double)rows;
    int64_t j = 0;
    for (; j + 16 <= width; j += 16) {
        v8d s0 = {0, 0, 0, 0, 0, 0, 0, 0}, s1 = s0;
        for (int64_t r = 0; r < rows; r++) {
            v8f a, b;
            LOAD8F(a, x + r * width + j);
            LOAD8F(b, x + r * width + j + 8);
            s0 += __builtin_convertvector(a, v8d);
            s1 += __builtin_convertvector(b, v8d);
        }
        s0 *= scale;
        s1 *= scale;
        v8d q0 = {0, 0, 0, 0, 0, 0, 0, 0}, q1 = q0;
        for (int64_t r = 0; r < rows; r++) {
            v8f a, b;
            LOAD8F(a, x + r * width + j);
            LOAD8F(b, x + r * width + j + 8);
            const v8d d0 = __builtin_convertvector(a, v8d) - s0, d1 = __builtin_convertvector(b, v8d) - s1;
            q0 += d0 * d0;
            q1 += d1 * d1;
        }
        STORE8D(mean + j, s0);
        STORE8D(mean + j + 8, s1);
        STORE8D(m2 + j, q0);
        STORE8D(m2 + j + 8, q1);
    }
    for (; j < width; j++) {
        double s = 0;
        for (int64_t r = 0; r < rows; r++) s += (double)x[r * width + j];
        s *= scale;
        double q = 0;
        for (int64_t r = 0; r < rows; r++) {
            const double d = (double)x[r * width + j] - s;
            q += d * d;
        }
        mean[j] = s;
        m2[j] = q;
    }
}

BNLAB_BODY void bnlab_merge_column_moments_body(const double *means, const double *squares, int64_t blocks, int64_t samples,
                                                int64_t rowsPerBlock, int64_t channels, int64_t inner,
                                                double *mean, double *m2) {
    const int64_t width = channels * inner;
    double count = 0;
    for (int64_t block = 0; block < blocks; block++) {
        const int64_t first = block * rowsPerBlock;
        const double rows = (double)((samples < first + rowsPerBlock ? samples : first + rowsPerBlock) - first);
        for (int64_t position = 0; position < inner; position++) {
            const double *blockMean = means + block * width + position, *blockSquares = squares + block * width + position;
            if (count == 0) {
                for (int64_t c = 0; c < channels; c++) {
                    mean[c] = blockMean[c * inner];
                    m2[c] = blockSquares[c * inner];
                }
                count = rows;
                continue;
            }
            // PartialMoments.merge with the same count for every channel: its two weights once.
            const double total = count + rows;
            const double meanWeight = rows / total, squaresWeight = count * rows / total;
            for (int64_t c = 0; c < channels; c++) {
                const double delta = blockMean[c * inner] - mean[c];
                mean[c] += delta * meanWeight;
                m2[c] += blockSquares[c * inner] + delta * delta * squaresWeight;
            }
            count = total;
        }
    }
}

BNLAB_KERNEL_LEVELS(bnlab_column_moments, (const float *x, int64_t rows, int64_t width, double *mean, double *m2),
                    (x, rows, width, mean, m2))
BNLAB_KERNEL_LEVELS(bnlab_merge_column_moments,
                    (const double *means, const double *squares, int64_t blocks, int64_t samples, int64_t rowsPerBlock,
                     int64_t channels, int64_t inner, double *mean, double *m2),
                    (means, squares, blocks, samples, rowsPerBlock, channels, inner, mean, m2))
