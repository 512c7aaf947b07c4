@testable import BatchNormKit

/// The histogram passes as they were before they moved to C (commit 962a7d9), kept as the
/// reference the new kernels must match bit for bit: the four-lane SSE2 range loop, the bin
/// index formula of `bnlab_histogram_indices`, and `countInOwnRange`'s counting in Swift.
enum HistogramReference {
    /// The old `bnlab_finite_range`: four lanes over values[0 ..< count & ~3] (lane k: indices
    /// ≡ k mod 4), each taking the new value on a tie as minps/maxps do, merged in lane order,
    /// then the tail with strict comparisons. Only the sign of a zero extreme depends on this order.
    static func finiteRange(_ values: [Float]) -> (min: Float, max: Float, nonFinite: Int) {
        var lows = [Float](repeating: .infinity, count: 4), highs = [Float](repeating: -.infinity, count: 4)
        var nonFinite = 0
        let vectorEnd = values.count & ~3
        for i in 0..<vectorEnd {
            let x = values[i], k = i & 3
            let finite = x - x == 0
            let forLow = finite ? x : .infinity, forHigh = finite ? x : -.infinity
            lows[k] = lows[k] < forLow ? lows[k] : forLow      // _mm_min_ps(lows, x)
            highs[k] = highs[k] > forHigh ? highs[k] : forHigh  // _mm_max_ps(highs, x)
            if !finite { nonFinite += 1 }
        }
        var low = Float.infinity, high = -Float.infinity
        for k in 0..<4 {
            if lows[k] < low { low = lows[k] }
            if highs[k] > high { high = highs[k] }
        }
        for x in values[vectorEnd...] {
            if x - x == 0 {
                if x < low { low = x }
                if x > high { high = x }
            } else {
                nonFinite += 1
            }
        }
        return (low, high, nonFinite)
    }

    /// `HistogramKernel.summarize` over the old loop: one range per piece, merged in order with
    /// Swift.min and Swift.max (which keep the earlier of two equal values).
    static func summarize(_ values: [Float]) -> (min: Float, max: Float, nonFinite: Int) {
        var result = (min: Float.infinity, max: -Float.infinity, nonFinite: 0)
        for start in stride(from: 0, to: values.count, by: HistogramKernel.pieceSize) {
            let piece = finiteRange(Array(values[start..<Swift.min(values.count, start + HistogramKernel.pieceSize)]))
            result = (Swift.min(result.min, piece.min), Swift.max(result.max, piece.max), result.nonFinite + piece.nonFinite)
        }
        return result
    }

    /// The old C loop's bin for one value (NaN and ±∞ get `bins`).
    static func binIndex(_ v: Float, low: Float, step: Float, scale: Float, bins: Int32) -> Int32 {
        let last = bins - 1
        let top = Float(bins)
        var estimate = (v - low) * scale
        estimate = estimate >= 0 ? estimate : 0
        estimate = estimate <= top ? estimate : top
        var index = Int32(estimate)
        index = index < last ? index : last
        let lower = Float(index) * step + low
        index -= v < lower ? 1 : 0
        let upper = Float(index + 1) * step + low
        index += (index != last && v >= upper) ? 1 : 0
        return v - v == 0 ? index : bins
    }

    /// The old `countInOwnRange` in one piece (the counts are integers, so pieces change nothing):
    /// the edge-by-edge rule when bins are a few float32 steps wide, else the C loop's indices.
    static func countInOwnRange(_ values: [Float], edges: [Float], low: Float, step: Float) -> [Int] {
        let bins = edges.count - 1
        let width = edges[bins] - low
        let binsF = Float(bins)
        let spacing = Swift.max(abs(low), abs(edges[bins])).ulp
        var counts = [Int](repeating: 0, count: bins + 1)
        if width / binsF > 64 * spacing {
            let scale = binsF / width
            for v in values { counts[Int(binIndex(v, low: low, step: step, scale: scale, bins: Int32(bins)))] += 1 }
        } else {
            for v in values where v - v == 0 {
                var index = Swift.min(Int(Swift.min(((v - low) / width) * binsF, binsF)), bins - 1)
                if v < edges[index] { index -= 1 }
                if index != bins - 1 && v >= edges[index + 1] { index += 1 }
                counts[index] += 1
            }
        }
        counts.removeLast()  // the slot NaN/±∞ went to
        return counts
    }
}
