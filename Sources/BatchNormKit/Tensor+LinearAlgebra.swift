/// Rearranging and multiplying tensors: `x.T`, `permute(x, [dims])`, `a @ b`, `concat` and `stack`,
/// with NumPy's shapes and PyTorch's messages. Every result's shape is checked against the element
/// cap before it is allocated.
extension Tensor {
    /// xᵀ of a (rows, columns) tensor; a vector is its own transpose, as `x.T` in NumPy.
    public func transposed() throws(TensorError) -> Tensor {
        if rank == 1 { return self }
        guard rank == 2 else {
            throw .invalidArgument("transpose takes a 1-D or 2-D tensor, got \(shapeDescription); "
                + "permute(x, [dims]) reorders any axes")
        }
        return Tensor(uncheckedShape: [shape[1], shape[0]], scalars: Matmul.transpose(scalars, rows: shape[0], columns: shape[1]))
    }

    /// The axes reordered: axis i of the result is axis `dims[i]` of self (negative counted from the
    /// end), as `x.permute(dims)` in PyTorch and `np.transpose(x, dims)`.
    public func permuted(_ dims: [Int]) throws(TensorError) -> Tensor {
        guard dims.count == rank else {
            throw .invalidArgument("permute needs one axis per axis of \(shapeDescription) (\(rank)), got \(dims.count)")
        }
        var order: [Int] = []
        for d in dims {
            guard d >= -rank, d < rank else { throw .axisOutOfRange(axis: d, rank: rank) }
            let axis = d < 0 ? d + rank : d
            guard !order.contains(axis) else { throw .repeatedAxis(d) }
            order.append(axis)
        }
        let newShape = order.map { shape[$0] }
        var strides = [Int](repeating: 1, count: rank)
        for axis in stride(from: rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * shape[axis + 1] }
        let step = order.map { strides[$0] }
        var values = [Float](repeating: 0, count: count)
        var index = [Int](repeating: 0, count: rank)
        var offset = 0
        for flat in 0..<count {
            values[flat] = scalars[offset]
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                offset += step[axis]
                if index[axis] < newShape[axis] { break }
                offset -= step[axis] * index[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return Tensor(uncheckedShape: newShape, scalars: values)
    }

    /// `self @ other`: (m, k) @ (k, n) → (m, n); a vector on the left is a row (k) @ (k, n) → (n),
    /// on the right a column (m, k) @ (k) → (m); two vectors give their dot product. Rows are
    /// computed in order, with `shouldStop` asked between blocks of them.
    public func matmul(_ other: Tensor, shouldStop: () -> Bool = { false }) throws(TensorError) -> ScalarOrTensor {
        guard rank <= 2, other.rank <= 2 else {
            throw .invalidArgument("@ multiplies 1-D and 2-D tensors, got \(shapeDescription) @ \(other.shapeDescription)")
        }
        let (m, k) = rank == 2 ? (shape[0], shape[1]) : (1, shape[0])
        let (k2, n) = other.rank == 2 ? (other.shape[0], other.shape[1]) : (other.shape[0], 1)
        guard k == k2 else {
            let written = { (s: [Int]) in s.map(String.init).joined(separator: "x") }
            throw .invalidArgument("cannot multiply \(shapeDescription) @ \(other.shapeDescription): \(k) against \(k2) "
                + "(PyTorch: shapes cannot be multiplied (\(written(shape)) and \(written(other.shape))))")
        }
        var resultShape: [Int] = []
        if rank == 2 { resultShape.append(m) }
        if other.rank == 2 { resultShape.append(n) }
        let count = try Tensor.checkedElementCount(resultShape.isEmpty ? [1] : resultShape)
        var c = [Float](repeating: 0, count: count)
        // Blocks of rows of about a million multiply-adds each: small enough to stop promptly.
        let rowsPerBlock = Swift.max(1, (1 << 20) / Swift.max(1, k * n))
        var row = 0
        while row < m {
            if shouldStop() { throw .interrupted }
            let rows = Swift.min(rowsPerBlock, m - row)
            var block = [Float](repeating: 0, count: rows * n)
            Matmul.multiplyAdd(Array(scalars[(row * k)..<((row + rows) * k)]), other.scalars, m: rows, k: k, n: n, into: &block)
            c.replaceSubrange((row * n)..<((row + rows) * n), with: block)
            row += rows
        }
        if resultShape.isEmpty { return .scalar(c[0]) }
        return .tensor(Tensor(uncheckedShape: resultShape, scalars: c))
    }

    /// The tensors joined along an existing axis, as `torch.cat(tensors, dim=axis)`: every other
    /// axis must agree.
    public static func concatenated(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw .invalidArgument("concat needs at least one tensor") }
        let rank = first.rank
        guard axis >= -rank, axis < rank else { throw .axisOutOfRange(axis: axis, rank: rank) }
        let a = axis < 0 ? axis + rank : axis
        var total = 0
        for (i, t) in tensors.enumerated() {
            guard t.rank == rank, t.shape.indices.allSatisfy({ $0 == a || t.shape[$0] == first.shape[$0] }) else {
                throw .invalidArgument("concat: tensor \(i + 1) has shape \(t.shapeDescription), tensor 1 has "
                    + "\(first.shapeDescription); every axis but \(axis) must match")
            }
            let (sum, overflow) = total.addingReportingOverflow(t.shape[a])
            guard !overflow else { throw .tooLarge(shape: first.shape, limit: TensorLimits.maxElements) }
            total = sum
        }
        var shape = first.shape
        shape[a] = total
        let count = try checkedElementCount(shape)
        // Row-major: the result is, for each index of the axes before `a`, one block from each tensor.
        let outer = first.shape[..<a].reduce(1, *)
        var values: [Float] = []
        values.reserveCapacity(count)
        for o in 0..<outer {
            for t in tensors {
                let block = t.shape[a...].reduce(1, *)
                values += t.scalars[(o * block)..<((o + 1) * block)]
            }
        }
        return Tensor(uncheckedShape: shape, scalars: values)
    }

    /// The tensors, all of one shape, stacked along a new axis, as `torch.stack(tensors, dim=axis)`
    /// (the new axis may be rank, the end).
    public static func stacked(_ tensors: [Tensor], axis: Int) throws(TensorError) -> Tensor {
        guard let first = tensors.first else { throw .invalidArgument("stack needs at least one tensor") }
        let rank = first.rank + 1
        guard axis >= -rank, axis < rank else { throw .axisOutOfRange(axis: axis, rank: rank) }
        let a = axis < 0 ? axis + rank : axis
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw .invalidArgument("stack expects each tensor to be equal size, but tensor \(i + 1) has shape "
                + "\(t.shapeDescription) and tensor 1 has \(first.shapeDescription)")
        }
        var expanded = first.shape
        expanded.insert(1, at: a)
        _ = try checkedElementCount(expanded)
        var shape = first.shape
        shape.insert(tensors.count, at: a)
        _ = try checkedElementCount(shape)
        return try concatenated(tensors.map { Tensor(uncheckedShape: expanded, scalars: $0.scalars) }, axis: a)
    }
}
