#include "levels.h"
#include <string.h>

// Each result is the one IEEE float32 operation the Swift side names, element by element:
// no fused multiply-add, no reassociation, x / s stays a division (no -ffast-math here).
#pragma STDC FP_CONTRACT OFF

// When both operands are NaN, IEEE 754 leaves open whose payload the result carries, and the C
// compiler may swap the operands of + and *. bnlab fixes the answer (the one it has always given):
// the left operand's NaN, except that for + and * a tensor's element wins over a scalar or
// per-channel value on its left. Both cases are settled here outside the plain loops' hands.

// One plain loop per operation, chosen once outside it; the compiler vectorizes each
// (eight lanes with AVX2, four with the baseline SSE2).
#define BNLAB_LOOPS(EXPR)                                                          \
    switch (op) {                                                                  \
    case BNLAB_ADD: for (int64_t i = 0; i < count; i++) { EXPR(+) } break;         \
    case BNLAB_SUBTRACT: for (int64_t i = 0; i < count; i++) { EXPR(-) } break;    \
    case BNLAB_MULTIPLY: for (int64_t i = 0; i < count; i++) { EXPR(*) } break;    \
    case BNLAB_DIVIDE: for (int64_t i = 0; i < count; i++) { EXPR(/) } break;      \
    }

#define BNLAB_TENSOR_SCALAR(OP) y[i] = x[i] OP s;
#define BNLAB_SCALAR_TENSOR(OP) y[i] = s OP x[i];
#define BNLAB_TENSOR_TENSOR(OP) { const float r = a[i] OP b[i]; y[i] = a[i] != a[i] ? quieted(a[i]) : r; }

/// v with its quiet bit set: what x86 returns for a NaN operand (a signaling NaN comes back quiet).
static inline float quieted(float v) {
    uint32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits |= 0x00400000u;
    memcpy(&v, &bits, sizeof v);
    return v;
}

BNLAB_BODY void bnlab_elementwise_scalar_body(const float *x, int64_t count, float s, int32_t op, int32_t scalarOnLeft, float *y) {
    if (s != s) {
        // A NaN scalar: every result is NaN; only s − x and s / x keep the scalar's over x's.
        const float q = quieted(s);
        if (scalarOnLeft && (op == BNLAB_SUBTRACT || op == BNLAB_DIVIDE)) {
            for (int64_t i = 0; i < count; i++) y[i] = q;
        } else {
            for (int64_t i = 0; i < count; i++) y[i] = x[i] != x[i] ? quieted(x[i]) : q;
        }
        return;
    }
    // s is a number: a NaN result is then x's NaN or the default NaN, whatever the operand order.
    if (scalarOnLeft) {
        BNLAB_LOOPS(BNLAB_SCALAR_TENSOR)
    } else {
        BNLAB_LOOPS(BNLAB_TENSOR_SCALAR)
    }
}

BNLAB_BODY void bnlab_elementwise_tensor_body(const float *a, const float *b, int64_t count, int32_t op, float *y) {
    // A NaN in a gives quieted(a) whichever operand order the compiler chose for + and *.
    BNLAB_LOOPS(BNLAB_TENSOR_TENSOR)
}

BNLAB_KERNEL_LEVELS(bnlab_elementwise_scalar,
                    (const float *x, int64_t count, float s, int32_t op, int32_t scalarOnLeft, float *y),
                    (x, count, s, op, scalarOnLeft, y))
BNLAB_KERNEL_LEVELS(bnlab_elementwise_tensor, (const float *a, const float *b, int64_t count, int32_t op, float *y),
                    (a, b, count, op, y))
