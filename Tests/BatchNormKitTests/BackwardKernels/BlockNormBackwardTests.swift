@testable import BatchNormKit
import Testing

/// `BlockNormBackward.gradients` as it was (a Swift loop, one closure call per element), kept
/// verbatim as the reference for its C loop (block_norm_backward.c).
enum ReferenceBlockNormBackward {
    static func gradients(_ x: Tensor, _ dy: Tensor, blockSize: Int, eps: Double, centred: Bool,
                          gamma: [Float]?, parameterCount: Int, parameterShape: [Int],
                          parameter: (Int) -> Int) -> NormGradients {
        let blocks = x.count / max(1, blockSize)
        let statistics: (mean: [Double], variance: [Double])
        if centred {
            let moments = Moments.perBlock(of: x, blockSize: blockSize)
            statistics = (moments.mean, moments.variance)
        } else {
            statistics = ([Double](repeating: 0, count: blocks), BlockNormBackward.meanSquares(x, blockSize: blockSize))
        }
        let gammaValues = gamma.map { $0.map(Double.init) }
        var dx = [Float](repeating: 0, count: x.count)
        var dgamma = [Double](repeating: 0, count: parameterCount)
        var dbeta = [Double](repeating: 0, count: parameterCount)
        let m = Double(blockSize)
        x.scalars.withUnsafeBufferPointer { xs in
            dy.scalars.withUnsafeBufferPointer { dys in
                for block in 0..<blocks {
                    let base = block * blockSize
                    let mean = statistics.mean[block], s = 1 / (statistics.variance[block] + eps).squareRoot()
                    var sumG = 0.0, sumGXHat = 0.0
                    for i in base..<(base + blockSize) {
                        let p = parameter(i)
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * (gammaValues?[p] ?? 1)
                        sumG += g
                        sumGXHat += g * xHat
                        dgamma[p] += Double(dys[i]) * xHat
                        dbeta[p] += Double(dys[i])
                    }
                    if !centred { sumG = 0 }
                    for i in base..<(base + blockSize) {
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * (gammaValues?[parameter(i)] ?? 1)
                        dx[i] = Float(s / m * (m * g - sumG - xHat * sumGXHat))
                    }
                }
            }
        }
        return NormGradients(
            dx: Tensor(uncheckedShape: x.shape, scalars: dx),
            dgamma: Tensor(uncheckedShape: parameterShape, scalars: dgamma.map { Float($0) }),
            dbeta: Tensor(uncheckedShape: parameterShape, scalars: dbeta.map { Float($0) }))
    }

}

/// Nested in `VectorExtensionsTests`, whose `.serialized` covers it: forcing a level is process-wide,
/// so level tests must not run beside one another.
extension VectorExtensionsTests {
    /// LayerNorm, RMSNorm and GroupNorm backward in C give the old Swift loop's bits at every level,
    /// on blocks of 1, odd sizes, GroupNorm's runs of positions, with and without γ. With NaN or ±∞
    /// in the input the old loop itself still runs; which of two NaNs wins then depends on how it was
    /// compiled (the copy here is built without -O), so there any NaN matches any NaN.
    @Suite struct BlockNormBackwardTests {
        static func inputs(_ shape: [Int], seed: UInt64, special: Bool) throws -> (Tensor, Tensor) {
            try BackwardKernelTests.inputs(shape, seed: seed, special: special)
        }

        static func bits(_ g: NormGradients) -> [[UInt32]] {
            [g.dx.scalars.map(\.bitPattern), g.dgamma.scalars.map(\.bitPattern), g.dbeta.scalars.map(\.bitPattern)]
        }

        /// (shape, normalized trailing shape, groups for GroupNorm).
        static let cases: [([Int], [Int], Int)] = [
            ([3, 1], [1], 1), ([5, 7], [7], 7), ([4, 6, 5], [6, 5], 3), ([2, 6, 3, 3], [3, 3], 2), ([9, 33], [33], 1),
            ([2, 4, 1], [4, 1], 4), ([0, 5], [5], 5),
        ]

        @Test(arguments: 0..<cases.count)
        func blockNormsKeepTheSwiftLoopsBits(index: Int) throws {
            let (shape, trailing, groups) = Self.cases[index]
            let blockSize = trailing.reduce(1, *)
            defer { VectorExtensions.use(nil) }
            for special in [false, true] {
                let (x, dy) = try Self.inputs(shape, seed: UInt64(31 + index), special: special)
                var rng = SeededGenerator(seed: 5)
                let gamma = (0..<blockSize).map { _ in Float(rng.nextNormal()) }
                for withGamma in [true, false] {
                    let g: [Float]? = withGamma ? gamma : nil
                    for centred in [true, false] {
                        let expected = Self.bits(ReferenceBlockNormBackward.gradients(
                            x, dy, blockSize: blockSize, eps: 1e-5, centred: centred, gamma: g, parameterCount: blockSize,
                            parameterShape: trailing) { $0 % blockSize })
                        for level in VectorExtensionsTests.levels {
                            VectorExtensions.use(level)
                            let got = Self.bits(BlockNormBackward.overTrailingAxes(x, dy, shape: trailing, eps: 1e-5, centred: centred, gamma: g))
                            #expect(special ? BackwardKernelTests.sameUpToNaNs(got, expected) : got == expected, "\(shape) over \(trailing), γ \(withGamma), centred \(centred), NaN/inf \(special), \(level)")
                        }
                    }
                }
                // GroupNorm: a block is C/G channels, γ per channel, so the parameter steps every `inner` elements.
                guard shape.count >= 2 else { continue }
                let channels = shape[1], inner = shape.dropFirst(2).reduce(1, *)
                let channelGamma = (0..<channels).map { _ in Float(rng.nextNormal()) }
                let expected = Self.bits(ReferenceBlockNormBackward.gradients(
                    x, dy, blockSize: channels / groups * inner, eps: 1e-5, centred: true, gamma: channelGamma,
                    parameterCount: channels, parameterShape: [channels]) { ($0 / inner) % channels })
                for level in VectorExtensionsTests.levels {
                    VectorExtensions.use(level)
                    let got = Self.bits(BlockNormBackward.gradients(
                        x, dy, blockSize: channels / groups * inner, eps: 1e-5, centred: true, gamma: channelGamma,
                        parameterCount: channels, parameterShape: [channels], run: inner) { ($0 / inner) % channels })
                    #expect(special ? BackwardKernelTests.sameUpToNaNs(got, expected) : got == expected, "groupnorm \(shape), \(groups) groups, NaN/inf \(special), \(level)")
                }
            }
        }

        /// Finite inputs can still make NaNs (a constant block with eps 0: x̂ = 0·∞); in the C loop they
        /// are all the default NaN, so even their bits match the Swift loop's.
        @Test func aConstantBlockWithoutEpsGivesTheSameNaNs() throws {
            let x = try Tensor(shape: [3, 4], scalars: [2, 2, 2, 2, 1, 2, 3, 4, -1, -1, -1, -1])
            let dy = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.25 - 1 })
            let gamma: [Float] = [1, -2, 0.5, 3]
            let expected = Self.bits(ReferenceBlockNormBackward.gradients(
                x, dy, blockSize: 4, eps: 0, centred: true, gamma: gamma, parameterCount: 4, parameterShape: [4]) { $0 % 4 })
            #expect(expected[0].contains { Float(bitPattern: $0).isNaN })
            defer { VectorExtensions.use(nil) }
            for level in VectorExtensionsTests.levels {
                VectorExtensions.use(level)
                let got = Self.bits(BlockNormBackward.overTrailingAxes(x, dy, shape: [4], eps: 0, centred: true, gamma: gamma))
                #expect(got == expected, "\(level)")
            }
        }
    }
}
