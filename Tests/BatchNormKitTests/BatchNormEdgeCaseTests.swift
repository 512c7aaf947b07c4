@testable import BatchNormKit
import Testing

/// PyTorch's behaviour in the corners (recorded in the reference's edge_cases_output.txt) and
/// the accuracy the issue demands when |mean| ≫ std.
@Suite struct BatchNormEdgeCaseTests {
    @Test func largeMeanTinyStdKeepsItsVariance() throws {
        // mean 10⁴, std 10⁻²: float32 spacing near 10⁴ is ~1e-3, so the data is still resolvable;
        // a naive Σx² − (Σx)² in float32 would return garbage (often negative) here.
        var rng = SeededGenerator(seed: 3)
        let x = try Tensor.randn([4096, 1], using: &rng).combined(with: 0.01, .multiply).combined(with: 10_000, .add)
        var sum = 0.0, squares = 0.0
        for v in x.scalars { sum += Double(v) }
        let mean = sum / Double(x.count)
        for v in x.scalars { squares += (Double(v) - mean) * (Double(v) - mean) }
        let exact = squares / Double(x.count)
        let moments = Moments.perChannel(of: x)
        #expect(abs(moments.mean[0] - mean) < 1e-9)
        #expect(abs(moments.variance[0] - exact) / exact < 1e-9)
        let bn = try BatchNorm(numFeatures: 1)
        let y = try bn.forward(x)
        let yMoments = Moments.perChannel(of: y)
        #expect(abs(yMoments.mean[0]) < 1e-5)
        #expect(abs(yMoments.variance[0] - exact / (exact + 1e-5)) < 1e-4)
    }

    @Test func oneValuePerChannelIsPyTorchsError() throws {
        let bn = try BatchNorm(numFeatures: 4)
        #expect(throws: TensorError.oneValuePerChannel([1, 4])) { try bn.forward(Tensor.zeros([1, 4])) }
        #expect(throws: TensorError.oneValuePerChannel([1, 4, 1, 1])) { try bn.forward(Tensor.zeros([1, 4, 1, 1])) }
        #expect(bn.numBatchesTracked == 0, "a refused batch must not count")
        // (1, C, L) with L > 1 is fine, and eval mode on one sample is fine.
        _ = try bn.forward(Tensor.ones([1, 4, 3]))
        bn.training = false
        _ = try bn.forward(Tensor.zeros([1, 4]))
        let untracked = try BatchNorm(numFeatures: 4, trackRunningStats: false)
        untracked.training = false
        #expect(throws: TensorError.oneValuePerChannel([1, 4])) { try untracked.forward(Tensor.zeros([1, 4])) }
    }

    @Test func nEqualsThreeUsesBesselInRunningVar() throws {
        // PyTorch: BatchNorm1d(2) on (1, 2, 3) → running_var [1.0, 1.033333]
        let bn = try BatchNorm(numFeatures: 2)
        let x = try Tensor(shape: [1, 2, 3], scalars: [1, 2, 3, 0, 0, 1])
        _ = try bn.forward(x)
        expectClose(bn.runningMean.scalars, [0.2, 0.0333333], "running_mean")
        expectClose(bn.runningVar.scalars, [1.0, 1.0 - 0.1 + 0.1 * (1.0 / 3.0)], "running_var")
    }

    @Test func cumulativeAverageIsThePlainMeanOfBatches() throws {
        // PyTorch: batch means 1, 12, 0 and unbiased vars 2, 8, 18 → (1,2), (6.5,5), (4.33,9.33)
        let bn = try BatchNorm(numFeatures: 1, momentum: .some(nil))
        for (a, b) in [(0.0, 2.0), (10.0, 14.0), (-3.0, 3.0)] as [(Float, Float)] {
            _ = try bn.forward(Tensor(shape: [2, 1], scalars: [a, b]))
        }
        expectClose(bn.runningMean.scalars, [13.0 / 3.0], "running_mean")
        expectClose(bn.runningVar.scalars, [28.0 / 3.0], "running_var")
        #expect(bn.numBatchesTracked == 3)
    }

    @Test func momentumZeroFreezesStatisticsButCounts() throws {
        let bn = try BatchNorm(numFeatures: 1, momentum: 0)
        _ = try bn.forward(Tensor(shape: [2, 1], scalars: [5, 9]))
        #expect(bn.runningMean.scalars == [0] && bn.runningVar.scalars == [1] && bn.numBatchesTracked == 1)
    }

    @Test func emptyBatchCountsButMovesNothing() throws {
        let bn = try BatchNorm(numFeatures: 4)
        let y = try bn.forward(Tensor.zeros([0, 4]))
        #expect(y.shape == [0, 4])
        #expect(bn.runningMean.scalars == [0, 0, 0, 0] && bn.runningVar.scalars == [1, 1, 1, 1])
        #expect(bn.numBatchesTracked == 1)
    }

    @Test func untrackedLayerUsesBatchStatisticsInEval() throws {
        let bn = try BatchNorm(numFeatures: 1, trackRunningStats: false)
        bn.training = false
        let y = try bn.forward(Tensor(shape: [2, 1], scalars: [1, 3]))
        expectClose(y.scalars, [-0.999995, 0.999995], "y")
        #expect(bn.numBatchesTracked == 0)
    }

    @Test func nanPoisonsOnlyItsChannel() throws {
        let bn = try BatchNorm(numFeatures: 2)
        let y = try bn.forward(Tensor(shape: [3, 2], scalars: [.nan, 0, 1, 1, 2, 2]))
        #expect(y.scalars[0].isNaN && y.scalars[2].isNaN && y.scalars[4].isNaN)
        expectClose([y.scalars[1], y.scalars[3], y.scalars[5]], [-1.224736, 0, 1.224736], "healthy channel")
        #expect(bn.runningMean.scalars[0].isNaN && !bn.runningMean.scalars[1].isNaN)
    }

    @Test func shapeErrorsAreTypedNotTraps() throws {
        let bn = try BatchNorm(numFeatures: 4)
        #expect(throws: TensorError.channelMismatch(layer: "batchnorm(4)", expected: 4, got: [8, 5])) {
            try bn.forward(Tensor.zeros([8, 5]))
        }
        #expect(throws: TensorError.self) { try bn.forward(Tensor.zeros([8])) }
        #expect(throws: TensorError.self) { try bn.setGamma(Tensor.ones([3])) }
        #expect(throws: TensorError.self) { try bn.backward(Tensor.zeros([8, 4]), Tensor.zeros([8, 3])) }
        #expect(throws: TensorError.self) { try BatchNorm(numFeatures: 0) }
        #expect(throws: TensorError.self) { try BatchNorm(numFeatures: 2, momentum: 1.5) }
        #expect(throws: TensorError.self) { try BatchNorm(numFeatures: 2, momentum: .some(nil), convention: .keras) }
    }

    @Test func stagesAreConsistentWithForward() throws {
        var rng = SeededGenerator(seed: 11)
        let x = try Tensor.randn([16, 3, 5], using: &rng)
        let a = try BatchNorm(numFeatures: 3), b = try BatchNorm(numFeatures: 3)
        try a.setGamma(Tensor(vector: [2, 0.5, -1])); try b.setGamma(Tensor(vector: [2, 0.5, -1]))
        try a.setBeta(Tensor(vector: [1, 0, 3])); try b.setBeta(Tensor(vector: [1, 0, 3]))
        let stages = try a.forwardStages(x)
        #expect(stages.output == (try b.forward(x)))
        #expect(a.runningMean == b.runningMean && a.runningVar == b.runningVar)
        let rebuilt = try stages.normalized.combined(with: Tensor(vector: [2, 0.5, -1]), .multiply)
        expectClose(stages.scaled.scalars, rebuilt.scalars, "γ·x̂")
        #expect(stages.runningUpdate?.meanAfter.map { Float($0) } == a.runningMean.scalars)
    }
}
