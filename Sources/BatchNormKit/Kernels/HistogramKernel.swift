import CKernels

/// The two passes behind `Histogram`: the finite range, then the bin counts with NumPy's exact
/// float32 rule (estimate the bin, then let the edges decide within one bin either way).
/// Fixed-size pieces, each with its own counts, are spread over the threads and summed in order.
enum HistogramKernel {
    static let pieceSize = 1 << 20

    struct Summary {
        var min = Float.infinity
        var max = -Float.infinity
        var nonFinite = 0
    }

    /// Smallest and largest finite value and the number of NaN/±∞, in one pass.
    static func summarize(_ values: UnsafeBufferPointer<Float>) -> Summary {
        let pieces = (values.count + pieceSize - 1) / pieceSize
        var parts = [Summary](repeating: Summary(), count: pieces)
        guard pieces > 0 else { return Summary() }
        parts.withUnsafeMutableBufferPointer { parts in
            let shared = UnsafeSendable((values.baseAddress!, parts.baseAddress!))
            Parallelism.forEachPiece(pieces, elements: values.count) { piece in
                let (x, out) = shared.value
                let start = piece * pieceSize, end = Swift.min(values.count, start + pieceSize)
                var summary = Summary()
                summary.nonFinite = Int(bnlab_finite_range(x + start, Int64(end - start), &summary.min, &summary.max))
                out[piece] = summary
            }
        }
        return parts.reduce(into: Summary()) {
            $0.min = Swift.min($0.min, $1.min); $0.max = Swift.max($0.max, $1.max); $0.nonFinite += $1.nonFinite
        }
    }

    /// Counts when the range is the finite data's own [low, high], so every finite value is inside.
    static func countInOwnRange(_ values: UnsafeBufferPointer<Float>, edges: [Float], low: Float, step: Float) -> ([Int], Int) {
        let bins = edges.count - 1
        let width = edges[bins] - low
        let binsF = Float(bins)
        // When bins are many float32 steps wide, estimate and edges agree to a small fraction of a
        // bin, so multiplying by 1/width lands where NumPy's division does (the edges decide anyway).
        let spacing = Swift.max(abs(low), abs(edges[bins])).ulp
        let scale: Float? = width / binsF > 64 * spacing ? binsF / width : nil
        return edges.withUnsafeBufferPointer { e in
            let sharedEdges = UnsafeSendable(e.baseAddress!)
            return countByPieces(values, bins: bins) { x, start, end, counts in
                guard let scale, bins < 1 << 22 else {
                    let e = sharedEdges.value
                    for i in start..<end {
                        let v = x[i]
                        guard v - v == 0 else { continue }  // NaN and ±∞ are counted by `summarize`
                        var index = Swift.min(Int(Swift.min(((v - low) / width) * binsF, binsF)), bins - 1)
                        if v < e[index] { index -= 1 }
                        if index != bins - 1 && v >= e[index + 1] { index += 1 }
                        counts[i & 3][index] += 1
                    }
                    return
                }
                // Bins and counts in one C pass over the piece, into this piece's four rows. The C
                // loop recomputes edges by the formula that made them, so it needs the same `step`.
                let rows: [UnsafeMutablePointer<Int>?] = [counts[0], counts[1], counts[2], counts[3]]
                bnlab_histogram_count(x + start, Int64(end - start), low, step, scale, Int32(bins), rows)
                // The spare slot after the last bin took NaN/±∞, which `summarize` already counted.
                for row in 0..<4 { counts[row][bins] = 0 }
            }
        }
    }

    /// Counts against an explicit range (values outside it are set aside), edge by edge.
    static func countExactly(_ values: UnsafeBufferPointer<Float>, edges: [Float], lower: Float, upper: Float, width: Float) -> ([Int], Int) {
        countByPieces(values, bins: edges.count - 1) { x, start, end, counts in
            for i in start..<end { countOne(x[i], edges: edges, low: lower, width: width, counts: counts, upper: upper) }
        }
    }

    /// NumPy's rule for one value; values outside [low, upper] go to the `outside` slot.
    @inline(__always)
    static func countOne(_ x: Float, edges: [Float], low: Float, width: Float, counts: UnsafeMutablePointer<UnsafeMutablePointer<Int>>,
                         upper: Float? = nil) {
        let bins = edges.count - 1
        guard x.isFinite else { return }
        guard x >= low && x <= (upper ?? edges[bins]) else { counts[0][bins] += 1; return }
        let estimate = ((x - low) / width) * Float(bins)
        var index = estimate.isNaN ? 0 : estimate >= Float(bins) ? bins : Swift.max(0, Int(estimate))
        if index == bins { index -= 1 }
        if x < edges[index] { index -= 1 }
        if index != bins - 1 && x >= edges[index + 1] { index += 1 }
        counts[0][index] += 1
    }

    /// Runs `body` over fixed pieces, each with four count arrays (so neighbouring values in one
    /// bin do not wait on each other's store) plus one slot for values outside; sums them in order.
    private static func countByPieces(_ values: UnsafeBufferPointer<Float>, bins: Int,
                                      _ body: (UnsafePointer<Float>, Int, Int, UnsafeMutablePointer<UnsafeMutablePointer<Int>>) -> Void) -> ([Int], Int) {
        let pieces = (values.count + pieceSize - 1) / pieceSize
        let stride = bins + 1
        var tallies = [Int](repeating: 0, count: pieces * 4 * stride)
        if pieces > 0 {
            tallies.withUnsafeMutableBufferPointer { tallies in
                let shared = UnsafeSendable((values.baseAddress!, tallies.baseAddress!))
                Parallelism.forEachPiece(pieces, elements: values.count) { piece in
                    let (x, tallies) = shared.value
                    let base = tallies + piece * 4 * stride
                    var rows = (0..<4).map { base + $0 * stride }
                    rows.withUnsafeMutableBufferPointer { rows in
                        body(x, piece * pieceSize, Swift.min(values.count, (piece + 1) * pieceSize), rows.baseAddress!)
                    }
                }
            }
        }
        var counts = [Int](repeating: 0, count: bins)
        var outside = 0
        for row in 0..<(pieces * 4) {
            for bin in 0..<bins { counts[bin] += tallies[row * stride + bin] }
            outside += tallies[row * stride + bins]
        }
        return (counts, outside)
    }
}
