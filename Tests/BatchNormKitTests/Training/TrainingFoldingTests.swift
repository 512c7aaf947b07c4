@testable import BatchNormKit
import Testing

/// BatchNorm folding: the folded model must compute what the eval-mode model computes.
@Suite struct TrainingFoldingTests {
    /// A [4, 8, 6, 3] BatchNorm model with non-trivial γ, β and running statistics (from a few
    /// training batches), in eval mode.
    static func trainedModel(activation: Activation) throws -> MLP {
        var rng = SeededGenerator(seed: 21)
        let model = try MLP(sizes: [4, 8, 6, 3], norm: .batch, activation: activation, using: &rng)
        for block in model.blocks {
            let bn = try #require(block.norm as? BatchNorm)
            try bn.setGamma(Tensor.randn([bn.numFeatures], using: &rng).combined(with: 1, .add))
            try bn.setBeta(Tensor.randn([bn.numFeatures], using: &rng))
        }
        for _ in 0..<3 { _ = try model.forward(Tensor.randn([16, 4], using: &rng).combined(with: 2, .add)) }
        model.training = false
        return model
    }

    @Test(arguments: Activation.allCases)
    func foldedModelGivesTheSameOutputs(activation: Activation) throws {
        let model = try Self.trainedModel(activation: activation)
        let folded = try Folding.fold(model)
        #expect(folded.blocks.allSatisfy { $0.norm == nil })
        #expect(folded.training == false)
        #expect(folded.parameterCount == model.parameterCount - 2 * (8 + 6))
        var rng = SeededGenerator(seed: 5)
        let x = try Tensor.randn([10, 4], using: &rng).combined(with: 2, .add)
        // Float32 through two layers: the rounding of s·W and of the products stays near 1e-6.
        expectClose(try folded.forward(x).scalars, try model.forward(x).scalars, atol: 1e-5, rtol: 1e-5, "folded logits")
        #expect(model.blocks.allSatisfy { $0.norm is BatchNorm }, "the original model is unchanged")
    }

    /// W′ = s·W, b′ = s·(b − μ) + β against NumPy's values in the reference vectors.
    @Test func foldMatchesTheReferenceVectors() throws {
        func load(_ name: String) throws -> Tensor { try ReferenceVectors.load("fold_linear_bn", name) }
        let (w, b) = (try load("W"), try load("b"))
        #expect(w.shape == [5, 7])
        var rng = SeededGenerator(seed: 0)
        let model = try MLP(sizes: [7, 5, 2], norm: .batch, using: &rng)
        let block = model.blocks[0]
        block.linear.weight = w
        block.linear.bias = b
        let bn = try #require(block.norm as? BatchNorm)
        try bn.setGamma(load("gamma")); try bn.setBeta(load("beta"))
        try bn.setRunningMean(load("running_mean")); try bn.setRunningVar(load("running_var"))
        model.training = false

        let folded = try Folding.fold(model)
        let linear = folded.blocks[0].linear
        expectClose(linear.weight.scalars, try load("W_folded").scalars, "W_folded")
        expectClose(linear.bias.scalars, try load("b_folded").scalars, "b_folded")
        let x = try load("x")
        expectClose(try linear.forward(x).scalars, try load("y").scalars, "x·W_foldedᵀ + b_folded")
        expectClose(try bn.forward(block.linear.forward(x)).scalars, try load("y").scalars, "eval batchnorm(linear(x))")
    }

    @Test func foldRefusesWhatCannotBeFolded() throws {
        var rng = SeededGenerator(seed: 0)
        let post = try MLP(sizes: [2, 4, 2], norm: .batch, order: .post, using: &rng)
        #expect(throws: TensorError.self) { try Folding.fold(post) }
        let layer = try MLP(sizes: [2, 4, 2], norm: .layer, using: &rng)
        #expect(throws: TensorError.self) { try Folding.fold(layer) }
        let training = try MLP(sizes: [2, 4, 2], norm: .batch, using: &rng)
        #expect(throws: TensorError.invalidArgument("folding needs eval mode: in training mode batchnorm normalizes "
            + "with each batch's statistics, not the running ones a fold bakes in")) { try Folding.fold(training) }
        let plain = try MLP(sizes: [2, 4, 2], using: &rng)
        let copy = try Folding.fold(plain)
        #expect(copy.blocks[0].linear.weight == plain.blocks[0].linear.weight)
        #expect(copy.blocks[0].linear !== plain.blocks[0].linear)
    }

    /// A conv net's BatchNorm2d folds into the conv before it, channel by channel: the same eval outputs.
    @Test func convNetFoldsIntoItsConvolutions() throws {
        var rng = SeededGenerator(seed: 4)
        let net = try ConvNet(channels: [1, 4, 6], classes: 3, imageSize: 8, norm: .batch, using: &rng)
        for bn in net.batchNormLayers {
            try bn.setGamma(Tensor.randn([bn.numFeatures], using: &rng).combined(with: 1, .add))
            try bn.setBeta(Tensor.randn([bn.numFeatures], using: &rng))
        }
        for _ in 0..<3 { _ = try net.forward(Tensor.randn([8, 1, 8, 8], using: &rng).combined(with: 0.5, .add)) }
        #expect(throws: TensorError.self) { try Folding.fold(net) }  // training mode
        net.training = false
        let folded = try Folding.fold(net)
        #expect(folded.blocks.allSatisfy { $0.norm == nil && $0.conv.hasBias } && !folded.training)
        #expect(folded.parameterCount == net.parameterCount - 2 * (4 + 6), "γ and β gone, into the convs' biases")
        let x = try Tensor.randn([5, 1, 8, 8], using: &rng)
        expectClose(try folded.forward(x).scalars, try net.forward(x).scalars, atol: 1e-5, rtol: 1e-5, "folded logits")
        // Without BatchNorm a block is copied as it is: no bias appears where there was none.
        let plain = try ConvNet(channels: [1, 4, 6], classes: 3, imageSize: 8, norm: .none, bias: false, using: &rng)
        plain.training = false
        let copied = try Folding.fold(plain)
        #expect(copied.parameterCount == plain.parameterCount && copied.blocks.allSatisfy { !$0.conv.hasBias })
        expectClose(try copied.forward(x).scalars, try plain.forward(x).scalars, atol: 0, rtol: 0, "a copy")
        let grouped = try ConvNet(channels: [1, 4], classes: 3, imageSize: 8, norm: .group, using: &rng)
        grouped.training = false
        #expect(throws: TensorError.self) { try Folding.fold(grouped) }
    }
}
