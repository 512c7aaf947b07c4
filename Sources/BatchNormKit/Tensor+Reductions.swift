/// `sum`, `mean`, `var`, `std`, `min` and `max` along chosen axes, as NumPy's and PyTorch's
/// `x.mean(axis=0, keepdims=True)` / `x.var(dim=0, correction=0)`.
///
/// Sums run in Float64 (variance in two passes: mean, then squared deviations) and the result is
/// rounded to Float32 once, so it is as close to the exact value as a float32 can be — NumPy's
/// pairwise float32 sum can differ from it in the last bits. NaN propagates (min and max too, as
/// in NumPy); ±∞ follow IEEE arithmetic.
public enum Reduction: String, Sendable, CaseIterable {
    case sum, mean
    case variance = "var"
    case std, min, max
}

extension Tensor {
    /// `axes` with negative ones counted from the end, each checked to be in range and named once,
    /// in increasing order.
    public func normalizedAxes(_ axes: [Int]) throws(TensorError) -> [Int] {
        var result: [Int] = []
        for axis in axes {
            guard axis >= -rank, axis < rank else { throw .axisOutOfRange(axis: axis, rank: rank) }
            let a = axis < 0 ? axis + rank : axis
            guard !result.contains(a) else { throw .repeatedAxis(axis) }
            result.append(a)
        }
        return result.sorted()
    }

    /// The reduction over `axes` (every axis when nil). The reduced axes stay with size 1 when
    /// `keepdims`, else they go; when every axis goes the result has shape (1) — the shell shows
    /// it as a number. `correction` is what `var` and `std` subtract from the count they divide by
    /// (0: biased ÷ n, NumPy's default; 1: unbiased ÷ (n − 1), PyTorch's); a count at or below it
    /// gives NaN (or ∞), as both libraries do.
    public func reduced(_ reduction: Reduction, axes: [Int]? = nil, keepdims: Bool = false,
                        correction: Double = 0) throws(TensorError) -> Tensor {
        let axes = try axes.map { (a) throws(TensorError) in try normalizedAxes(a) } ?? Array(0..<rank)
        var kept = shape
        for axis in axes { kept[axis] = 1 }
        let n = axes.reduce(1) { $0 * shape[$1] }
        let outCount = try Tensor.checkedElementCount(kept)
        if n == 0, reduction == .min || reduction == .max {
            throw .invalidArgument("\(reduction.rawValue) over an empty axis has no value (NumPy: zero-size array "
                + "to reduction operation \(reduction == .min ? "minimum" : "maximum") which has no identity)")
        }
        let values: [Double]
        switch reduction {
        case .sum: values = accumulate(axes, into: outCount, start: 0) { $0 + Double($1) }
        case .mean: values = mean(axes, outCount: outCount, n: n)
        case .variance, .std:
            let divisor = Swift.max(0, Double(n) - correction)
            var v = squaredDeviations(axes, outCount: outCount, n: n).map { $0 / divisor }
            if reduction == .std { v = v.map { $0.squareRoot() } }
            values = v
        case .min: values = accumulate(axes, into: outCount, start: .infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.min($0, Double($1)) }
        case .max: values = accumulate(axes, into: outCount, start: -.infinity) { $0.isNaN || $1.isNaN ? .nan : Swift.max($0, Double($1)) }
        }
        var resultShape = keepdims ? kept : shape.indices.filter { !axes.contains($0) }.map { shape[$0] }
        if resultShape.isEmpty { resultShape = [1] }
        return Tensor(uncheckedShape: resultShape, scalars: values.map { Float($0) })
    }

    private func mean(_ axes: [Int], outCount: Int, n: Int) -> [Double] {
        accumulate(axes, into: outCount, start: 0) { $0 + Double($1) }.map { $0 / Double(n) }
    }

    /// Σ (x − mean)² per output element: the second pass of the two-pass variance.
    private func squaredDeviations(_ axes: [Int], outCount: Int, n: Int) -> [Double] {
        let means = mean(axes, outCount: outCount, n: n)
        var sums = [Double](repeating: 0, count: outCount)
        forEachElement(reducing: axes) { out, value in
            let d = Double(value) - means[out]
            sums[out] += d * d
        }
        return sums
    }

    private func accumulate(_ axes: [Int], into outCount: Int, start: Double,
                            _ combine: (Double, Float) -> Double) -> [Double] {
        var result = [Double](repeating: start, count: outCount)
        forEachElement(reducing: axes) { out, value in result[out] = combine(result[out], value) }
        return result
    }

    /// Calls `body(outputIndex, value)` for every element in storage order, where outputIndex is
    /// the flat index of the element's place once `axes` are collapsed to size 1. The last axis is
    /// walked as one contiguous row.
    private func forEachElement(reducing axes: [Int], _ body: (Int, Float) -> Void) {
        guard count > 0 else { return }
        // Strides of the (keepdims) output, 0 along a reduced axis.
        var outStrides = [Int](repeating: 0, count: rank)
        var stride = 1
        for axis in (0..<rank).reversed() where !axes.contains(axis) {
            outStrides[axis] = stride
            stride *= shape[axis]
        }
        let width = shape[rank - 1], lastStep = outStrides[rank - 1]
        var index = [Int](repeating: 0, count: rank)
        var base = 0
        scalars.withUnsafeBufferPointer { x in
            for row in 0..<(count / width) {
                let start = row * width
                for j in 0..<width { body(base + j * lastStep, x[start + j]) }
                var axis = rank - 2
                while axis >= 0 {
                    index[axis] += 1
                    base += outStrides[axis]
                    if index[axis] < shape[axis] { break }
                    base -= outStrides[axis] * index[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
