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

    /// dx chunk by chunk is BatchNorm's own backward on that chunk (itself checked against finite
    /// differences), and dγ, dβ are the chunks' sums: the loss sums over the ghost batches.
    @Test(arguments: [[6, 3], [7, 2, 3]])
    func gradientsAreEachGhostBatchsOwnSummed(shape: [Int]) throws {
        var rng = SeededGenerator(seed: 9)
        let x = try Self.input(shape, seed: 3)
        let dy = try Tensor.randn(shape, using: &rng)
        let ghost = try GhostBatchNorm(BatchNorm(numFeatures: shape[1]), ghostSize: 3)
        try ghost.setGamma(Tensor.randn([shape[1]], using: &rng))
        try ghost.setBeta(Tensor.randn([shape[1]], using: &rng))
        let grads = try ghost.backward(x, dy)
        var dgamma = [Float](repeating: 0, count: shape[1]), dbeta = dgamma
        // 7 rows in ghosts of 3: [0, 3) and [3, 7), the last row joining the chunk before it.
        #expect(ghost.ghostBatches(of: shape[0]).map(\.count) == (shape[0] == 7 ? [3, 4] : [3, 3]))
        for rows in ghost.ghostBatches(of: shape[0]) {
            let own = try ghost.batchNorm.backward(GhostBatchNorm.rows(rows, of: x), GhostBatchNorm.rows(rows, of: dy))
            #expect(GhostBatchNorm.rows(rows, of: grads.dx).scalars == own.dx.scalars)
            for c in 0..<shape[1] { dgamma[c] += own.dgamma.scalars[c]; dbeta[c] += own.dbeta.scalars[c] }
        }
        #expect(grads.dgamma.scalars == dgamma && grads.dbeta.scalars == dbeta)
        // And not the whole batch's gradient: the statistics differ.
        let whole = try ghost.batchNorm.backward(x, dy)
        #expect(zip(whole.dx.scalars, grads.dx.scalars).map { abs($0 - $1) }.max()! > 1e-3)
    }

    /// Two epochs on 240 spiral points with a [2, 16, 16, 3] BatchNorm model, its norms over ghost
    /// batches of `ghost` (plain BatchNorm for nil); every run starts from the same weights.
    static func train(ghost: Int?, measureInputShift: Bool = true) throws -> (MLP, TrainingResult) {
        var rng = SeededGenerator(seed: 4)
        let data = try Dataset.spirals(samples: 300, using: &rng)
        let (train, test) = try data.split(testFraction: 0.2, using: &rng)
        var model = try MLP(sizes: [2, 16, 16, 3], norm: .batch, using: &rng)
        if let ghost { model = try model.withGhostBatches(of: ghost) }
        var config = TrainingConfig()
        config.epochs = 2
        config.learningRate = 0.05
        config.measureInputShift = measureInputShift
        return (model, try Trainer.train(model, train: train, test: test, config: config))
    }

    /// A ghost batch at least as large as every batch is BatchNorm itself: the same figures, bit
    /// for bit. The input-shift probe is off: it is a training-mode pass over all 240 samples,
    /// which the ghost layer rightly cuts into ghost batches (and its NaN would not compare equal).
    @Test func aGhostAsLargeAsTheBatchTrainsLikeBatchNorm() throws {
        let figures = try [nil, 32].map { (ghost: Int?) in
            try Self.train(ghost: ghost, measureInputShift: false).1.records.map { r in
                [r.trainLoss, r.testLoss, r.testAccuracy]
                    + r.diagnostics.flatMap { [$0.activationMean, $0.activationStd, $0.gradientStd, $0.updateToDataRatio] }
            }
        }
        #expect(figures[0] == figures[1])
    }

    @Test func smallGhostBatchesTrainDifferently() throws {
        let (plain, plainResult) = try Self.train(ghost: nil)
        let (ghosted, ghostResult) = try Self.train(ghost: 2)
        #expect(!(plain.blocks[0].norm is GhostBatchNorm) && ghosted.blocks[0].norm is GhostBatchNorm)
        #expect(plainResult.records.last!.testAccuracy != ghostResult.records.last!.testAccuracy)
    }
}
