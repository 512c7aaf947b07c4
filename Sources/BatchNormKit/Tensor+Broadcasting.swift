import CKernels

/// NumPy's broadcasting rule for every elementwise operation: shapes are aligned from the right,
/// and an axis of size 1 (or a missing one) stretches to the other side's size.
///
/// `(64, 8) - (8)`, `(4, 1) * (1, 3)` and `(N, C, H, W) * (1, C, 1, 1)` all work; `(4, 3) + (4)`
/// does not, as in NumPy and PyTorch. Equal shapes, a one-element side and a (1, C, 1, …) or (C)
/// vector against (N, C, …) take the existing vectorized loops; everything else walks the output
/// row by row, each row one C loop (or one Swift loop for `**` and the comparisons).
extension Tensor {
    /// The shape `a ∘ b` has under NumPy's rule, checked against the element cap before anything
    /// is allocated; `cannotBroadcast` names both shapes when an axis pair is neither equal nor 1.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) throws(TensorError) -> [Int] {
        let rank = Swift.max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let i = axis - (rank - a.count), j = axis - (rank - b.count)
            let da = i >= 0 ? a[i] : 1, db = j >= 0 ? b[j] : 1
            if da == db || db == 1 { result[axis] = da } else if da == 1 { result[axis] = db } else {
                throw .cannotBroadcast(lhs: a, rhs: b)
            }
        }
        _ = try checkedElementCount(result)
        return result
    }

    /// `self ∘ other` under NumPy's broadcasting rule (see the type's comment).
    public func broadcasting(_ other: Tensor, _ op: ElementwiseOperation) throws(TensorError) -> Tensor {
        if shape == other.shape { return try combined(with: other, op) }
        let result = try Tensor.broadcastShape(shape, other.shape)
        // One value on one side: the scalar loops (`x * ones(1)`, `ones(1, 1) - x`).
        if result == shape, other.count == 1 { return combined(with: other.scalars[0], op) }
        if result == other.shape, count == 1 { return other.combined(with: scalars[0], op, scalarOnLeft: true) }
        // A per-channel vector, (C) against (N, C) or (1, C, 1, …) against (N, C, …): the channel loops.
        if op.runsInC {
            if result == shape, isChannelVector(other) {
                return try combined(with: Tensor(uncheckedShape: [other.count], scalars: other.scalars), op)
            }
            if result == other.shape, other.isChannelVector(self) {
                return try Tensor(uncheckedShape: [count], scalars: scalars).combined(with: other, op)
            }
        }
        return Tensor(uncheckedShape: result, scalars: Self.broadcastLoop(self, other, op, shape: result))
    }

    /// True when `v` holds one value per channel of self in a shape NumPy lines up with axis 1.
    private func isChannelVector(_ v: Tensor) -> Bool {
        guard rank >= 2, v.count == channels else { return false }
        if rank == 2 { return v.shape == [channels] || v.shape == [1, channels] }
        return v.rank == rank && v.shape[1] == channels && v.shape.enumerated().allSatisfy { $0.offset == 1 || $0.element == 1 }
    }

    /// Row-major strides of `shape` padded on the left to `rank` axes, 0 along axes of size 1
    /// (the axes that stretch).
    private static func broadcastStrides(_ shape: [Int], rank: Int) -> [Int] {
        let padded = [Int](repeating: 1, count: rank - shape.count) + shape
        var strides = [Int](repeating: 0, count: rank)
        var stride = 1
        for axis in (0..<rank).reversed() {
            strides[axis] = padded[axis] == 1 ? 0 : stride
            stride *= padded[axis]
        }
        return strides
    }

    /// The general case: the output row by row (its last axis), each input either walking along
    /// the row or repeating one value across it.
    private static func broadcastLoop(_ a: Tensor, _ b: Tensor, _ op: ElementwiseOperation, shape: [Int]) -> [Float] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        let rank = shape.count, width = shape[rank - 1], rows = count / width
        let sa = broadcastStrides(a.shape, rank: rank), sb = broadcastStrides(b.shape, rank: rank)
        let (stepA, stepB) = (sa[rank - 1], sb[rank - 1])
        return a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    var index = [Int](repeating: 0, count: rank)  // the row's index on the outer axes
                    var (offsetA, offsetB) = (0, 0)
                    for row in 0..<rows {
                        let y = out.baseAddress! + row * width
                        let (x, z) = (pa.baseAddress! + offsetA, pb.baseAddress! + offsetB)
                        broadcastRow(x, stepA, z, stepB, width, op, y)
                        // Advance the odometer over the outer axes, carrying the offsets along.
                        var axis = rank - 2
                        while axis >= 0 {
                            index[axis] += 1
                            offsetA += sa[axis]
                            offsetB += sb[axis]
                            if index[axis] < shape[axis] { break }
                            offsetA -= sa[axis] * index[axis]
                            offsetB -= sb[axis] * index[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                    initialized = count
                }
            }
        }
    }

    /// y[j] = a[j·stepA] ∘ b[j·stepB] for j < width, each step 0 (one value repeated) or 1.
    private static func broadcastRow(_ a: UnsafePointer<Float>, _ stepA: Int, _ b: UnsafePointer<Float>, _ stepB: Int,
                             _ width: Int, _ op: ElementwiseOperation, _ y: UnsafeMutablePointer<Float>) {
        if op.runsInC {
            switch (stepA, stepB) {
            case (1, 1): bnlab_elementwise_tensor(a, b, Int64(width), op.kernelCode, y)
            case (1, _): bnlab_elementwise_scalar(a, Int64(width), b[0], op.kernelCode, 0, y)
            case (_, 1): bnlab_elementwise_scalar(b, Int64(width), a[0], op.kernelCode, 1, y)
            default: bnlab_elementwise_scalar(a, 1, b[0], op.kernelCode, 0, y)
                for j in 1..<Swift.max(1, width) { y[j] = y[0] }
            }
            return
        }
        for j in 0..<width { y[j] = op.apply(a[j * stepA], b[j * stepB]) }
    }

    /// `where(condition, a, b)`: a where the condition is nonzero (NaN counts as true, as in
    /// NumPy), b elsewhere, all three broadcast together.
    public static func selecting(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(TensorError) -> Tensor {
        let shape = try broadcastShape(try broadcastShape(condition.shape, a.shape), b.shape)
        let count = try checkedElementCount(shape)
        let rank = shape.count
        let strides = [condition, a, b].map { broadcastStrides($0.shape, rank: rank) }
        var result = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: rank)
        var offsets = [0, 0, 0]
        for flat in 0..<count {
            result[flat] = condition.scalars[offsets[0]] != 0 ? a.scalars[offsets[1]] : b.scalars[offsets[2]]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                for k in 0..<3 { offsets[k] += strides[k][axis] }
                if index[axis] < shape[axis] { break }
                for k in 0..<3 { offsets[k] -= strides[k][axis] * index[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(uncheckedShape: shape, scalars: result)
    }
}
