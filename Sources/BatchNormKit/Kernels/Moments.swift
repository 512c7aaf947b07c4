import CKernels

/// Means and biased variances of groups of elements, accumulated in Float64 so a channel at
/// mean 10⁴ and std 10⁻² keeps its variance (the one-pass Σx² − (Σx)²/n formula loses every
/// digit there in Float32).
///
/// The data is read from memory once: each contiguous run (a row of one channel, or a block of
/// rows) gets an exact two-pass mean and sum of squared deviations while it sits in cache, and the
/// runs are merged with Chan et al.'s pairwise formula, which is as stable as a two-pass over all
/// of it. Runs are merged in a fixed order, so the result does not depend on the thread count.
public struct Moments: Equatable, Sendable {
    /// One mean per group.
    public var mean: [Double]
    /// One biased variance (divided by n) per group.
    public var variance: [Double]
    /// How many elements each group holds.
    public let countPerGroup: Int

    public init(mean: [Double], variance: [Double], countPerGroup: Int) {
        self.mean = mean
        self.variance = variance
        self.countPerGroup = countPerGroup
    }

    /// The variance divided by n − 1 instead of n (NaN when n ≤ 1): what PyTorch puts in running_var.
    public var unbiasedVariance: [Double] {
        let n = Double(countPerGroup)
        return variance.map { countPerGroup > 1 ? $0 * n / (n - 1) : .nan }
    }

    /// Mean and biased variance of one list of values, two passes in Float64 (NaN for none):
    /// the one statistic `stats`, the training diagnostics and the experiments all use.
    public static func of<C: Collection>(_ values: C) -> (mean: Double, variance: Double) where C.Element: BinaryFloatingPoint {
        guard !values.isEmpty else { return (.nan, .nan) }
        var sum = 0.0
        for v in values { sum += Double(v) }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for v in values {
            let d = Double(v) - mean
            squares += d * d
        }
        return (mean, squares / Double(values.count))
    }

    /// The same for float32 storage, read with the statistics' eight Float64 lanes (`SIMDSum`):
    /// `stats` and `hist` of a large tensor, and the training diagnostics after every step, wait on
    /// this, and one long chain of dependent additions ran several times slower than the lanes.
    public static func of(_ values: [Float]) -> (mean: Double, variance: Double) {
        values.withUnsafeBufferPointer(ofStorage)
    }

    public static func of(_ values: ArraySlice<Float>) -> (mean: Double, variance: Double) {
        values.withUnsafeBufferPointer(ofStorage)
    }

    private static func ofStorage(_ v: UnsafeBufferPointer<Float>) -> (mean: Double, variance: Double) {
        guard let start = v.baseAddress, !v.isEmpty else { return (.nan, .nan) }
        let n = Double(v.count), mean = SIMDSum.of(start, count: v.count) / n
        return (mean, SIMDSum.ofSquaredDeviations(start, count: v.count, from: mean) / n)
    }

    /// Statistics per channel (axis 1) over every other axis: BatchNorm's reduction.
    public static func perChannel(of x: Tensor) -> Moments {
        let (samples, channels, inner) = (x.batchSize, x.channels, x.spatialSize)
        let n = samples * inner
        guard n > 0 else {
            return Moments(mean: .init(repeating: .nan, count: channels),
                           variance: .init(repeating: .nan, count: channels), countPerGroup: 0)
        }
        let parts = x.scalars.withUnsafeBufferPointer { values in
            inner >= 8
                ? ChannelReduction.byRows(values, samples: samples, channels: channels, inner: inner)
                : ChannelReduction.byColumns(values, samples: samples, channels: channels, inner: inner)
        }
        return Moments(mean: parts.map(\.mean), variance: parts.map { $0.m2 / Double(n) }, countPerGroup: n)
    }

    /// Statistics of consecutive blocks of `blockSize` elements: LayerNorm, InstanceNorm and
    /// GroupNorm all reduce over a contiguous block of the row-major storage.
    public static func perBlock(of x: Tensor, blockSize: Int) -> Moments {
        let blocks = blockSize > 0 ? x.count / blockSize : 0
        guard blocks > 0 else { return Moments(mean: [], variance: [], countPerGroup: blockSize) }
        var parts = [PartialMoments](repeating: .empty, count: blocks)
        x.scalars.withUnsafeBufferPointer { values in
            parts.withUnsafeMutableBufferPointer { parts in
                let shared = UnsafeSendable((values.baseAddress!, parts.baseAddress!))
                Parallelism.forEachPiece(blocks, elements: x.count) { block in
                    let (input, output) = shared.value
                    output[block] = PartialMoments(of: input + block * blockSize, count: blockSize)
                }
            }
        }
        return Moments(mean: parts.map(\.mean), variance: parts.map { $0.m2 / Double(blockSize) },
                       countPerGroup: blockSize)
    }
}

/// Count, mean and sum of squared deviations (M2) of some values: the state Chan et al.'s formula
/// merges, so partial results from different runs or threads combine without losing accuracy.
struct PartialMoments: Sendable {
    var count: Double
    var mean: Double
    var m2: Double

    static let empty = PartialMoments(count: 0, mean: 0, m2: 0)

    /// Exact two-pass moments of `count` contiguous values (they stay in cache between the passes).
    init(of values: UnsafePointer<Float>, count: Int) {
        let mean = SIMDSum.of(values, count: count) / Double(count)
        self.init(count: Double(count), mean: mean, m2: SIMDSum.ofSquaredDeviations(values, count: count, from: mean))
    }

    init(count: Double, mean: Double, m2: Double) {
        self.count = count
        self.mean = mean
        self.m2 = m2
    }

    /// Adds another group's moments (Chan, Golub & LeVeque 1979).
    mutating func merge(_ other: PartialMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let total = count + other.count
        let delta = other.mean - mean
        mean += delta * (other.count / total)
        m2 += other.m2 + delta * delta * (count * other.count / total)
        count = total
    }
}

/// BatchNorm's per-channel reduction over samples and positions, in pieces of a fixed size.
enum ChannelReduction {
    /// Samples per piece: fixed, so the merge order (and the bits) never depend on the thread count.
    static let samplesPerPiece = 32

    /// (N, C, L…) with long rows: each (sample, channel) row is contiguous.
    static func byRows(_ values: UnsafeBufferPointer<Float>, samples: Int, channels: Int, inner: Int) -> [PartialMoments] {
        let sampleBlocks = (samples + samplesPerPiece - 1) / samplesPerPiece
        // Pieces are blocks of samples, read in memory order; each keeps one partial per channel.
        var pieces = [PartialMoments](repeating: .empty, count: sampleBlocks * channels)
        pieces.withUnsafeMutableBufferPointer { pieces in
            let shared = UnsafeSendable((values.baseAddress!, pieces.baseAddress!))
            Parallelism.forEachPiece(sampleBlocks, elements: values.count) { block in
                let (input, output) = shared.value
                let partials = output + block * channels
                for sample in (block * samplesPerPiece)..<min(samples, (block + 1) * samplesPerPiece) {
                    for channel in 0..<channels {
                        partials[channel].merge(PartialMoments(of: input + (sample * channels + channel) * inner, count: inner))
                    }
                }
            }
        }
        return (0..<channels).map { channel in
            var moments = PartialMoments.empty
            for block in 0..<sampleBlocks { moments.merge(pieces[block * channels + channel]) }
            return moments
        }
    }

    /// (N, C) and short rows: each sample is a row of C·inner columns; blocks of samples are
    /// reduced column by column (vectorized across columns), then columns merged into channels,
    /// both in C (`bnlab_column_moments`, `bnlab_merge_column_moments`).
    static func byColumns(_ values: UnsafeBufferPointer<Float>, samples: Int, channels: Int, inner: Int) -> [PartialMoments] {
        let width = channels * inner
        let blocks = (samples + samplesPerPiece - 1) / samplesPerPiece
        var means = [Double](repeating: 0, count: blocks * width)
        var squares = [Double](repeating: 0, count: blocks * width)
        means.withUnsafeMutableBufferPointer { means in
            squares.withUnsafeMutableBufferPointer { squares in
                let shared = UnsafeSendable((values.baseAddress!, means.baseAddress!, squares.baseAddress!))
                Parallelism.forEachPiece(blocks, elements: values.count) { block in
                    let (input, means, squares) = shared.value
                    let first = block * samplesPerPiece, rows = min(samples, first + samplesPerPiece) - first
                    bnlab_column_moments(input + first * width, Int64(rows), Int64(width),
                                         means + block * width, squares + block * width)
                }
            }
        }
        var mean = [Double](repeating: 0, count: channels), m2 = mean
        bnlab_merge_column_moments(means, squares, Int64(blocks), Int64(samples), Int64(samplesPerPiece),
                                   Int64(channels), Int64(inner), &mean, &m2)
        let count = Double(samples * inner)
        // Where NaN meets NaN, which one an addition keeps is the compiler's choice, and it
        // differs between levels; one NaN for all keeps every level's bits the same downstream.
        func same(_ v: Double) -> Double { v.isNaN ? .nan : v }
        return (0..<channels).map { PartialMoments(count: count, mean: same(mean[$0]), m2: same(m2[$0])) }
    }
}
