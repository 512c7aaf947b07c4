/// One entry of a subscript `x[i, 1:3, ::2]`: an integer, which picks one position and drops its
/// axis, or a slice `start:stop:step` with Python's rules (negative values count from the end,
/// bounds past the ends are clamped, a reversed range is empty, a left-out part is the whole axis).
public enum TensorSubscript: Equatable, Sendable {
    case index(Int)
    case slice(start: Int?, stop: Int?, step: Int?)

    /// `:`, the whole axis.
    public static let all = TensorSubscript.slice(start: nil, stop: nil, step: nil)
}

/// What indexing or `a @ b` gives: one number when no axis is left, else a tensor.
public enum ScalarOrTensor: Equatable, Sendable {
    case scalar(Float)
    case tensor(Tensor)
}

extension Tensor {
    /// `x[subscripts…]` as NumPy reads it: one entry per leading axis (fewer than the rank select
    /// the trailing axes whole); integer entries drop their axis, slices keep it. The result is a copy.
    public func subscripted(_ subscripts: [TensorSubscript]) throws(TensorError) -> ScalarOrTensor {
        guard subscripts.count <= rank else { throw .tooManyIndices(given: subscripts.count, rank: rank) }
        var picks: [[Int]] = []
        var resultShape: [Int] = []
        for axis in 0..<rank {
            let size = shape[axis]
            switch axis < subscripts.count ? subscripts[axis] : .all {
            case .index(let i):
                guard i >= -size, i < size else { throw .indexOutOfRange(index: i, axis: axis, size: size) }
                picks.append([i < 0 ? i + size : i])
            case .slice(let start, let stop, let step):
                let positions = try Tensor.slicePositions(start: start, stop: stop, step: step, size: size)
                picks.append(positions)
                resultShape.append(positions.count)
            }
        }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let total = picks.reduce(1) { $0 * $1.count }
        var values: [Float] = []
        values.reserveCapacity(total)
        if total > 0 {
            var index = [Int](repeating: 0, count: rank)
            for _ in 0..<total {
                var flat = 0
                for axis in 0..<rank { flat += picks[axis][index[axis]] * strides[axis] }
                values.append(scalars[flat])
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    if index[axis] < picks[axis].count { break }
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        if resultShape.isEmpty { return .scalar(values[0]) }
        return .tensor(Tensor(uncheckedShape: resultShape, scalars: values))
    }

    /// The positions `start:stop:step` selects on an axis of `size`, as Python's `slice.indices`.
    /// Any Int is accepted (bounds are clamped before any arithmetic, so none can overflow).
    public static func slicePositions(start: Int?, stop: Int?, step: Int?, size: Int) throws(TensorError) -> [Int] {
        let step = step ?? 1
        guard step != 0 else { throw .zeroSliceStep }
        // A step longer than the axis picks at most the first position, like one exactly as long.
        let reach = Swift.max(size, 1)
        let s = Swift.min(Swift.max(step, -reach), reach)
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v, -size - 1), size + 1) }
        func resolve(_ v: Int, low: Int, high: Int) -> Int {
            let v = clamp(v)
            let shifted = v < 0 ? v + size : v
            return Swift.min(Swift.max(shifted, low), high)
        }
        if s > 0 {
            let first = start.map { resolve($0, low: 0, high: size) } ?? 0
            let end = stop.map { resolve($0, low: 0, high: size) } ?? size
            return first < end ? Array(stride(from: first, to: end, by: s)) : []
        }
        let first = start.map { resolve($0, low: -1, high: size - 1) } ?? size - 1
        let end = stop.map { resolve($0, low: -1, high: size - 1) } ?? -1
        return first > end ? Array(stride(from: first, to: end, by: s)) : []
    }
}
