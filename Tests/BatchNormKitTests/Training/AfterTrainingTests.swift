@testable import BatchNormKit
import Testing

/// What lesson 16 leans on: a bias right before BatchNorm gets no gradient and can be left out
/// (`hiddenBias: false`), and `Calibration` replaces the moving averages with the cumulative
/// average of one pass over the data.
@Suite struct AfterTrainingTests {
    static func data(seed: UInt64 = 4) throws -> Dataset {
        var rng = SeededGenerator(seed: seed)
        return try Dataset.spirals(samples: 150, using: &rng)
    }

    static func model(norm: NormKind = .batch, hiddenBias: Bool = true, seed: UInt64 = 9) throws -> MLP {
        var rng = SeededGenerator(seed: seed)
        return try MLP(sizes: [2, 12, 8, 3], norm: norm, hiddenBias: hiddenBias, using: &rng)
    }

    static func oneBackwardPass(_ model: MLP, _ data: Dataset) throws {
        let (x, labels) = try data.batch(Array(0..<32))
        let logits = try model.forward(x)
        try model.backward(try Loss.crossEntropy(logits: logits, labels: labels).gradient)
    }

    @Test func aBiasRightBeforeBatchNormGetsNoGradient() throws {
        let model = try Self.model()
        try Self.oneBackwardPass(model, Self.data())
        for block in model.blocks {
            let db = try #require(block.linear.biasGradient)
            let dw = try #require(block.linear.weightGradient)
            // Σ_n dx of BatchNorm is 0 exactly; float32 leaves rounding about 1e-9 against dW ~ 1e-2.
            #expect(db.scalars.allSatisfy { abs($0) < 1e-6 }, "\(db.scalars)")
            #expect(dw.scalars.contains { abs($0) > 1e-3 })
        }
        #expect(try #require(model.output.biasGradient).scalars.contains { abs($0) > 1e-3 }, "no BN after the output layer")
        // Without a norm the same bias does get a gradient.
        let plain = try Self.model(norm: .none)
        try Self.oneBackwardPass(plain, Self.data())
        #expect(try #require(plain.blocks[0].linear.biasGradient).scalars.contains { abs($0) > 1e-3 })
    }

    @Test func withoutHiddenBiasesTheNetHasFewerParametersAndTrainsTheSame() throws {
        let (with, without) = (try Self.model(), try Self.model(hiddenBias: false))
        #expect(with.parameterCount - without.parameterCount == 12 + 8)
        #expect(without.blocks.allSatisfy { !$0.linear.hasBias } && without.output.hasBias)
        #expect(without.blocks[0].linear.layerName == "linear(2 → 12, no bias)")
        #expect(without.parameterSlots.count == with.parameterSlots.count - 2)
        let data = try Self.data()
        var rng = SeededGenerator(seed: 1)
        let (train, test) = try data.split(testFraction: 0.2, using: &rng)
        var config = TrainingConfig()
        config.epochs = 3
        let a = try Trainer.train(with, train: train, test: test, config: config)
        let b = try Trainer.train(without, train: train, test: test, config: config)
        for (x, y) in zip(a.records, b.records) { #expect(abs(x.testLoss - y.testLoss) < 1e-4) }
        #expect(without.blocks.allSatisfy { $0.linear.bias.scalars.allSatisfy { $0 == 0 } && $0.linear.biasGradient == nil },
                "no bias slot: the zeros never move")
        without.training = false
        let folded = try Folding.fold(without)
        #expect(folded.blocks.allSatisfy { $0.linear.hasBias }, "the fold's bias is β − s·μ")
        let x = try train.batch(Array(0..<20)).x
        expectClose(try folded.forward(x).scalars, try without.forward(x).scalars, atol: 1e-5, rtol: 1e-5, "folded")
    }

    @Test func calibrationIsTheCumulativeAverageOfTheBatchStatistics() throws {
        let model = try Self.model()
        let data = try Self.data()
        var config = TrainingConfig()
        config.epochs = 2
        _ = try Trainer.train(model, train: data, test: data, config: config)
        let bn = try #require(model.blocks[1].norm as? BatchNorm)
        bn.momentum = 0.3
        model.training = false
        // By hand: every batch of 40 (the last of 150 − 120 = 30) through the final weights, in training mode.
        var means = [Double](repeating: 0, count: 8), variances = means
        let starts = [0, 40, 80, 120]
        model.training = true
        for start in starts {
            let x = try data.batch(Array(start..<min(start + 40, 150))).x
            let z = try model.activations(x)[1].beforeNorm
            let moments = Moments.perChannel(of: z)
            let n = Double(z.shape[0])
            for c in 0..<8 {
                means[c] += moments.mean[c] / Double(starts.count)
                variances[c] += moments.variance[c] * n / (n - 1) / Double(starts.count)  // unbiased, as PyTorch keeps
            }
        }
        model.training = false
        let batches = try Calibration.recalibrate(model, on: data, batchSize: 40)
        #expect(batches == 4)
        expectClose(bn.runningMean.scalars, means.map(Float.init), atol: 1e-5, rtol: 1e-5, "running_mean")
        expectClose(bn.runningVar.scalars, variances.map(Float.init), atol: 1e-5, rtol: 1e-5, "running_var")
        #expect(bn.numBatchesTracked == 4)
        #expect(bn.momentum == 0.3, "each momentum is restored")
        #expect(model.training == false, "and the mode")
    }

    @Test func calibrationSkipsABatchOfOneAndRefusesBadInput() throws {
        let model = try Self.model()
        let data = try Self.data()
        #expect(try Calibration.recalibrate(model, on: data, batchSize: 149) == 1, "150 = 149 + 1: the 1 is skipped")
        #expect(throws: TensorError.self) { try Calibration.recalibrate(model, on: data, batchSize: 1) }
        var rng = SeededGenerator(seed: 0)
        let wide = try MLP(sizes: [3, 4, 2], norm: .batch, using: &rng)
        #expect(throws: TensorError.self) { try Calibration.recalibrate(wide, on: data, batchSize: 8) }
        #expect(try Calibration.recalibrate(try Self.model(norm: .layer), on: data, batchSize: 8) == 0, "no BatchNorm, nothing to do")
    }

    /// Against PyTorch's `torch.optim.swa_utils.update_bn` on the same network, weights and
    /// batches (scripts/make-after-training-vectors.py): stale statistics replaced by the
    /// cumulative average of 4 batches, and the eval-mode logits with them.
    @Test func calibrationMatchesPyTorchsUpdateBN() throws {
        func load(_ name: String) throws -> Tensor { try ReferenceVectors.load("update_bn", name) }
        var rng = SeededGenerator(seed: 0)
        let model = try MLP(sizes: [5, 4, 3, 2], norm: .batch, hiddenBias: false, using: &rng)
        model.blocks[0].linear.weight = try load("W0")
        model.blocks[1].linear.weight = try load("W3")
        model.output.weight = try load("W6")
        model.output.bias = try load("b6")
        let layers = [(1, model.blocks[0]), (4, model.blocks[1])]
        for (index, block) in layers {
            let bn = try #require(block.norm as? BatchNorm)
            try bn.setGamma(load("gamma\(index)")); try bn.setBeta(load("beta\(index)"))
            try bn.setRunningMean(load("stale_mean\(index)")); try bn.setRunningVar(load("stale_var\(index)"))
            try bn.setNumBatchesTracked(3)
        }
        let x = try load("x")
        let data = try Dataset(x: x, labels: Array(repeating: 0, count: 30), classes: 2, name: "x")
        #expect(try Calibration.recalibrate(model, on: data, batchSize: 8) == 4)
        for (index, block) in layers {
            let bn = try #require(block.norm as? BatchNorm)
            expectClose(bn.runningMean.scalars, try load("running_mean\(index)").scalars, "running_mean of layer \(index)")
            expectClose(bn.runningVar.scalars, try load("running_var\(index)").scalars, "running_var of layer \(index)")
            #expect(Float(bn.numBatchesTracked) == (try load("num_batches_tracked\(index)")).scalars[0])
        }
        model.training = false
        expectClose(try model.forward(x).scalars, try load("logits_eval").scalars, "eval-mode logits after update_bn")
        // PyTorch's own bias gradient before a BatchNorm is rounding too (a sum-reduced loss, so ~1e-6).
        #expect(try load("bias_grad_before_bn").scalars.allSatisfy { abs($0) < 1e-5 })
    }
}
