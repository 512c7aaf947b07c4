@testable import BatchNormKit
import Testing

/// Nested in `VectorExtensionsTests`, whose `.serialized` covers it: forcing a level is process-wide,
/// so level tests must not run beside one another.
extension VectorExtensionsTests {
    /// BatchNorm backward's loops moved from Swift SIMD to C (backward.c): on awkward shapes — one
    /// element per row tail, rows of exactly 8, a sample count that leaves a short last piece, (N, C)
    /// widths that fill no vector, empty batches — and with NaN and ±∞ in x and dy, the new code gives
    /// the old Swift code's bits (`ReferenceBackward`, kept verbatim) at every level, in both modes.
    /// A NaN must stay a NaN; which of two NaNs meeting in + or · wins was the Swift compiler's
    /// register choice (its own tail loop picked differently on odd and even steps), so against the
    /// old code only NaN-ness is compared, while every level must give the very same NaNs.
    @Suite struct BackwardKernelTests {
        static let shapes: [[Int]] = [
            [2, 1, 8], [1, 3, 9], [2, 3, 9], [3, 5, 7, 9], [33, 2, 17], [70, 3, 8], [65, 4, 2, 8], [5, 2, 1031],
            [37, 13], [2, 1], [40, 3, 2], [65, 17, 3], [33, 8], [3, 1, 7], [100, 1], [0, 4], [0, 3, 8],
        ]

        static func inputs(_ shape: [Int], seed: UInt64, special: Bool) throws -> (Tensor, Tensor) {
            var rng = SeededGenerator(seed: seed)
            var x = try Tensor.randn(shape, using: &rng).scalars.map { $0 * 3 + 7 }
            var dy = try Tensor.randn(shape, using: &rng).scalars
            if special, x.count > 3 {
                x[x.count / 2] = .nan; dy[1] = .infinity; dy[x.count - 1] = -.infinity; x[0] = -.infinity
            }
            return (try Tensor(shape: shape, scalars: x), try Tensor(shape: shape, scalars: dy))
        }

        /// The layer with γ and running statistics that are not ones and zeros, in either mode.
        static func layer(channels: Int, training: Bool) throws -> BatchNorm {
            let bn = try BatchNorm(numFeatures: channels)
            let ramp = (0..<channels).map { Float($0) }
            try bn.setGamma(Tensor(vector: ramp.map { 0.5 + $0 * 0.37 }))
            try bn.setRunningMean(Tensor(vector: ramp.map { $0 * 0.1 - 1 }))
            try bn.setRunningVar(Tensor(vector: ramp.map { 0.25 + $0 * 0.5 }))
            bn.training = training
            return bn
        }

        /// dx, dγ, dβ as bit patterns, or the error's text.
        static func bits(_ body: () throws -> NormGradients) -> [[UInt32]] {
            do {
                let g = try body()
                return [g.dx.scalars.map(\.bitPattern), g.dgamma.scalars.map(\.bitPattern), g.dbeta.scalars.map(\.bitPattern)]
            } catch {
                return [Array("\(error)".unicodeScalars.map(\.value))]
            }
        }

        /// The same bits, except that any NaN equals any NaN.
        static func sameUpToNaNs(_ a: [[UInt32]], _ b: [[UInt32]]) -> Bool {
            a.count == b.count && zip(a, b).allSatisfy { u, v in
                u.count == v.count && zip(u, v).allSatisfy { $0 == $1 || (Float(bitPattern: $0).isNaN && Float(bitPattern: $1).isNaN) }
            }
        }

        @Test(arguments: shapes)
        func backwardKeepsTheSwiftLoopsBitsAtEveryLevel(shape: [Int]) throws {
            defer { VectorExtensions.use(nil) }
            for special in [false, true] {
                let (x, dy) = try Self.inputs(shape, seed: UInt64(shape.reduce(1, *) + 17), special: special)
                for training in [true, false] {
                    let bn = try Self.layer(channels: shape[1], training: training)
                    VectorExtensions.use(nil)
                    let expected = Self.bits { try ReferenceBackward.gradients(bn, x, dy) }
                    VectorExtensions.use(.baseline)
                    let baseline = Self.bits { try bn.backward(x, dy) }
                    #expect(Self.sameUpToNaNs(baseline, expected), "\(shape), training \(training), NaN/inf \(special)")
                    for level in VectorExtensionsTests.levels {
                        VectorExtensions.use(level)
                        let got = Self.bits { try bn.backward(x, dy) }
                        #expect(got == baseline, "\(shape), training \(training), NaN/inf \(special), \(level)")
                    }
                }
            }
        }

        /// Past `streamingCount` dx goes out with non-temporal stores, from a 32-byte boundary: rows of
        /// an odd length start at every alignment, and each keeps the Swift code's bits at every level.
        @Test func aStreamedDxKeepsTheSwiftBits() throws {
            let shape = [33, 4, 64_001]
            #expect(shape.reduce(1, *) >= ChannelGradientSums.streamingCount)
            let (x, dy) = try Self.inputs(shape, seed: 99, special: false)
            let bn = try Self.layer(channels: 4, training: true)
            let expected = Self.bits { try ReferenceBackward.gradients(bn, x, dy) }
            defer { VectorExtensions.use(nil) }
            for level in VectorExtensionsTests.levels {
                VectorExtensions.use(level)
                #expect(Self.bits { try bn.backward(x, dy) } == expected, "\(level)")
            }
        }

        /// The row sums' lanes and tail, straight against the old loop, on lengths 0 through 33.
        @Test func rowSumsMatchTheSwiftLoop() {
            var rng = SeededGenerator(seed: 4)
            let x = (0..<40).map { _ in Float(rng.nextNormal()) * 100 + 1e4 }, dy = (0..<40).map { _ in Float(rng.nextNormal()) }
            defer { VectorExtensions.use(nil) }
            for level in VectorExtensionsTests.levels {
                VectorExtensions.use(level)
                for count in 0...33 {
                    let (a, b) = GradientLoops.rowSums(x, dy, count: count, mean: 10_000.5)
                    let (ra, rb) = ReferenceGradientLoops.rowSums(x, dy, count: count, mean: 10_000.5)
                    #expect(a.bitPattern == ra.bitPattern && b.bitPattern == rb.bitPattern, "count \(count) at \(level)")
                }
            }
        }
    }
}
