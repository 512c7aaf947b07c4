/// The constructors the language exposes: `zeros`, `ones`, `randn`, `rand`, `full` and nested
/// literals such as `[[1, 2], [3, 4]]`.
extension Tensor {
    public static func zeros(_ shape: [Int]) throws(TensorError) -> Tensor {
        try Tensor(repeating: 0, shape: shape)
    }

    public static func ones(_ shape: [Int]) throws(TensorError) -> Tensor {
        try Tensor(repeating: 1, shape: shape)
    }

    /// Standard normal values drawn from `generator`.
    public static func randn(_ shape: [Int], using generator: inout SeededGenerator) throws(TensorError) -> Tensor {
        let count = try checkedElementCount(shape)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = Float(generator.nextNormal()) }
        return Tensor(uncheckedShape: shape, scalars: values)
    }

    /// Uniform values in [0, 1) drawn from `generator`.
    public static func rand(_ shape: [Int], using generator: inout SeededGenerator) throws(TensorError) -> Tensor {
        let count = try checkedElementCount(shape)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = generator.nextUniform() }
        return Tensor(uncheckedShape: shape, scalars: values)
    }

    /// A nested list literal. Each entry is either a number or a nested list; every row at the
    /// same depth must have the same length (a "ragged" literal is an error, as in NumPy ≥ 1.24).
    public indirect enum Literal: Sendable {
        case number(Float)
        case list([Literal])
    }

    public static func fromLiteral(_ literal: Literal) throws(TensorError) -> Tensor {
        var shape: [Int] = []
        var probe = literal
        while case .list(let items) = probe {
            shape.append(items.count)
            guard shape.count <= 4 else { throw .unsupportedRank(shape.count + 1) }
            guard let first = items.first else { break }
            probe = first
        }
        if shape.isEmpty { throw .invalidArgument("a tensor literal needs brackets: write [\(literal)]") }
        let count = try checkedElementCount(shape)
        var values: [Float] = []
        values.reserveCapacity(count)
        try flatten(literal, depth: 0, shape: shape, into: &values)
        return Tensor(uncheckedShape: shape, scalars: values)
    }

    private static func flatten(_ literal: Literal, depth: Int, shape: [Int], into values: inout [Float]) throws(TensorError) {
        switch literal {
        case .number(let v):
            guard depth == shape.count else {
                throw .raggedLiteral(depth: depth, expected: shape[depth], got: 0)
            }
            values.append(v)
        case .list(let items):
            guard depth < shape.count else {
                throw .raggedLiteral(depth: depth, expected: 0, got: items.count)
            }
            guard items.count == shape[depth] else {
                throw .raggedLiteral(depth: depth, expected: shape[depth], got: items.count)
            }
            for item in items { try flatten(item, depth: depth + 1, shape: shape, into: &values) }
        }
    }
}

extension Tensor.Literal: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let v): "\(v)"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}

extension Tensor {
    /// The samples (axis-0 slices) at `indices`, in that order: a mini-batch drawn from a data set.
    public func samples(_ indices: [Int]) throws(TensorError) -> Tensor {
        guard rank >= 2 else { throw .inputRank(layer: "a mini-batch", expected: "(N, C, …)", got: shape) }
        let size = count / Swift.max(1, shape[0])
        var values: [Float] = []
        values.reserveCapacity(indices.count * size)
        for i in indices {
            guard (0..<shape[0]).contains(i) else { throw .invalidArgument("sample \(i) is out of range 0…\(shape[0] - 1)") }
            values += scalars[(i * size)..<((i + 1) * size)]
        }
        return Tensor(uncheckedShape: [indices.count] + shape.dropFirst(), scalars: values)
    }
}

extension Tensor {
    /// Every value of channel `c` (axis 1), sample by sample: what `stats` and `hist(x, channel: c)`
    /// summarize. A rank-1 tensor is one channel.
    public func channel(_ c: Int) -> [Float] {
        guard rank >= 2 else { return scalars }
        var result: [Float] = []
        result.reserveCapacity(batchSize * spatialSize)
        for sample in 0..<batchSize {
            let base = (sample * channels + c) * spatialSize
            result += scalars[base..<(base + spatialSize)]
        }
        return result
    }
}
