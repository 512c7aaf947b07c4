/// The random number generator behind `randn`, `rand` and seeded shuffling: the same seed gives
/// the same numbers on every run and every machine, so a lesson's numbers never drift.
///
/// The algorithm is xoshiro256** (Blackman & Vigna, 2018), its 256-bit state filled from the
/// seed by SplitMix64, as its authors recommend. Uniform floats take the top 24 bits of a draw
/// (so they are exact multiples of 2⁻²⁴ in [0, 1)); normal draws use Marsaglia's polar method in
/// Double, which needs only `sqrt` (correctly rounded everywhere) and `log`, then round to Float.
/// A fresh session starts from `defaultSeed`.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    public static let defaultSeed: UInt64 = 0

    private var state: (UInt64, UInt64, UInt64, UInt64)
    /// Polar method produces normals in pairs; the second waits here.
    private var spareNormal: Double?

    public init(seed: UInt64 = SeededGenerator.defaultSeed) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
        spareNormal = nil
    }

    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }

    /// A uniform Float in [0, 1), a multiple of 2⁻²⁴.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Double in [0, 1), a multiple of 2⁻⁵³.
    public mutating func nextUniformDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform integer in 0..<bound by rejection, so it is pinned here rather than by the
    /// standard library's (unspecified) algorithm for `Int.random(in:using:)`.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "nextIndex needs a positive bound")
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// `count` distinct indices from 0..<population in a uniformly random order, in O(count) time
    /// and memory whatever the population, so a mini-batch of 16 from a million samples stays
    /// cheap. Floyd's algorithm picks a uniform subset; its order is not uniform (with
    /// count == population it is far from a shuffle), so the picks are then Fisher–Yates shuffled.
    public mutating func sample(_ count: Int, from population: Int) -> [Int] {
        let count = min(max(0, count), max(0, population))
        var chosen = Set<Int>(minimumCapacity: count)
        var order: [Int] = []
        order.reserveCapacity(count)
        for j in (population - count)..<population {
            let candidate = nextIndex(below: j + 1)
            let pick = chosen.contains(candidate) ? j : candidate
            chosen.insert(pick)
            order.append(pick)
        }
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, nextIndex(below: i + 1))
        }
        return order
    }

    /// A standard normal draw (mean 0, variance 1).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        while true {
            let u = 2 * nextUniformDouble() - 1
            let v = 2 * nextUniformDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
