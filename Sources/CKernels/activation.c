#include "levels.h"

// The activations of the training lab, element by element, with the bits the Swift code had:
// each operation rounded on its own (no fused multiply-add), the comparisons in the order Swift's
// min and max make them. Branch-free selects, so a random sign pattern costs no mispredictions.
#pragma STDC FP_CONTRACT OFF

BNLAB_BODY void bnlab_relu_forward_body(const float *z, int64_t count, float *a) {
    for (int64_t i = 0; i < count; i++) {
        const float v = z[i];
        a[i] = (v > 0.0f || v != v) ? v : 0.0f;   // NaN stays NaN, as in PyTorch
    }
}

BNLAB_BODY void bnlab_relu_backward_body(const float *a, const float *da, int64_t count, float *dz) {
    for (int64_t i = 0; i < count; i++) dz[i] = a[i] > 0.0f ? da[i] : 0.0f;
}

// FastTanh.value in Activation.swift: Eigen's 13/6 rational approximation.
BNLAB_BODY void bnlab_tanh_forward_body(const float *z, int64_t count, float *a) {
    const float bound = 7.90531110763549805f;
    for (int64_t i = 0; i < count; i++) {
        const float input = z[i];
        float x = (-bound >= input) ? -bound : input;   // Swift's max(input, −bound)
        x = (bound < x) ? bound : x;                   // Swift's min(x, bound)
        const float x2 = x * x;
        float p = -2.76076847742355e-16f;
        p = p * x2 + 2.00018790482477e-13f;
        p = p * x2 + -8.60467152213735e-11f;
        p = p * x2 + 5.12229709037114e-08f;
        p = p * x2 + 1.48572235717979e-05f;
        p = p * x2 + 6.37261928875436e-04f;
        p = p * x2 + 4.89352455891786e-03f;
        p = p * x;
        float q = 1.19825839466702e-06f;
        q = q * x2 + 1.18534705686654e-04f;
        q = q * x2 + 2.26843463243900e-03f;
        q = q * x2 + 4.89352518554385e-03f;
        const float result = p / q;
        const float magnitude = input < 0.0f ? -input : input;
        a[i] = magnitude < 0.0004f ? input : result;
    }
}

BNLAB_BODY void bnlab_tanh_backward_body(const float *a, const float *da, int64_t count, float *dz) {
    for (int64_t i = 0; i < count; i++) dz[i] = da[i] * (1.0f - a[i] * a[i]);
}

BNLAB_KERNEL_LEVELS(bnlab_relu_forward, (const float *z, int64_t count, float *a), (z, count, a))
BNLAB_KERNEL_LEVELS(bnlab_relu_backward, (const float *a, const float *da, int64_t count, float *dz), (a, da, count, dz))
BNLAB_KERNEL_LEVELS(bnlab_tanh_forward, (const float *z, int64_t count, float *a), (z, count, a))
BNLAB_KERNEL_LEVELS(bnlab_tanh_backward, (const float *a, const float *da, int64_t count, float *dz), (a, da, count, dz))
