@testable import BatchNormKit
import Testing

/// Pieces have fixed boundaries and merge in a fixed order, so one thread and several give the
/// same bits (the issue asks for float32 tolerance across thread counts; this is stronger).
@Suite(.serialized) struct ParallelDeterminismTests {
    static func results(threads: Int, shape: [Int]) throws -> [[Float]] {
        Parallelism.setThreads(threads)
        defer { Parallelism.setThreads(0) }
        var rng = SeededGenerator(seed: 8)
        let x = try Tensor.randn(shape, using: &rng).combined(with: 3, .multiply).combined(with: 100, .add)
        let dy = try Tensor.randn(shape, using: &rng)
        let bn = try BatchNorm(numFeatures: shape[1])
        let y = try bn.forward(x)
        let gradients = try bn.backward(x, dy)
        let moments = Moments.perChannel(of: x)
        let layerNorm = try LayerNorm(normalizedShape: [shape.last!]).forward(x)
        let histogram = try Histogram(x.scalars, bins: 50)
        return [y.scalars, bn.runningMean.scalars, bn.runningVar.scalars, gradients.dx.scalars, gradients.dgamma.scalars,
                gradients.dbeta.scalars, moments.mean.map(Float.init), moments.variance.map(Float.init),
                layerNorm.scalars, histogram.counts.map(Float.init)]
    }

    @Test(arguments: [[64, 8, 32, 32], [1024, 512], [300, 5, 3]])
    func oneThreadAndTwoGiveTheSameBits(shape: [Int]) throws {
        let one = try Self.results(threads: 1, shape: shape)
        let two = try Self.results(threads: 2, shape: shape)
        let four = try Self.results(threads: 4, shape: shape)
        for (index, values) in one.enumerated() {
            #expect(values.map(\.bitPattern) == two[index].map(\.bitPattern), "output \(index)")
            #expect(values.map(\.bitPattern) == four[index].map(\.bitPattern), "output \(index)")
        }
    }
}
