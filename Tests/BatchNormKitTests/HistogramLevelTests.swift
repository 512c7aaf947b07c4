@testable import BatchNormKit
import CKernels
import Testing

/// The histogram's C passes (the 16-lane finite range, the fused bin counting) at every level,
/// against the code they replaced (`HistogramReference`), bit for bit, on awkward inputs: empty,
/// one value, lengths around the vector widths, ±0 (whose sign the old range loop's lane order
/// chose), NaN and ±∞, relu-like data, constants. Part of the serialized level suite, because
/// forcing a level is process-wide.
extension VectorExtensionsTests {
    static let histogramLengths = [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1003, 4099]

    /// Data of one kind; kinds 0 to 9 cover the cases above.
    static func histogramData(kind: Int, count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        func zero() -> Float { Bool.random(using: &rng) ? 0 : -0.0 }
        return (0..<count).map { i in
            let g = Float(rng.nextNormal()) * 3
            switch kind {
            case 0: return g
            case 1: return Bool.random(using: &rng) ? Swift.max(g, 0) : zero()           // relu outputs, both zeros
            case 2: return Int.random(in: 0..<3, using: &rng) == 0 ? -abs(g) : zero()   // ≤ 0: the max is a zero
            case 3: return zero()                                                        // only zeros
            case 4: return i == count / 2 ? zero() : abs(g) + 1                          // one zero, the minimum
            case 5:                                                                      // NaN, ±∞ and zeros mixed in
                switch Int.random(in: 0..<8, using: &rng) {
                case 0: return .nan
                case 1: return .infinity
                case 2: return -.infinity
                case 3: return zero()
                default: return g
                }
            case 6: return Bool.random(using: &rng) ? .nan : zero()
            case 7: return Bool.random(using: &rng) ? .nan : .infinity                  // nothing finite
            case 8: return 2.5                                                            // constant
            default: return (g * 4).rounded()                                             // many values on edges
            }
        }
    }

    @Test func finiteRangeKeepsTheOldLoopsBitsAtEveryLevel() {
        defer { VectorExtensions.use(nil) }
        for kind in 0..<10 {
            for count in Self.histogramLengths {
                let values = Self.histogramData(kind: kind, count: count, seed: UInt64(kind * 10_000 + count))
                let old = HistogramReference.finiteRange(values)
                for level in Self.levels {
                    VectorExtensions.use(level)
                    var low: Float = 0, high: Float = 0
                    let nonFinite = values.withUnsafeBufferPointer { bnlab_finite_range($0.baseAddress, Int64($0.count), &low, &high) }
                    #expect(low.bitPattern == old.min.bitPattern && high.bitPattern == old.max.bitPattern && Int(nonFinite) == old.nonFinite,
                            "kind \(kind), \(count) values at \(level): [\(low), \(high)] \(nonFinite) against [\(old.min), \(old.max)] \(old.nonFinite)")
                }
            }
        }
    }

    /// Each value's bin from the C index loop, and the fused counts, equal the old formula's, for
    /// bin counts that take the pair table (up to 63) and those that count one value at a time.
    @Test(arguments: [1, 2, 7, 50, 62, 63, 64, 333, 10_000])
    func binsAndCountsKeepTheOldFormulaAtEveryLevel(bins: Int) {
        defer { VectorExtensions.use(nil) }
        for kind in [0, 1, 2, 4, 5, 9] {
            for count in Self.histogramLengths + [5_000, 65_537] {
                let values = Self.histogramData(kind: kind, count: count, seed: UInt64(bins * 7 + kind * 100_000 + count))
                let range = HistogramReference.finiteRange(values)
                guard range.min < range.max else { continue }
                let (low, high) = (range.min, range.max)
                let step = (high - low) / Float(bins), scale = Float(bins) / (high - low)
                var edges = (0...bins).map { Float($0) * step + low }
                edges[bins] = high
                guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else { continue }
                let oldIndices = values.map { HistogramReference.binIndex($0, low: low, step: step, scale: scale, bins: Int32(bins)) }
                let oldCounts = HistogramReference.countInOwnRange(values, edges: edges, low: low, step: step)
                for level in Self.levels {
                    VectorExtensions.use(level)
                    var indices = [Int32](repeating: -1, count: count)
                    values.withUnsafeBufferPointer { v in
                        indices.withUnsafeMutableBufferPointer {
                            bnlab_histogram_indices(v.baseAddress, Int64(count), low, step, scale, Int32(bins), $0.baseAddress)
                        }
                    }
                    #expect(indices == oldIndices, "indices: kind \(kind), \(count) values, \(bins) bins at \(level)")
                    let counts = values.withUnsafeBufferPointer { HistogramKernel.countInOwnRange($0, edges: edges, low: low, step: step) }
                    #expect(counts.0 == oldCounts && counts.1 == 0, "counts: kind \(kind), \(count) values, \(bins) bins at \(level)")
                }
            }
        }
    }

    /// The whole type, more than one piece long (so pieces are summed), with ±0 extremes: edges,
    /// counts and the NaN/∞ tally at every level equal the old passes' on the same data.
    @Test func histogramsOverManyPiecesKeepTheirBitsAtEveryLevel() throws {
        let count = 2 * HistogramKernel.pieceSize + 37
        for kind in [0, 1, 2, 5] {
            let values = Self.histogramData(kind: kind, count: count, seed: UInt64(kind + 77))
            let range = HistogramReference.summarize(values)
            let step = (range.max - range.min) / 50
            var edges = (0...50).map { Float($0) * step + range.min }
            edges[50] = range.max
            let oldCounts = HistogramReference.countInOwnRange(values, edges: edges, low: range.min, step: step)
            func run() throws -> [[UInt32]] {
                let h = try Histogram(values, bins: 50)
                return [h.edges.map(\.bitPattern), h.counts.map { UInt32($0) }, [UInt32(h.nonFinite)]]
            }
            try Self.sameAtEveryLevel(run)
            let h = try Histogram(values, bins: 50)
            #expect(h.edges.map(\.bitPattern) == edges.map(\.bitPattern), "kind \(kind)")
            #expect(h.counts == oldCounts && h.nonFinite == range.nonFinite, "kind \(kind)")
            let summary = values.withUnsafeBufferPointer(HistogramKernel.summarize)
            #expect(summary.min.bitPattern == range.min.bitPattern && summary.max.bitPattern == range.max.bitPattern, "kind \(kind)")
        }
    }
}
