#ifndef BNLAB_LEVELS_H
#define BNLAB_LEVELS_H

#include "CKernels.h"

// A kernel written once, as NAME_body (static inline, always_inline), compiled three times — for
// the SSE2 baseline, AVX2 and AVX-512 — and the public NAME calling the one bnlab_kernel_level()
// chooses. Unlike target_clones, the choice can be forced (BNLAB_KERNELS, bnlab_set_kernel_level),
// so a test can show that every level gives the same bits.
#define BNLAB_AVX2_TARGET __attribute__((target("avx2")))
#define BNLAB_AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

#define BNLAB_KERNEL_LEVELS(NAME, PARAMS, ARGS)                                      \
    static void NAME##_baseline PARAMS { NAME##_body ARGS; }                         \
    BNLAB_AVX2_TARGET static void NAME##_avx2 PARAMS { NAME##_body ARGS; }           \
    BNLAB_AVX512_TARGET static void NAME##_avx512 PARAMS { NAME##_body ARGS; }       \
    void NAME PARAMS {                                                               \
        switch (bnlab_kernel_level()) {                                              \
        case BNLAB_LEVEL_AVX512: NAME##_avx512 ARGS; break;                          \
        case BNLAB_LEVEL_AVX2: NAME##_avx2 ARGS; break;                              \
        default: NAME##_baseline ARGS; break;                                        \
        }                                                                            \
    }

#define BNLAB_BODY static inline __attribute__((always_inline))

#endif
