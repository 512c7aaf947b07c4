@testable import BatchNormKit
import Testing

/// The whole MLP's backward pass against central finite differences of the cross-entropy loss.
///
/// The forward pass runs in Float32 (the engine's storage), the loss is summed in Float64.
/// With h = 1e-3 the rounding noise of a Float32 forward (about 1e-7 relative on logits of
/// order 1) becomes about 1e-4 in a difference quotient, and the truncation error O(h²) is
/// about 1e-6, so analytic and numeric gradients must agree within 1e-3 + 1e-2·|numeric|;
/// a wrong term in any backward formula is off by the size of the gradient itself (1e-2…1).
/// ReLU is not differentiable at 0: a coordinate whose ±h step flips any ReLU is skipped,
/// and at most 10% of coordinates may be skipped.
@Suite struct TrainingGradientCheckTests {
    struct Setup: Sendable, CustomTestStringConvertible {
        let norm: NormKind
        let order: NormOrder
        let activation: Activation
        var testDescription: String { "\(norm.rawValue) \(order.rawValue) \(activation.rawValue)" }
    }

    static let setups: [Setup] = NormKind.allCases.flatMap { norm in
        NormOrder.allCases.flatMap { order in Activation.allCases.map { Setup(norm: norm, order: order, activation: $0) } }
    }

    @Test(arguments: setups)
    func mlpGradientsMatchFiniteDifferences(setup: Setup) throws {
        var rng = SeededGenerator(seed: 11)
        let model = try MLP(sizes: [3, 6, 4, 3], norm: setup.norm, activation: setup.activation, order: setup.order,
                            groups: 2, using: &rng)
        // γ, β, biases away from 1 and 0, so every term of every formula matters.
        for slot in model.parameterSlots where slot.name.hasSuffix("gamma") || slot.name.hasSuffix("bias") || slot.name.hasSuffix("beta") {
            let base: Float = slot.name.hasSuffix("gamma") ? 1 : 0
            slot.write(slot.values().map { _ in base + 0.5 * Float(rng.nextNormal()) })
        }
        let x = try Tensor.randn([6, 3], using: &rng).combined(with: 1.5, .multiply)
        let labels = [0, 1, 2, 2, 1, 0]

        func loss() throws -> Double {
            try Loss.crossEntropy(logits: model.forward(x, updatingRunningStatistics: false), labels: labels).loss
        }
        func reluPattern() -> [Bool] {
            model.blocks.flatMap { $0.activationOutput!.scalars.map { $0 > 0 } }
        }
        let logits = try model.forward(x, updatingRunningStatistics: false)
        let basePattern = reluPattern()
        try model.backward(Loss.crossEntropy(logits: logits, labels: labels).gradient)
        let slots = model.parameterSlots
        let analytic = slots.map { $0.gradient()! }

        let h: Float = 1e-3
        var checked = 0, skipped = 0, largest = 0.0
        for (slot, gradient) in zip(slots, analytic) {
            let original = slot.values()
            for j in original.indices {
                let (numeric, crossed) = try centralDifference(slot, j, h: h, loss: loss) { reluPattern() != basePattern }
                if setup.activation == .relu && crossed {
                    skipped += 1
                    continue
                }
                let error = abs(Double(gradient[j]) - numeric)
                largest = max(largest, abs(numeric))
                #expect(error <= 1e-3 + 1e-2 * abs(numeric), "\(slot.name)[\(j)]: analytic \(gradient[j]), numeric \(numeric)")
                checked += 1
            }
        }
        #expect(skipped * 10 <= checked + skipped, "\(skipped) of \(checked + skipped) coordinates crossed a ReLU kink")
        #expect(largest > 1e-2, "the gradients are too small for the check to mean anything")
    }

    @Test func backwardWithoutForwardIsAnError() throws {
        var rng = SeededGenerator(seed: 1)
        let model = try MLP(sizes: [2, 4, 2], using: &rng)
        #expect(throws: TensorError.invalidArgument("backward needs a forward pass first")) {
            try model.backward(Tensor.zeros([3, 2]))
        }
    }
}
