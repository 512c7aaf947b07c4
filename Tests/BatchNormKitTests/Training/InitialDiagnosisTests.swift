@testable import BatchNormKit
import Testing

/// What lesson 14 leans on: the step-0 diagnosis measures without changing the model, the
/// output layer's scale sets the loss at step 0, and training records every step's
/// update-to-data ratio.
@Suite struct InitialDiagnosisTests {
    static func data() throws -> Dataset {
        var rng = SeededGenerator(seed: 2)
        return try Dataset.blobs(samples: 200, classes: 4, using: &rng)
    }

    static func model(norm: NormKind = .none, outputScale: Double = 1, seed: UInt64 = 3) throws -> MLP {
        var rng = SeededGenerator(seed: seed)
        return try MLP(sizes: [2, 16, 16, 4], norm: norm, activation: .tanh, outputScale: outputScale, using: &rng)
    }

    /// Population std in Float64, the definition the ratio uses.
    static func std(_ values: [Float]) -> Double {
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
        return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)).squareRoot()
    }

    @Test func theDiagnosisIsOneForwardAndBackwardPassThatChangesNothing() throws {
        let model = try Self.model(norm: .batch)
        let data = try Self.data()
        let weights = model.blocks.map(\.linear.weight.scalars) + [model.output.weight.scalars]
        let bn = try #require(model.blocks[0].norm as? BatchNorm)
        let d = try InitialDiagnosis.measure(model, on: data, samples: 64, learningRate: 0.05)
        #expect(bn.runningMean.scalars.allSatisfy { $0 == 0 } && bn.numBatchesTracked == 0, "running statistics untouched")
        #expect(model.blocks.map(\.linear.weight.scalars) + [model.output.weight.scalars] == weights, "no step")
        let (x, labels) = try data.batch(Array(0..<64))
        let logits = try model.forward(x, updatingRunningStatistics: false)
        #expect(abs(d.loss - (try Loss.crossEntropy(logits: logits, labels: labels).loss)) < 1e-9)
        #expect(abs(d.logitStd - Self.std(logits.scalars)) < 1e-6)
        #expect(d.layers.count == 2)
        for (layer, block) in zip(d.layers, model.blocks) {
            let expected = 0.05 * Self.std(try #require(block.linear.weightGradient).scalars) / Self.std(block.linear.weight.scalars)
            #expect(abs(layer.updateToDataRatio - expected) < 1e-9 * max(1, expected))
            #expect(layer.activationStd > 0 && layer.gradientStd > 0)
        }
        let outputRatio = 0.05 * Self.std(try #require(model.output.weightGradient).scalars) / Self.std(model.output.weight.scalars)
        #expect(abs(d.outputUpdateRatio - outputRatio) < 1e-9)
        #expect(throws: TensorError.self) { try InitialDiagnosis.measure(model, on: data, samples: 0, learningRate: 0.1) }
    }

    @Test func theOutputScaleSetsTheLossAtStepZero() throws {
        let data = try Self.data()
        let quiet = try InitialDiagnosis.measure(try Self.model(outputScale: 0.01), on: data, samples: 200, learningRate: 0.1)
        let loud = try InitialDiagnosis.measure(try Self.model(outputScale: 10), on: data, samples: 200, learningRate: 0.1)
        let chance = 1.3862943611198906  // ln 4
        #expect(abs(quiet.loss - chance) < 0.01, "logits near 0: uniform probabilities")
        #expect(loud.loss > 2 * chance)
        let silent = try InitialDiagnosis.measure(try Self.model(outputScale: 0), on: data, samples: 200, learningRate: 0.1)
        #expect(abs(silent.loss - chance) < 1e-6 && silent.layers.allSatisfy { $0.gradientStd == 0 },
                "a zero output layer sends no gradient back")
        // The same draws, scaled: the weights are W·outputScale.
        let (a, b) = (try Self.model(), try Self.model(outputScale: 0.5))
        expectClose(b.output.weight.scalars, a.output.weight.scalars.map { $0 * 0.5 }, atol: 1e-7, rtol: 1e-6, "output W")
        #expect(a.blocks[0].linear.weight.scalars == b.blocks[0].linear.weight.scalars)
        var rng = SeededGenerator(seed: 0)
        #expect(throws: TensorError.self) { try MLP(sizes: [2, 3], outputScale: -1, using: &rng) }
    }

    @Test func trainingRecordsEveryStepsUpdateRatio() throws {
        let data = try Self.data()
        let model = try Self.model()
        var config = TrainingConfig()
        config.epochs = 2
        config.batchSize = 50
        config.recordUpdateRatios = true
        let result = try Trainer.train(model, train: data, test: data, config: config)
        #expect(result.updateRatios.count == 2 * 4, "200 samples in batches of 50, 2 epochs")
        #expect(result.updateRatios.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 > 0 && $0.isFinite } })
        // The last row is the last step's: the gradients the model still holds.
        let last = TrainingDiagnostics.updateRatios(model.weightLayers, learningRate: config.learningRate)
        #expect(result.updateRatios.last == last)
        #expect(abs(last[2] - 0.1 * Self.std(try #require(model.output.weightGradient).scalars) / Self.std(model.output.weight.scalars)) < 1e-9)
        config.recordUpdateRatios = false
        #expect(try Trainer.train(try Self.model(), train: data, test: data, config: config).updateRatios.isEmpty)
    }
}
