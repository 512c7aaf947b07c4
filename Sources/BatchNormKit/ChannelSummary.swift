import CKernels

/// What `stats(x)` shows for one channel: the numbers a learner checks before and after
/// normalizing, computed over the channel's finite values in Float64, with the share of NaN/±∞
/// reported separately rather than silently poisoning the mean.
public struct ChannelSummary: Equatable, Sendable {
    public let count: Int
    public let mean: Double
    /// Biased (÷ n), the variance BatchNorm normalizes with.
    public let variance: Double
    public var std: Double { variance.squareRoot() }
    public let min: Float
    public let max: Float
    public let nanCount: Int
    public let infiniteCount: Int

    /// Fraction of the channel's values that are NaN or ±∞.
    public var nonFiniteShare: Double {
        let total = count + nanCount + infiniteCount
        return total == 0 ? 0 : Double(nanCount + infiniteCount) / Double(total)
    }

    /// One summary per channel (axis 1); a rank-1 tensor is a single channel.
    public static func perChannel(of x: Tensor) -> [ChannelSummary] {
        if x.rank == 1 { return [summarize(x.scalars[...])] }
        return (0..<x.channels).map { summarize(x.channel($0)[...]) }
    }

    /// The summary of one set of values (a channel, or a whole tensor): `Moments.of` over the
    /// finite ones, with the NaN and ±∞ counted apart.
    public static func summarize(_ values: ArraySlice<Float>) -> ChannelSummary {
        var nan = 0, infinite = 0
        var low = Float.infinity, high = -Float.infinity
        // The range in one vectorized pass (`bnlab_finite_range`); the loop below only where the
        // pass cannot say it the same way: NaN and ±∞ apart, and which zero (+0 or −0, the first
        // seen) is the smallest or largest.
        let nonFinite = values.withUnsafeBufferPointer { v in
            v.isEmpty ? 0 : Int(bnlab_finite_range(v.baseAddress!, Int64(v.count), &low, &high))
        }
        if nonFinite > 0 || low == 0 || high == 0 {
            (low, high) = (.infinity, -.infinity)
            for v in values {
                if v.isNaN { nan += 1 } else if v.isInfinite { infinite += 1 } else {
                    low = Swift.min(low, v)
                    high = Swift.max(high, v)
                }
            }
        }
        // The statistics read the values in place, skipping NaN and ±∞ lazily: no copy.
        let n = values.count - nan - infinite
        let moments = nan + infinite == 0 ? Moments.of(values) : Moments.of(values.lazy.filter(\.isFinite))
        return ChannelSummary(count: n, mean: moments.mean, variance: moments.variance,
                              min: n > 0 ? low : .nan, max: n > 0 ? high : .nan, nanCount: nan, infiniteCount: infinite)
    }
}

extension Histogram {
    /// How many of `n` draws from a normal(mean, std) fall in each bin: the curve `hist(…, normal: true)`
    /// draws over the bars.
    public func expectedNormalCounts(n: Int, mean: Double, std: Double) -> [Double] {
        guard std > 0, std.isFinite, mean.isFinite else { return counts.map { _ in 0 } }
        func cdf(_ x: Double) -> Double { 0.5 * (1 + erf((x - mean) / (std * 2.0.squareRoot()))) }
        return (0..<counts.count).map { Double(n) * (cdf(Double(edges[$0 + 1])) - cdf(Double(edges[$0]))) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
