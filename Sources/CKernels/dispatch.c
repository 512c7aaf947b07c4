#include "CKernels.h"
#include <stdlib.h>
#include <string.h>

// The vector extension the dispatching kernels use: chosen once from what the CPU has, capped by
// BNLAB_KERNELS (baseline, avx2, avx512) so a test or a benchmark can force a narrower path, and
// settable from Swift for tests that compare paths in one process.
static int chosen_level = -1;

static int supported_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return BNLAB_LEVEL_AVX512;
    if (__builtin_cpu_supports("avx2")) return BNLAB_LEVEL_AVX2;
    return BNLAB_LEVEL_BASELINE;
}

int32_t bnlab_kernel_level_supported(void) { return supported_level(); }

int32_t bnlab_kernel_level(void) {
    int level = __atomic_load_n(&chosen_level, __ATOMIC_RELAXED);
    if (level >= 0) return level;
    level = supported_level();
    const char *asked = getenv("BNLAB_KERNELS");
    if (asked != NULL) {
        if (strcmp(asked, "baseline") == 0 || strcmp(asked, "sse2") == 0) level = BNLAB_LEVEL_BASELINE;
        else if (strcmp(asked, "avx2") == 0 && level > BNLAB_LEVEL_AVX2) level = BNLAB_LEVEL_AVX2;
    }
    __atomic_store_n(&chosen_level, level, __ATOMIC_RELAXED);
    return level;
}

int32_t bnlab_set_kernel_level(int32_t level) {
    const int supported = supported_level();
    if (level < 0) level = supported;   // back to the machine's own choice (the variable is read again)
    if (level > supported) level = supported;
    __atomic_store_n(&chosen_level, level, __ATOMIC_RELAXED);
    return level;
}
