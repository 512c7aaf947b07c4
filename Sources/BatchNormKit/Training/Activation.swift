import CKernels

/// The nonlinearity after each hidden block of an `MLP`: what makes a stack of Linear layers more
/// than one Linear layer, and what BatchNorm keeps out of its flat, saturated or dead regions.
public enum Activation: String, Sendable, CaseIterable {
    /// max(0, x): unbounded above, zero ("dead") for every negative input.
    case relu
    /// tanh(x): bounded in (−1, 1), flat ("saturated") for large |x|.
    case tanh

    /// The Kaiming/Xavier gain that keeps activations at unit scale through a layer
    /// (PyTorch's `torch.nn.init.calculate_gain`): √2 for relu, 5/3 for tanh.
    public var gain: Double {
        switch self {
        case .relu: 2.0.squareRoot()
        case .tanh: 5.0 / 3.0
        }
    }

    /// True when an activation value sits where the gradient (almost) vanishes:
    /// relu outputs exactly 0 ("dead"), tanh outputs beyond ±0.97 ("saturated").
    public func isSaturated(_ a: Float) -> Bool {
        switch self {
        case .relu: a == 0
        case .tanh: abs(a) > 0.97
        }
    }

    /// a = f(z), elementwise, in the C kernels (branch-free and vectorized: the Swift loops were
    /// a fifth of a training epoch, relu′ mostly in mispredicted branches).
    func forward(_ z: Tensor) -> Tensor {
        let out = [Float](unsafeUninitializedCapacity: z.count) { out, initialized in
            z.scalars.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { return }
                switch self {
                case .relu: bnlab_relu_forward(source, Int64(input.count), target)
                case .tanh: bnlab_tanh_forward(source, Int64(input.count), target)
                }
            }
            initialized = z.count
        }
        return Tensor(uncheckedShape: z.shape, scalars: out)
    }

    /// dz = da · f′(z), written with the output a = f(z):
    /// relu′ = 1 where a > 0 else 0;  tanh′ = 1 − a².
    func backward(output a: Tensor, _ da: Tensor) -> Tensor {
        let count = Swift.min(a.count, da.count)
        let dz = [Float](unsafeUninitializedCapacity: count) { dz, initialized in
            a.scalars.withUnsafeBufferPointer { a in
                da.scalars.withUnsafeBufferPointer { da in
                    guard count > 0 else { return }
                    switch self {
                    case .relu: bnlab_relu_backward(a.baseAddress!, da.baseAddress!, Int64(count), dz.baseAddress!)
                    case .tanh: bnlab_tanh_backward(a.baseAddress!, da.baseAddress!, Int64(count), dz.baseAddress!)
                    }
                }
            }
            initialized = count
        }
        return Tensor(uncheckedShape: da.shape, scalars: dz)
    }
}

/// tanh in float32 as Eigen (and so PyTorch's vectorized CPU kernels) computes it: a 13/6 rational
/// approximation on [−7.9, 7.9], exactly ±1 beyond, x itself below 4·10⁻⁴; within a few ulp of the
/// true value. No table, no branch the compiler cannot turn into a select, no libm: libm's tanhf
/// (through expm1f) was 40 % of a deep tanh network's training. The same bits on every machine, as
/// long as the multiply-adds are not fused (Swift does not contract them).
enum FastTanh {
    @inline(__always)
    static func value(_ input: Float) -> Float {
        let x = min(max(input, -7.90531110763549805), 7.90531110763549805)
        let x2 = x * x
        var p: Float = -2.76076847742355e-16
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q: Float = 1.19825839466702e-06
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        let result = p / q
        return abs(input) < 0.0004 ? input : result
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
