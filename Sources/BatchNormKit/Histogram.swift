/// Counts of values in equal-width bins, computed exactly as `numpy.histogram` computes them on
/// float32 data, so a learner's `np.histogram(x, bins, range)` gives the same numbers.
///
/// Bins are half-open [e₀, e₁), [e₁, e₂), … except the last, which includes its right edge.
/// NumPy works in float32 here (edges, the index estimate, the edge comparisons) and so does
/// this type; an explicit `range` is taken in float64 first, as NumPy does with Python floats.
/// NaN and ±∞ are not counted: `nonFinite` says how many were left out.
public struct Histogram: Equatable, Sendable {
    public let edges: [Float]
    public let counts: [Int]
    /// Values outside an explicit range.
    public let outside: Int
    /// NaN and infinite values, which no bin holds.
    public let nonFinite: Int
    /// True when every finite value was equal: NumPy then widens the range to value ± 0.5.
    public let isConstant: Bool

    public static let maxBins = 10_000

    /// - Parameters:
    ///   - bins: number of equal-width bins, 1…`maxBins`.
    ///   - range: the lower and upper edge; nil means the finite data's min and max.
    public init(_ values: [Float], bins: Int, range: (lower: Double, upper: Double)? = nil) throws(TensorError) {
        guard (1...Histogram.maxBins).contains(bins) else {
            throw .invalidArgument("bins must be from 1 to \(Histogram.maxBins), got \(bins)")
        }
        let finite = values.filter(\.isFinite)
        nonFinite = values.count - finite.count
        var edges: [Float]
        let lower: Float, upper: Float, width: Float
        if let range {
            guard range.lower.isFinite, range.upper.isFinite else {
                throw .invalidArgument("range must be finite, got [\(range.lower), \(range.upper)]")
            }
            guard range.lower < range.upper else {
                throw .invalidArgument("range must go from a smaller to a larger number, got [\(range.lower), \(range.upper)]")
            }
            let step = (range.upper - range.lower) / Double(bins)
            edges = (0...bins).map { Float(Double($0) * step + range.lower) }
            edges[bins] = Float(range.upper)
            (lower, upper, width) = (Float(range.lower), Float(range.upper), Float(range.upper - range.lower))
            isConstant = false
        } else {
            var low = finite.min() ?? 0, high = finite.max() ?? 1
            isConstant = !finite.isEmpty && low == high
            if isConstant { (low, high) = (low - 0.5, high + 0.5) }
            let step = (high - low) / Float(bins)
            edges = (0...bins).map { Float($0) * step + low }
            edges[bins] = high
            (lower, upper, width) = (low, high, high - low)
        }
        // In float32, widening a constant 2²⁴ by ±0.5 or spanning ±3e38 leaves no usable bin width.
        guard width > 0, width.isFinite, edges.allSatisfy(\.isFinite) else {
            throw .invalidArgument("cannot make \(bins) float32 bins between \(lower) and \(upper); give a range: that float32 can split")
        }
        var counts = [Int](repeating: 0, count: bins)
        var outside = 0
        for x in finite {
            guard x >= lower && x <= upper else {
                outside += 1
                continue
            }
            let estimate = ((x - lower) / width) * Float(bins)
            var index = estimate.isNaN ? 0 : estimate >= Float(bins) ? bins : max(0, Int(estimate))
            if index == bins { index -= 1 }
            // The estimate can be one bin off within an ulp of an edge; the edges decide.
            if x < edges[index] { index -= 1 }
            if index != bins - 1 && x >= edges[index + 1] { index += 1 }
            counts[index] += 1
        }
        self.edges = edges
        self.counts = counts
        self.outside = outside
    }
}
