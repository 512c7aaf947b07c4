#ifndef BNLAB_VECTORS_H
#define BNLAB_VECTORS_H

#include <string.h>

// Eight float32 and eight float64 lanes as GCC/Clang vector types: each level's compiler lowers
// them to its own registers (two SSE2 halves, one AVX2 register, or one AVX-512 register for the
// doubles), while the arithmetic per lane stays the same. Loads and stores go through memcpy, so
// nothing assumes alignment.
typedef float v8f __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));

#define LOAD8F(target, p) memcpy(&(target), (p), sizeof(v8f))
#define LOAD8D(target, p) memcpy(&(target), (p), sizeof(v8d))
#define STORE8D(p, source) memcpy((p), &(source), sizeof(v8d))

#endif
