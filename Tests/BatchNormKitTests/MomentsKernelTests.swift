@testable import BatchNormKit
import Testing

/// The column statistics moved to C keep the order of the Swift code they replaced, so the bits:
/// `ChannelReduction.byColumns` (`bnlab_column_moments`, `bnlab_merge_column_moments`) against the
/// Swift loops kept here.
@Suite struct MomentsKernelTests {
    /// The Swift loops before the move: rows added into memory one after another, then merged.
    static func reference(_ x: Tensor) -> (mean: [Double], m2: [Double]) {
        let (samples, channels, inner) = (x.batchSize, x.channels, x.spatialSize)
        let width = channels * inner, per = ChannelReduction.samplesPerPiece
        let blocks = (samples + per - 1) / per
        var means = [Double](repeating: 0, count: blocks * width), squares = means
        for block in 0..<blocks {
            let first = block * per, rows = min(samples, first + per) - first
            for row in 0..<rows { for j in 0..<width { means[block * width + j] += Double(x.scalars[(first + row) * width + j]) } }
            let scale = 1 / Double(rows)
            for j in 0..<width { means[block * width + j] *= scale }
            for row in 0..<rows {
                for j in 0..<width {
                    let d = Double(x.scalars[(first + row) * width + j]) - means[block * width + j]
                    squares[block * width + j] += d * d
                }
            }
        }
        var mean: [Double] = [], m2: [Double] = []
        for channel in 0..<channels {
            var moments = PartialMoments.empty
            for block in 0..<blocks {
                let rows = Double(min(samples, (block + 1) * per) - block * per)
                for position in 0..<inner {
                    let column = block * width + channel * inner + position
                    moments.merge(PartialMoments(count: rows, mean: means[column], m2: squares[column]))
                }
            }
            mean.append(moments.mean)
            m2.append(moments.m2)
        }
        return (mean, m2)
    }

    @Test(arguments: [[1, 1], [1, 40], [31, 17], [33, 16], [70, 45], [129, 1024], [40, 3, 5], [65, 7, 1], [2, 5, 7]])
    func sameBitsAsTheSwiftLoops(shape: [Int]) throws {
        var rng = SeededGenerator(seed: UInt64(shape.reduce(1, *)))
        var values = try Tensor.randn(shape, using: &rng).scalars
        // One column near 10⁴ ± 10⁻², where a careless order would show.
        for i in stride(from: 1 % values.count, to: values.count, by: shape.dropFirst().reduce(1, *)) {
            values[i] = 10_000 + values[i] * 0.01
        }
        let x = try Tensor(shape: shape, scalars: values)
        let expected = Self.reference(x)
        let parts = x.scalars.withUnsafeBufferPointer {
            ChannelReduction.byColumns($0, samples: x.batchSize, channels: x.channels, inner: x.spatialSize)
        }
        #expect(parts.map(\.mean.bitPattern) == expected.mean.map(\.bitPattern))
        #expect(parts.map(\.m2.bitPattern) == expected.m2.map(\.bitPattern))
        #expect(parts.allSatisfy { $0.count == Double(x.batchSize * x.spatialSize) })
    }
}
