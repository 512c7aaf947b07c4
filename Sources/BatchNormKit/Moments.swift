/// Means and biased variances of groups of elements, accumulated in Float64 with two passes,
/// so a channel at mean 10⁴ and std 10⁻² keeps its variance (the one-pass Σx² − (Σx)²/n
/// formula loses every digit there in Float32).
public struct Moments: Equatable, Sendable {
    /// One mean per group.
    public var mean: [Double]
    /// One biased variance (divided by n) per group.
    public var variance: [Double]
    /// How many elements each group holds.
    public let countPerGroup: Int

    /// The variance divided by n − 1 instead of n (NaN when n ≤ 1): what PyTorch puts in running_var.
    public var unbiasedVariance: [Double] {
        let n = Double(countPerGroup)
        return variance.map { countPerGroup > 1 ? $0 * n / (n - 1) : .nan }
    }

    /// Statistics per channel (axis 1) over every other axis: BatchNorm's reduction.
    public static func perChannel(of x: Tensor) -> Moments {
        let (samples, channels, inner) = (x.batchSize, x.channels, x.spatialSize)
        var sums = [Double](repeating: 0, count: channels)
        x.scalars.withUnsafeBufferPointer { values in
            for sample in 0..<samples {
                for channel in 0..<channels {
                    let base = (sample * channels + channel) * inner
                    var sum = 0.0
                    for i in base..<(base + inner) { sum += Double(values[i]) }
                    sums[channel] += sum
                }
            }
        }
        let n = samples * inner
        let mean = sums.map { n > 0 ? $0 / Double(n) : .nan }
        var squares = [Double](repeating: 0, count: channels)
        x.scalars.withUnsafeBufferPointer { values in
            for sample in 0..<samples {
                for channel in 0..<channels {
                    let base = (sample * channels + channel) * inner
                    let m = mean[channel]
                    var sum = 0.0
                    for i in base..<(base + inner) {
                        let d = Double(values[i]) - m
                        sum += d * d
                    }
                    squares[channel] += sum
                }
            }
        }
        return Moments(mean: mean, variance: squares.map { n > 0 ? $0 / Double(n) : .nan }, countPerGroup: n)
    }

    /// Statistics of consecutive blocks of `blockSize` elements: LayerNorm, InstanceNorm and
    /// GroupNorm all reduce over a contiguous block of the row-major storage.
    public static func perBlock(of x: Tensor, blockSize: Int) -> Moments {
        let blocks = blockSize > 0 ? x.count / blockSize : 0
        var mean = [Double](repeating: .nan, count: blocks)
        var variance = [Double](repeating: .nan, count: blocks)
        x.scalars.withUnsafeBufferPointer { values in
            for block in 0..<blocks {
                let range = (block * blockSize)..<((block + 1) * blockSize)
                var sum = 0.0
                for i in range { sum += Double(values[i]) }
                let m = sum / Double(blockSize)
                var squares = 0.0
                for i in range {
                    let d = Double(values[i]) - m
                    squares += d * d
                }
                mean[block] = m
                variance[block] = squares / Double(blockSize)
            }
        }
        return Moments(mean: mean, variance: variance, countPerGroup: blockSize)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
