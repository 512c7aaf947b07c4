@testable import BatchNormKit
import Testing

/// The conv net: its whole backward pass against finite differences of the loss, its shapes and
/// errors, and training on the digits images with the MLP's trainer, deterministically.
@Suite struct ConvNetTests {
    /// Tolerances as in `TrainingGradientCheckTests` (h = 1e-3 in float32, loss in float64); a
    /// coordinate whose ±h step flips a ReLU or moves a max-pool's choice is skipped.
    @Test(arguments: [NormKind.none, .batch, .group])
    func gradientsMatchFiniteDifferences(norm: NormKind) throws {
        var rng = SeededGenerator(seed: 12)
        let model = try ConvNet(channels: [2, 4, 4], classes: 3, imageSize: 4, norm: norm, groups: 2, using: &rng)
        for slot in model.parameterSlots where slot.name.hasSuffix("gamma") || slot.name.hasSuffix("bias") || slot.name.hasSuffix("beta") {
            let base: Float = slot.name.hasSuffix("gamma") ? 1 : 0
            slot.write(slot.values().map { _ in base + 0.5 * Float(rng.nextNormal()) })
        }
        let x = try Tensor.randn([3, 2, 4, 4], using: &rng)
        let labels = [0, 2, 1]
        func loss() throws -> Double {
            try Loss.crossEntropy(logits: model.forward(x, updatingRunningStatistics: false), labels: labels).loss
        }
        func pattern() -> [Float] {
            model.blocks.flatMap { ($0.activationOutput?.scalars.map { $0 > 0 ? 1 : 0 } ?? []) + ($0.output?.scalars ?? []) }
        }
        let logits = try model.forward(x, updatingRunningStatistics: false)
        let base = pattern()
        try model.backward(Loss.crossEntropy(logits: logits, labels: labels).gradient)
        let slots = model.parameterSlots
        let analytic = try slots.map { try #require($0.gradient()) }
        let h: Float = 1e-3
        var checked = 0, skipped = 0, largest = 0.0
        // Pooled outputs move by about h·gradient; a switch of the max moves the pattern's 0/1 part.
        func switched(_ p: [Float]) -> Bool { zip(p, base).contains { abs($0 - $1) > 0.1 } }
        for (slot, gradient) in zip(slots, analytic) {
            let original = slot.values()
            for j in original.indices {
                let (numeric, crossed) = try centralDifference(slot, j, h: h, loss: loss) { switched(pattern()) }
                if crossed { skipped += 1; continue }
                largest = max(largest, abs(numeric))
                #expect(abs(Double(gradient[j]) - numeric) <= 1e-3 + 1e-2 * abs(numeric), "\(slot.name)[\(j)]: analytic \(gradient[j]), numeric \(numeric)")
                checked += 1
            }
        }
        #expect(skipped * 10 <= checked + skipped, "\(skipped) of \(checked + skipped) coordinates crossed a kink")
        #expect(largest > 1e-2)
    }

    @Test func shapesAndNames() throws {
        var rng = SeededGenerator(seed: 1)
        let net = try ConvNet(channels: [1, 8, 16], classes: 10, norm: .batch, using: &rng)
        #expect(net.describe == "conv2d(1 → 8, 3×3, padding 1) · batchnorm(8) · relu · maxpool(2)\n"
            + "conv2d(8 → 16, 3×3, padding 1) · batchnorm(16) · relu · maxpool(2)\nflatten · linear(64 → 10)")
        // 1·8·9 + 8, 8·16·9 + 16, γ and β of 8 and 16 channels, 64·10 + 10.
        #expect(net.parameterCount == 80 + 1168 + 16 + 32 + 650)
        let flat = try Tensor.randn([5, 64], using: &rng)
        let logits = try net.forward(flat)
        #expect(logits.shape == [5, 10])
        #expect(try net.forward(flat.reshaped([5, 1, 8, 8])) == logits)
        let stages = try net.activations(flat)
        #expect(stages.map(\.afterNorm.shape) == [[5, 8, 8, 8], [5, 16, 4, 4]] && stages.map(\.output.shape) == [[5, 8, 4, 4], [5, 16, 2, 2]])
        #expect(throws: TensorError.invalidArgument("this conv net takes images of shape (N, 1, 8, 8) (or rows of 64 values); "
            + "the input has shape (5, 63)")) { try net.forward(Tensor.zeros([5, 63])) }
        #expect(throws: TensorError.self) { try ConvNet(channels: [1, 8, 8, 8, 8], classes: 10, using: &rng) }
        #expect(throws: TensorError.self) { try ConvNet(channels: [1, 8], classes: 10, norm: .layer, using: &rng) }
    }

    @Test func trainsOnTheDigitsDeterministically() throws {
        let digits = try Dataset.digits(path: TrainingDatasetTests.digitsPath)
        var splitter = SeededGenerator(seed: 3)
        let (train, test) = try digits.split(testFraction: 0.2, using: &splitter)
        var config = TrainingConfig()
        config.epochs = 3
        config.learningRate = 0.1
        func run() throws -> TrainingResult {
            var rng = SeededGenerator(seed: 5)
            return try Trainer.train(ConvNet(channels: [1, 8, 16], classes: 10, norm: .batch, using: &rng), train: train, test: test, config: config)
        }
        let result = try run()
        let last = try #require(result.records.last)
        #expect(last.testAccuracy > 0.9, "test accuracy \(last.testAccuracy)")
        #expect(last.diagnostics.count == 2 && last.diagnostics[0].name.hasPrefix("block 1: conv2d(1 → 8"))
        #expect(last.diagnostics.allSatisfy { $0.inputShift.isFinite && $0.updateToDataRatio > 0 })
        #expect(try run().records == result.records)
    }

    /// BatchNorm2d has H·W values per channel even for one image: batch 1 trains (as in PyTorch).
    @Test func batchOfOneTrainsWithBatchNorm2d() throws {
        var rng = SeededGenerator(seed: 2)
        let net = try ConvNet(channels: [1, 4], classes: 2, imageSize: 4, norm: .batch, using: &rng)
        let data = try Dataset(x: Tensor.randn([6, 16], using: &rng), labels: [0, 1, 0, 1, 0, 1], classes: 2, name: "tiny")
        var config = TrainingConfig()
        config.epochs = 1
        config.batchSize = 1
        let result = try Trainer.train(net, train: data, test: data, config: config)
        #expect(result.records.count == 1 && result.divergence == nil)
    }
}
