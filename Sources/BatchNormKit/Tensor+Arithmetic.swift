/// Elementwise arithmetic, with the one broadcast BatchNorm needs: a per-channel vector of size C
/// applied across (N, C, …). Anything else must have the same shape. (NumPy's general rule is
/// `broadcasting(_:_:)`, in Tensor+Broadcasting.swift.)
///
/// The four arithmetic operations run in C (elementwise.c); the power and the comparisons, which
/// give 1 for true and 0 for false as `(x > 0) * 1.0` does in PyTorch, run in Swift.
public enum ElementwiseOperation: String, Sendable, CaseIterable {
    case add, subtract, multiply, divide
    case power
    case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual

    var verb: String {
        switch self {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide: "divide"
        case .power: "raise to a power"
        case .less, .lessOrEqual, .greater, .greaterOrEqual, .equal, .notEqual: "compare"
        }
    }

    /// True for the operations elementwise.c implements.
    var runsInC: Bool { self == .add || self == .subtract || self == .multiply || self == .divide }

    @inline(__always)
    func apply(_ a: Float, _ b: Float) -> Float {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: powf(a, b)
        case .less: a < b ? 1 : 0
        case .lessOrEqual: a <= b ? 1 : 0
        case .greater: a > b ? 1 : 0
        case .greaterOrEqual: a >= b ? 1 : 0
        case .equal: a == b ? 1 : 0
        case .notEqual: a != b ? 1 : 0
        }
    }
}

extension Tensor {
    /// `self ∘ scalar`, or `scalar ∘ self` when `scalarOnLeft` is true (so `1 - x` works).
    public func combined(with scalar: Float, _ op: ElementwiseOperation, scalarOnLeft: Bool = false) -> Tensor {
        guard op.runsInC else {
            return Tensor(uncheckedShape: shape, scalars: scalars.map { scalarOnLeft ? op.apply(scalar, $0) : op.apply($0, scalar) })
        }
        return Tensor(uncheckedShape: shape, scalars: ElementwiseKernel.scalar(scalars, scalar, op, scalarOnLeft: scalarOnLeft))
    }

    /// `self ∘ other` for equal shapes, or with `other` a per-channel vector of size C.
    /// A per-channel vector on the left (`gamma * x`) is accepted as well.
    public func combined(with other: Tensor, _ op: ElementwiseOperation) throws(TensorError) -> Tensor {
        if shape == other.shape {
            guard op.runsInC else {
                return Tensor(uncheckedShape: shape, scalars: zip(scalars, other.scalars).map { op.apply($0, $1) })
            }
            return Tensor(uncheckedShape: shape, scalars: ElementwiseKernel.tensors(scalars, other.scalars, op))
        }
        guard op.runsInC else { throw .shapeMismatch(operation: op.verb, lhs: shape, rhs: other.shape) }
        if rank >= 2, other.rank == 1, other.shape[0] == channels {
            return broadcastChannels(other, op, vectorOnLeft: false)
        }
        if other.rank >= 2, rank == 1, shape[0] == other.channels {
            return other.broadcastChannels(self, op, vectorOnLeft: true)
        }
        throw .shapeMismatch(operation: op.verb, lhs: shape, rhs: other.shape)
    }

    /// `self ∘ vector[channel]` across (N, C, …), or `vector[channel] ∘ self` when `vectorOnLeft`.
    private func broadcastChannels(_ vector: Tensor, _ op: ElementwiseOperation, vectorOnLeft: Bool) -> Tensor {
        let result = ElementwiseKernel.channels(scalars, n: batchSize, c: channels, inner: spatialSize,
                                                vector.scalars, op, vectorOnLeft: vectorOnLeft)
        return Tensor(uncheckedShape: shape, scalars: result)
    }

    /// The elementwise negation.
    public static prefix func - (x: Tensor) -> Tensor {
        Tensor(uncheckedShape: x.shape, scalars: x.scalars.map { -$0 })
    }

    /// How many elements are NaN and how many are ±∞: the shell warns when data holds either.
    public var nonFiniteCounts: (nan: Int, infinite: Int) {
        // The shell asks after every assignment: one vectorized pass for the usual answer, (0, 0).
        guard scalars.withUnsafeBufferPointer(HistogramKernel.summarize).nonFinite > 0 else { return (0, 0) }
        var nan = 0, infinite = 0
        for v in scalars where !v.isFinite {
            if v.isNaN { nan += 1 } else { infinite += 1 }
        }
        return (nan, infinite)
    }
}

extension Tensor {
    /// |x| elementwise.
    public func absolute() -> Tensor {
        Tensor(uncheckedShape: shape, scalars: scalars.map { abs($0) })
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
