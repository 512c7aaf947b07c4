@testable import BatchNormKit
import Testing

/// `ChannelSummary.summarize` finds the range with the vectorized pass; it must say what the
/// plain loop says, including which zero is the extreme and NaN and ±∞ counted apart.
@Suite struct ChannelSummaryTests {
    /// The loop the summary used before the vectorized pass.
    static func plain(_ values: [Float]) -> (min: Float, max: Float, nan: Int, infinite: Int) {
        var (low, high, nan, infinite) = (Float.infinity, -Float.infinity, 0, 0)
        for v in values {
            if v.isNaN { nan += 1 } else if v.isInfinite { infinite += 1 } else { low = min(low, v); high = max(high, v) }
        }
        return (low, high, nan, infinite)
    }

    static let cases: [[Float]] = {
        var cases: [[Float]] = [[], [3], [0, -0.0, 1], [-0.0, 0, 1], [0, -0.0, -1], [-0.0, 0, -1]]
        cases.append([1, 2, .nan, -.infinity, 5])
        cases.append([.nan, .nan])
        cases.append([.infinity])
        cases.append((0..<1000).map { Float($0 % 17) - 8 })
        cases.append((0..<333).map { Float($0) * 0.5 } + [-0.0])
        return cases
    }()

    @Test(arguments: Self.cases)
    func rangeAndCountsAreThePlainLoops(values: [Float]) {
        let s = ChannelSummary.summarize(values[...])
        let p = Self.plain(values)
        let finite = values.count - p.nan - p.infinite
        #expect(s.nanCount == p.nan && s.infiniteCount == p.infinite && s.count == finite)
        if finite > 0 {
            #expect(s.min.bitPattern == p.min.bitPattern && s.max.bitPattern == p.max.bitPattern, "\(s.min) \(s.max) vs \(p)")
            let moments = Moments.of(values.filter(\.isFinite).map(Double.init))
            #expect(abs(s.mean - moments.mean) <= 1e-12 * max(1, abs(moments.mean)))
        } else {
            #expect(s.min.isNaN && s.max.isNaN)
        }
    }
}
