@testable import BatchNormKit
import Testing

/// Ghost batches (what K replicas compute without SyncBatchNorm): each chunk normalized as its
/// own batch, gradients exact, running statistics chained, and a ghost as large as the batch is
/// plain BatchNorm through a whole training run.
@Suite struct GhostBatchNormTests {
    static func input(_ shape: [Int], seed: UInt64) throws -> Tensor {
        var rng = SeededGenerator(seed: seed)
        return try Tensor.randn(shape, using: &rng).combined(with: 3, .multiply).combined(with: 2, .add)
    }

    @Test func everyGhostBatchIsNormalizedAsItsOwnBatch() throws {
        let x = try Self.input([12, 3], seed: 1)
        let ghost = try GhostBatchNorm(BatchNorm(numFeatures: 3), ghostSize: 4)
        let y = try ghost.forward(x)
        let alone = try BatchNorm(numFeatures: 3)
        for start in [0, 4, 8] {
            let chunk = GhostBatchNorm.rows(start..<start + 4, of: x)
            let expected = try alone.forward(chunk)
            #expect(GhostBatchNorm.rows(start..<start + 4, of: y).scalars == expected.scalars)
        }
        // Three chained updates, as three replicas' layers would each make one.
        #expect(ghost.batchNorm.numBatchesTracked == 3)
        #expect(ghost.batchNorm.runningMean.scalars == alone.runningMean.scalars)
        #expect(ghost.batchNorm.runningVar.scalars == alone.runningVar.scalars)
        // Not the whole batch's normalization: the chunks' means differ.
        let whole = try BatchNorm(numFeatures: 3).forward(x)
        #expect(zip(whole.scalars, y.scalars).map { abs($0 - $1) }.max()! > 0.05)
    }

    @Test func aLastGhostBatchOfOneJoinsTheOneBefore() throws {
        let ghost = try GhostBatchNorm(BatchNorm(numFeatures: 2), ghostSize: 4)
        #expect(ghost.ghostBatches(of: 9) == [0..<4, 4..<9])
        #expect(ghost.ghostBatches(of: 10) == [0..<4, 4..<8, 8..<10])
        #expect(ghost.ghostBatches(of: 3) == [0..<3])
        #expect(throws: TensorError.self) { try GhostBatchNorm(BatchNorm(numFeatures: 2), ghostSize: 1) }
    }

    @Test func evalModeUsesTheRunningStatisticsOverTheWholeBatch() throws {
        let x = try Self.input([8, 3], seed: 2)
        let ghost = try GhostBatchNorm(BatchNorm(numFeatures: 3), ghostSize: 2)
        _ = try ghost.forward(x)
        ghost.training = false
        let plain = ghost.batchNorm
        #expect(!plain.training)
        #expect(try ghost.forward(x).scalars == plain.forward(x).scalars)
    }

    @Test(arguments: [[6, 3], [7, 2, 3]])
    func gradientsMatchFiniteDifferencesOfTheChunkedLoss(shape: [Int]) throws {
        var rng = SeededGenerator(seed: 9)
        let x = try Self.input(shape, seed: 3)
        let dy = try Tensor.randn(shape, using: &rng)
        let gamma = try Tensor.randn([shape[1]], using: &rng), beta = try Tensor.randn([shape[1]], using: &rng)
        let ghost = try GhostBatchNorm(BatchNorm(numFeatures: shape[1]), ghostSize: 3)
        try ghost.setGamma(gamma); try ghost.setBeta(beta)
        let grads = try ghost.backward(x, dy)
        let chunks = ghost.ghostBatches(of: shape[0])
        let rowSize = x.count / shape[0]
        var xs = x.scalars.map(Double.init), gs = gamma.scalars.map(Double.init), bs = beta.scalars.map(Double.init)
        let dys = dy.scalars.map(Double.init)
        func loss() -> Double {
            chunks.reduce(0.0) { total, rows in
                let span = rows.lowerBound * rowSize..<rows.upperBound * rowSize
                return total + BackwardFiniteDifferenceTests.loss(Array(xs[span]), gs, bs, Array(dys[span]),
                                                                  shape: [rows.count] + shape.dropFirst(), eps: 1e-5)
            }
        }
        let h = 1e-6
        func central(_ update: (Double) -> Void) -> Double {
            update(h); let plus = loss()
            update(-2 * h); let minus = loss()
            update(h)
            return (plus - minus) / (2 * h)
        }
        for i in 0..<xs.count {
            let numeric = central { xs[i] += $0 }
            #expect(abs(Double(grads.dx.scalars[i]) - numeric) < 1e-4 + 1e-3 * abs(numeric), "dx[\(i)]")
        }
        for c in 0..<shape[1] {
            let numericGamma = central { gs[c] += $0 }, numericBeta = central { bs[c] += $0 }
            #expect(abs(Double(grads.dgamma.scalars[c]) - numericGamma) < 1e-4 + 1e-3 * abs(numericGamma), "dgamma[\(c)]")
            #expect(abs(Double(grads.dbeta.scalars[c]) - numericBeta) < 1e-4 + 1e-3 * abs(numericBeta), "dbeta[\(c)]")
        }
    }

    /// A ghost batch at least as large as every batch is BatchNorm itself: the same figures, bit
    /// for bit. The input-shift probe is off: it is a training-mode pass over all 240 samples,
    /// which the ghost layer rightly cuts into ghost batches (and its NaN would not compare equal).
    @Test func aGhostAsLargeAsTheBatchTrainsLikeBatchNorm() throws {
        var records: [[[Double]]] = []
        for ghost in [nil, 32] as [Int?] {
            var rng = SeededGenerator(seed: 4)
            let data = try Dataset.spirals(samples: 300, using: &rng)
            let (train, test) = try data.split(testFraction: 0.2, using: &rng)
            var model = try MLP(sizes: [2, 16, 16, 3], norm: .batch, using: &rng)
            if let ghost { model = try model.withGhostBatches(of: ghost) }
            var config = TrainingConfig()
            config.epochs = 2
            config.learningRate = 0.05
            config.measureInputShift = false
            records.append(try Trainer.train(model, train: train, test: test, config: config).records.map { r in
                [r.trainLoss, r.testLoss, r.testAccuracy]
                    + r.diagnostics.flatMap { [$0.activationMean, $0.activationStd, $0.gradientStd, $0.updateToDataRatio] }
            })
        }
        #expect(records[0] == records[1])
    }

    @Test func smallGhostBatchesTrainDifferently() throws {
        var accuracies: [Double] = []
        for ghost in [nil, 2] as [Int?] {
            var rng = SeededGenerator(seed: 4)
            let data = try Dataset.spirals(samples: 300, using: &rng)
            let (train, test) = try data.split(testFraction: 0.2, using: &rng)
            var model = try MLP(sizes: [2, 16, 16, 3], norm: .batch, using: &rng)
            if let ghost { model = try model.withGhostBatches(of: ghost) }
            #expect(model.blocks[0].norm is GhostBatchNorm == (ghost != nil))
            var config = TrainingConfig()
            config.epochs = 2
            config.learningRate = 0.05
            accuracies.append(try Trainer.train(model, train: train, test: test, config: config).records.last!.testAccuracy)
        }
        #expect(accuracies[0] != accuracies[1])
    }
}
