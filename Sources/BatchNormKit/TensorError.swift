/// Everything that can go wrong while building tensors or running a layer, as a value the shell
/// can print. The messages are written for a learner and follow PyTorch's where PyTorch has one.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case unsupportedRank(Int)
    case negativeSize([Int])
    case tooLarge(shape: [Int], limit: Int)
    /// A norm layer whose parameters and statistics together pass the element cap.
    case layerTooLarge(shape: [Int], values: Int, limit: Int)
    /// Within the element cap, but more than the machine has free.
    case notEnoughMemory(shape: [Int], bytes: Int, available: Int)
    case valueCountMismatch(shape: [Int], expected: Int, got: Int)
    case reshapeMismatch(from: [Int], to: [Int])
    case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
    case raggedLiteral(depth: Int, expected: Int, got: Int)
    case inputRank(layer: String, expected: String, got: [Int])
    case channelMismatch(layer: String, expected: Int, got: [Int])
    case parameterShape(name: String, expected: [Int], got: [Int])
    case oneValuePerChannel([Int])
    case oneSpatialElement([Int])
    case groupsDoNotDivide(channels: Int, groups: Int)
    case invalidArgument(String)
    /// Two shapes NumPy's rule cannot line up (see `Tensor.broadcastShape`).
    case cannotBroadcast(lhs: [Int], rhs: [Int])
    /// An integer index outside -size..<size of its axis.
    case indexOutOfRange(index: Int, axis: Int, size: Int)
    case tooManyIndices(given: Int, rank: Int)
    case zeroSliceStep
    /// An `axis:` outside -rank..<rank.
    case axisOutOfRange(axis: Int, rank: Int)
    case repeatedAxis(Int)
    /// A long computation stopped because its `shouldStop` said so (Ctrl-C in the shell).
    case interrupted

    public var description: String {
        switch self {
        case .unsupportedRank(let rank):
            return "tensors have 1 to 4 axes; this one would have \(rank)"
        case .negativeSize(let shape):
            return "a tensor size cannot be negative: \(Tensor.describe(shape: shape))"
        case .tooLarge(let shape, let limit):
            let size = limit >= 1 << 18 ? " (\(limit / (1 << 18)) MiB of float32)" : ""
            if shape.contains(0) {
                // Empty, but every loop over its other axes would still run their full length.
                return "a tensor of shape \(Tensor.describe(shape: shape)) has no elements, but its other axes "
                    + "multiply to more than the limit of \(limit) elements\(size), which bounds them too; "
                    + "raise it with --max-elements or BNLAB_MAX_ELEMENTS if you mean it"
            }
            return "a tensor of shape \(Tensor.describe(shape: shape)) is larger than the limit of "
                + "\(limit) elements\(size); "
                + "raise it with --max-elements or BNLAB_MAX_ELEMENTS if you mean it"
        case .layerTooLarge(let shape, let values, let limit):
            return "a layer over shape \(Tensor.describe(shape: shape)) would hold \(values) values (γ, β and any "
                + "running statistics, \(shape.reduce(1, *)) each), more than the limit of \(limit) elements; "
                + "raise it with --max-elements or BNLAB_MAX_ELEMENTS if you mean it"
        case .notEnoughMemory(let shape, let bytes, let available):
            return "a tensor of shape \(Tensor.describe(shape: shape)) needs \(bytes >> 20) MiB and this machine has "
                + "\(available >> 20) MiB free"
        case .valueCountMismatch(let shape, let expected, let got):
            return "shape \(Tensor.describe(shape: shape)) needs \(expected) values, got \(got)"
        case .reshapeMismatch(let from, let to):
            return "cannot reshape \(Tensor.describe(shape: from)) into \(Tensor.describe(shape: to)): "
                + "the element counts differ"
        case .shapeMismatch(let operation, let lhs, let rhs):
            return "cannot \(operation) tensors of shapes \(Tensor.describe(shape: lhs)) and "
                + "\(Tensor.describe(shape: rhs)): shapes must match, or the right side must be a "
                + "per-channel vector of size \(lhs.count >= 2 ? lhs[1] : lhs.first ?? 0)"
        case .raggedLiteral(let depth, let expected, let got):
            return "ragged tensor literal: at depth \(depth) a row has \(got) entries where \(expected) were expected"
        case .inputRank(let layer, let expected, let got):
            return "\(layer) expects \(expected) input, got shape \(Tensor.describe(shape: got))"
        case .channelMismatch(let layer, let expected, let got):
            return "\(layer) has \(expected) channels, but the input's axis 1 has "
                + "\(got.count >= 2 ? got[1] : 0) (shape \(Tensor.describe(shape: got)))"
        case .parameterShape(let name, let expected, let got):
            return "\(name) must have shape \(Tensor.describe(shape: expected)), got \(Tensor.describe(shape: got))"
        case .oneValuePerChannel(let shape):
            return "Expected more than 1 value per channel when training, got input size "
                + "\(Tensor.describe(shape: shape)) (PyTorch's error: a batch statistic of one value has "
                + "no variance; use a larger batch, or eval mode)"
        case .oneSpatialElement(let shape):
            return "Expected more than 1 spatial element when training, got input size "
                + "\(Tensor.describe(shape: shape)) (instance norm normalizes each sample's channel "
                + "over its positions, so it needs (N, C, L) with L > 1)"
        case .groupsDoNotDivide(let channels, let groups):
            return "num_channels (\(channels)) must be divisible by num_groups (\(groups))"
        case .invalidArgument(let message):
            return message
        case .cannotBroadcast(let lhs, let rhs):
            var text = "operands could not be broadcast together with shapes \(Tensor.describe(shape: lhs)) and "
                + "\(Tensor.describe(shape: rhs))"
            // bnlab once stretched a (C) vector over axis 1 of (N, C, …); NumPy aligns from the right.
            for (big, small) in [(lhs, rhs), (rhs, lhs)] where big.count >= 3 && small.count == 1 && small[0] == big[1] {
                let ones = [1, big[1]] + [Int](repeating: 1, count: big.count - 2)
                text += " (shapes line up from the right: for one value per channel, reshape the vector to "
                    + "\(Tensor.describe(shape: ones)))"
                break
            }
            return text
        case .indexOutOfRange(let index, let axis, let size):
            return TensorError.outOfRange(index: String(index), axis: axis, size: size)
        case .tooManyIndices(let given, let rank):
            return "too many indices for a tensor of rank \(rank): \(given) were given"
        case .zeroSliceStep:
            return "slice step cannot be zero"
        case .axisOutOfRange(let axis, let rank):
            return TensorError.axisOutOfRange(axis: String(axis), rank: rank)
        case .repeatedAxis(let axis):
            return "axis \(axis) is named twice"
        case .interrupted:
            return "interrupted"
        }
    }
}

extension TensorError {
    /// The sentence of `axisOutOfRange`, also for an axis too large to be an Int.
    public static func axisOutOfRange(axis: String, rank: Int) -> String {
        "axis \(axis) is out of range for a tensor of rank \(rank) (axes are \(-rank) to \(rank - 1))"
    }

    /// The sentence of `indexOutOfRange`, also for an index too large to be an Int (`x[1e20]`).
    public static func outOfRange(index: String, axis: Int, size: Int) -> String {
        "index \(index) is out of range for axis \(axis) with size \(size)"
    }

    /// A backward pass given dy of another shape than x.
    static func gradientShape(x: [Int], dy: [Int]) -> TensorError {
        .invalidArgument("dy must have the same shape as x: x is \(Tensor.describe(shape: x)), dy is \(Tensor.describe(shape: dy))")
    }
}
