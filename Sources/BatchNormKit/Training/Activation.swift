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

    /// a = f(z), elementwise.
    func forward(_ z: Tensor) -> Tensor {
        var out = z.scalars
        switch self {
        case .relu:
            for i in out.indices where !(out[i] > 0) && !out[i].isNaN { out[i] = 0 }
        case .tanh:
            for i in out.indices { out[i] = Float(hyperbolicTangent(Double(out[i]))) }
        }
        return Tensor(uncheckedShape: z.shape, scalars: out)
    }

    /// dz = da · f′(z), written with the output a = f(z):
    /// relu′ = 1 where a > 0 else 0;  tanh′ = 1 − a².
    func backward(output a: Tensor, _ da: Tensor) -> Tensor {
        var dz = da.scalars
        switch self {
        case .relu:
            for i in dz.indices where !(a.scalars[i] > 0) { dz[i] = 0 }
        case .tanh:
            for i in dz.indices {
                let ai = a.scalars[i]
                dz[i] *= 1 - ai * ai
            }
        }
        return Tensor(uncheckedShape: da.shape, scalars: dz)
    }
}

/// libm's tanh, named apart from the `.tanh` case.
private func hyperbolicTangent(_ x: Double) -> Double { tanh(x) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
