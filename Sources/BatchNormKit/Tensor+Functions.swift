/// The elementwise functions of the array language — `sqrt`, `exp`, `log`, `tanh`, `relu` — on
/// numbers (Float64) and tensors (Float32), with NumPy's answers at the edges: sqrt(-1) and
/// log(-1) are NaN, log(0) is -∞, relu(NaN) is NaN (as `torch.relu`).
public enum ElementwiseFunction: String, Sendable, CaseIterable {
    case sqrt, exp, log, tanh, relu

    /// The function on one float32 value.
    public func apply(_ x: Float) -> Float {
        switch self {
        case .sqrt: x.squareRoot()
        case .exp: _expf(x)
        case .log: _logf(x)
        case .tanh: _tanhf(x)
        case .relu: x > 0 || x.isNaN ? x : 0
        }
    }

    /// The function on one number of the language (Float64).
    public func apply(_ x: Double) -> Double {
        switch self {
        case .sqrt: x.squareRoot()
        case .exp: _exp(x)
        case .log: _log(x)
        case .tanh: _tanh(x)
        case .relu: x > 0 || x.isNaN ? x : 0
        }
    }
}

extension Tensor {
    /// `f(x)` for every element: `sqrt(v + 1e-5)`.
    public func applying(_ function: ElementwiseFunction) -> Tensor {
        Tensor(uncheckedShape: shape, scalars: scalars.map { function.apply($0) })
    }
}

// The C library's functions, named apart from the cases that share their names.
private func _exp(_ x: Double) -> Double { exp(x) }
private func _log(_ x: Double) -> Double { log(x) }
private func _tanh(_ x: Double) -> Double { tanh(x) }
private func _expf(_ x: Float) -> Float { expf(x) }
private func _logf(_ x: Float) -> Float { logf(x) }
private func _tanhf(_ x: Float) -> Float { tanhf(x) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
