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
        let summary = values.withUnsafeBufferPointer(HistogramKernel.summarize)
        nonFinite = summary.nonFinite
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
            let anyFinite = summary.nonFinite < values.count
            var low = anyFinite ? summary.min : 0, high = anyFinite ? summary.max : 1
            isConstant = anyFinite && low == high
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
        // NumPy's own rule ("Too many bins for data range"): every bin needs a width in float32.
        if zip(edges, edges.dropFirst()).contains(where: { $0 >= $1 }) {
            throw .invalidArgument("too many bins for the data range: \(bins) bins between \(lower) and \(upper) would not "
                + "all have a width in float32 (NumPy refuses this too); use fewer bins or a wider range")
        }
        let binEdges = edges, ownRange = range == nil && !isConstant
        let (counts, outside) = values.withUnsafeBufferPointer { values in
            // With the data's own range every finite value is inside and the edges follow one
            // float32 formula, which the vectorized loop recomputes instead of looking them up.
            ownRange
                ? HistogramKernel.countInOwnRange(values, edges: binEdges, low: lower, step: (upper - lower) / Float(bins))
                : HistogramKernel.countExactly(values, edges: binEdges, lower: lower, upper: upper, width: width)
        }
        self.edges = edges
        self.counts = counts
        self.outside = outside
    }
}

extension Histogram {
    /// The range two or more histograms share so their bins line up: the lowest and highest
    /// finite value over all of them, read in place (nil when there is no spread to share).
    public static func sharedRange(_ sets: [[Float]]) -> (lower: Double, upper: Double)? {
        var low = Float.infinity, high = -Float.infinity
        for set in sets {
            for v in set where v.isFinite {
                low = Swift.min(low, v)
                high = Swift.max(high, v)
            }
        }
        return low < high ? (Double(low), Double(high)) : nil
    }
}
