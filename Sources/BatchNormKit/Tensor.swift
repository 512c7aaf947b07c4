/// A dense, row-major array of Float32 values with rank 1 to 4: the activations, parameters
/// and gradients that every layer in bnlab reads and writes.
///
/// Axis 1 is the channel axis, as in PyTorch: (N, C), (N, C, L) and (N, C, H, W) are the shapes
/// BatchNorm cares about. Storage is one contiguous `[Float]`, so a tensor is a value: copying it
/// is cheap until one copy is written to.
public struct Tensor: Equatable, Sendable {
    /// The size of each axis; `shape.count` is the rank.
    public let shape: [Int]
    /// Every element in row-major (C) order.
    public internal(set) var scalars: [Float]

    /// Builds a tensor from a shape and its row-major values.
    /// Throws when the rank is outside 1...4, a size is negative, the element count exceeds
    /// the cap, or the value count does not match the shape.
    public init(shape: [Int], scalars: [Float]) throws(TensorError) {
        let count = try Tensor.checkedElementCount(shape)
        guard scalars.count == count else {
            throw .valueCountMismatch(shape: shape, expected: count, got: scalars.count)
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` whose every element is `value`.
    public init(repeating value: Float, shape: [Int]) throws(TensorError) {
        let count = try Tensor.checkedElementCount(shape)
        self.shape = shape
        self.scalars = [Float](repeating: value, count: count)
    }

    /// A rank-1 tensor holding `values` (a per-channel vector, for instance).
    public init(vector values: [Float]) {
        self.shape = [values.count]
        self.scalars = values
    }

    /// Internal fast path for kernels that have already validated the shape.
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }

    /// Number of channels: the size of axis 1 (axis 0 for a rank-1 tensor).
    public var channels: Int { rank >= 2 ? shape[1] : shape[0] }

    /// Elements per channel per sample: the product of the axes after the channel axis.
    public var spatialSize: Int { rank > 2 ? shape[2...].reduce(1, *) : 1 }

    /// Samples: the size of axis 0 for rank ≥ 2.
    public var batchSize: Int { rank >= 2 ? shape[0] : 1 }

    /// The shape written the way PyTorch users read it: `(64, 8)`.
    public var shapeDescription: String { Tensor.describe(shape: shape) }

    public static func describe(shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]))" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// Element at a full index (one integer per axis), or nil when it is out of range.
    public func element(at index: [Int]) -> Float? {
        guard index.count == rank else { return nil }
        var flat = 0
        for (axis, i) in index.enumerated() {
            guard i >= 0 && i < shape[axis] else { return nil }
            flat = flat * shape[axis] + i
        }
        return scalars[flat]
    }

    /// The full index (one integer per axis) of the element stored at `flat`, in C order: the
    /// inverse of `element(at:)`'s arithmetic, for messages that point at one element.
    public static func index(ofFlat flat: Int, in shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    /// The same values under a new shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws(TensorError) -> Tensor {
        let count = try Tensor.checkedElementCount(newShape)
        guard count == self.count else {
            throw .reshapeMismatch(from: shape, to: newShape)
        }
        return Tensor(uncheckedShape: newShape, scalars: scalars)
    }

    /// Validates a shape and returns its element count without overflowing or allocating.
    /// With `checkingMemory` (the default), a large shape must also fit in the machine's free memory.
    public static func checkedElementCount(_ shape: [Int], checkingMemory: Bool = true) throws(TensorError) -> Int {
        guard (1...4).contains(shape.count) else { throw .unsupportedRank(shape.count) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .negativeSize(shape) }
        // The other axes are capped even when one is 0: every loop over samples, channels and
        // positions must stay small (an empty (10¹⁴, 1, 0) tensor would still loop 10¹⁴ times).
        var count = 1
        for size in shape where size > 0 {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= TensorLimits.maxElements else {
                throw .tooLarge(shape: shape, limit: TensorLimits.maxElements)
            }
            count = product
        }
        if shape.contains(0) { return 0 }
        // A cap raised past the machine's memory must still end in an error, not an allocation trap.
        if checkingMemory, count >= SystemMemory.checkAbove / MemoryLayout<Float>.size, let available = SystemMemory.availableBytes(),
           count * MemoryLayout<Float>.size > available {
            throw .notEnoughMemory(shape: shape, bytes: count * MemoryLayout<Float>.size, available: available)
        }
        return count
    }
}
