@testable import BatchNormKit
import Testing

/// The vectorized own-range loop must count exactly what the edge-by-edge NumPy rule counts,
/// including values that sit on an edge, NaN/∞ mixed in, tails shorter than a vector, and more
/// values than one piece.
@Suite struct HistogramKernelTests {
    @Test(arguments: [1, 7, 50, 333, 10_000])
    func vectorizedCountsEqualTheExactRule(bins: Int) throws {
        var rng = SeededGenerator(seed: UInt64(bins))
        var values = try Tensor.randn([HistogramKernel.pieceSize + 1_003], using: &rng).scalars
        let low = values.min()!, high = values.max()!
        let step = (high - low) / Float(bins)
        // Every edge itself, and the floats just either side of it, many times over.
        for i in 0...bins {
            let edge = Float(i) * step + low
            for (k, v) in [edge, edge.nextUp, edge.nextDown].enumerated() where v >= low && v <= high {
                values[(i * 3 + k) * 97 % values.count] = v
            }
        }
        values[5] = .nan
        values[12] = .infinity
        let histogram = try Histogram(values, bins: bins)
        let exact = values.withUnsafeBufferPointer {
            HistogramKernel.countExactly($0, edges: histogram.edges, lower: low, upper: high, width: high - low)
        }
        #expect(histogram.counts == exact.0)
        #expect(histogram.outside == 0 && exact.1 == 0)
        #expect(histogram.nonFinite == 2)
        #expect(histogram.counts.reduce(0, +) == values.count - 2)
    }

    @Test func summaryFindsTheFiniteRange() {
        let values: [Float] = [3, .nan, -2, .infinity, 7, -.infinity, 0, 1, 2, 0.5, 9.5]
        let summary = values.withUnsafeBufferPointer(HistogramKernel.summarize)
        #expect(summary.min == -2 && summary.max == 9.5 && summary.nonFinite == 3)
    }
}
