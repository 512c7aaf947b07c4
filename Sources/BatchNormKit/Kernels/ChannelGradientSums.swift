/// The per-channel constants of BatchNorm's input gradient: dx = scale·(dy − dyMean − (x − mean)·slope).
struct ChannelGradientPlan {
    let mean: Double
    let scale: Double
    let dyMean: Double
    let slope: Double
}

/// `ChannelGradientPlan` spread over the columns of one (N, C) sample, as four parallel arrays.
struct ColumnPlan {
    let mean: UnsafePointer<Double>
    let scale: UnsafePointer<Double>
    let dyMean: UnsafePointer<Double>
    let slope: UnsafePointer<Double>
    let count: Int
}

/// BatchNorm backward's two passes over (x, dy): the per-channel sums Σdy and Σdy·(x − μ), then dx.
/// Like `ChannelReduction`, the data is cut into pieces of a fixed size and the pieces' sums are
/// added in a fixed order, so the bits do not depend on the thread count.
struct ChannelGradientSums {
    var dy: [Double]
    var dyCentered: [Double]

    static func of(_ x: Tensor, _ dy: Tensor, mean: [Double]) -> ChannelGradientSums {
        let (samples, channels, inner) = (x.batchSize, x.channels, x.spatialSize)
        let per = ChannelReduction.samplesPerPiece
        let blocks = (samples + per - 1) / per
        let rows = inner >= 8
        // One (Σdy, Σdy(x − μ)) per (block, channel) for rows, per (block, column) for columns.
        let slots = rows ? channels : channels * inner
        var first = [Double](repeating: 0, count: blocks * slots)
        var second = first
        if x.count > 0 {
            let columnMean = rows ? mean : (0..<slots).map { mean[$0 / inner] }
            x.scalars.withUnsafeBufferPointer { xs in
                dy.scalars.withUnsafeBufferPointer { dys in
                    columnMean.withUnsafeBufferPointer { m in
                        first.withUnsafeMutableBufferPointer { first in
                            second.withUnsafeMutableBufferPointer { second in
                                let shared = UnsafeSendable((xs.baseAddress!, dys.baseAddress!, m.baseAddress!,
                                                             first.baseAddress!, second.baseAddress!))
                                Parallelism.forEachPiece(blocks, elements: 2 * x.count) { block in
                                    let (x, dy, mean, first, second) = shared.value
                                    let start = block * per, end = min(samples, start + per)
                                    let (sums, centered) = (first + block * slots, second + block * slots)
                                    if rows {
                                        for sample in start..<end {
                                            for channel in 0..<channels {
                                                let offset = (sample * channels + channel) * inner
                                                let (a, b) = GradientLoops.rowSums(x + offset, dy + offset, count: inner, mean: mean[channel])
                                                sums[channel] += a
                                                centered[channel] += b
                                            }
                                        }
                                    } else {
                                        GradientLoops.columnSums(x + start * slots, dy + start * slots, rows: end - start, count: slots,
                                                                 mean: mean, sums: sums, centered: centered)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = ChannelGradientSums(dy: .init(repeating: 0, count: channels), dyCentered: .init(repeating: 0, count: channels))
        GradientLoops.merge(first, second, blocks: blocks, channels: channels, inner: rows ? 1 : inner,
                            into: &sums.dy, &sums.dyCentered)
        return sums
    }

    /// Rows of dx per piece of the (N, C, L…) pass: a piece ends with one store fence.
    static let rowsPerPiece = 64
    /// A dx of this many elements (32 MiB, this machine's whole last-level cache) or more skips the
    /// cache on the way out: it would not stay there anyway, and x and dy keep their lines. The
    /// values are the same either way; only the stores differ.
    static let streamingCount = 8 << 20

    /// dx from the per-channel plan, in one pass over x and dy.
    static func inputGradient(_ x: Tensor, _ dy: Tensor, plan: [ChannelGradientPlan], usesBatchStatistics: Bool) -> Tensor {
        let (channels, inner, count) = (x.channels, x.spatialSize, x.count)
        let scalars = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = count
            guard count > 0 else { return }
            x.scalars.withUnsafeBufferPointer { xs in
                dy.scalars.withUnsafeBufferPointer { dys in
                    let shared = UnsafeSendable((xs.baseAddress!, dys.baseAddress!, out.baseAddress!))
                    if inner < 8 {
                        columnsInputGradient(shared, rows: count / (channels * inner), width: channels * inner,
                                             plan: (0..<(channels * inner)).map { plan[$0 / inner] },
                                             usesBatchStatistics: usesBatchStatistics)
                    } else {
                        let rows = count / inner, pieces = (rows + rowsPerPiece - 1) / rowsPerPiece
                        let streaming: Int32 = count >= streamingCount ? 1 : 0
                        Parallelism.forEachPiece(pieces, elements: count) { piece in
                            let (x, dy, dx) = shared.value
                            for row in (piece * rowsPerPiece)..<min(rows, (piece + 1) * rowsPerPiece) {
                                let offset = row * inner, p = plan[row % channels]
                                if usesBatchStatistics {
                                    GradientLoops.inputGradient(x + offset, dy + offset, dx + offset, count: inner, plan: p, streaming: streaming)
                                } else {
                                    GradientLoops.scaled(dy + offset, dx + offset, count: inner, by: p.scale)
                                }
                            }
                            if streaming != 0 { GradientLoops.storeFence() }
                        }
                    }
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: scalars)
    }

    /// Short rows ((N, C)): samples in pieces of a few rows, with the plan spread over the columns.
    private static func columnsInputGradient(_ shared: UnsafeSendable<(UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>)>,
                                             rows: Int, width: Int, plan columns: [ChannelGradientPlan], usesBatchStatistics: Bool) {
        let (means, scales, dyMeans, slopes) = (columns.map(\.mean), columns.map(\.scale), columns.map(\.dyMean), columns.map(\.slope))
        let rowsPerPiece = 16, pieces = (rows + rowsPerPiece - 1) / rowsPerPiece
        means.withUnsafeBufferPointer { m in scales.withUnsafeBufferPointer { k in
            dyMeans.withUnsafeBufferPointer { a in slopes.withUnsafeBufferPointer { b in
                let plan = UnsafeSendable(ColumnPlan(mean: m.baseAddress!, scale: k.baseAddress!, dyMean: a.baseAddress!,
                                                     slope: b.baseAddress!, count: width))
                Parallelism.forEachPiece(pieces, elements: rows * width) { piece in
                    let (x, dy, dx) = shared.value
                    let first = piece * rowsPerPiece, offset = first * width
                    GradientLoops.columnsInputGradient(x + offset, dy + offset, dx + offset, rows: min(rows, first + rowsPerPiece) - first,
                                                       plan: plan.value, usesBatchStatistics: usesBatchStatistics)
                }
            } }
        } }
    }
}

