/// A multilayer perceptron whose hidden blocks can carry BatchNorm, LayerNorm or GroupNorm:
/// the model the training lab trains, to see what normalization changes and what it does not.
///
/// `sizes` [2, 64, 64, 3] means Linear(2 → 64), Linear(64 → 64) as hidden blocks, each with its
/// norm and activation, then the output Linear(64 → 3), which produces logits (no norm, no activation).
/// A class, because a model is shared and trained in place, as in PyTorch.
public final class MLP {
    public let sizes: [Int]
    public let normKind: NormKind
    public let activation: Activation
    public let order: NormOrder
    /// GroupNorm's group count (ignored by the other kinds).
    public let groups: Int
    /// The hidden blocks, first to last.
    public let blocks: [MLPBlock]
    /// The final Linear layer, producing logits.
    public let output: Linear
    /// True when γ and β of every norm are frozen: SGD leaves them alone (running statistics still move).
    public private(set) var normParametersFrozen = false

    /// Training mode (BatchNorm uses batch statistics) or eval mode (running statistics);
    /// setting it sets every norm layer's mode, like PyTorch's `model.train()` / `model.eval()`.
    public var training = true {
        didSet { for block in blocks { block.trainableNorm?.training = training } }
    }

    /// The output layer's input from the last forward pass.
    var outputInput: Tensor?

    /// A fresh model. Each Linear's W ~ normal(0, 1)·initScale·gain/√fan_in with the activation's
    /// gain (√2 relu, 5/3 tanh; 1 for the output layer, which has no activation), b = 0,
    /// drawn layer by layer from `generator`. initScale 1 is Kaiming initialization. `outputScale`
    /// multiplies the output layer's weights once more (makemore part 3 shrinks them so the logits
    /// start near 0 and the loss near ln C); `hiddenBias: false` gives the hidden Linears no bias.
    public convenience init(sizes: [Int], norm: NormKind = .none, activation: Activation = .relu, order: NormOrder = .pre,
                initScale: Double = 1.0, groups: Int = 2, outputScale: Double = 1.0, hiddenBias: Bool = true,
                using generator: inout SeededGenerator) throws(TensorError) {
        guard sizes.count >= 2 else {
            throw .invalidArgument("an MLP needs at least an input and an output size, e.g. [2, 64, 3]; got \(sizes)")
        }
        guard sizes.allSatisfy({ $0 >= 1 }) else {
            throw .invalidArgument("every layer size must be at least 1, got \(sizes)")
        }
        guard initScale.isFinite, initScale >= 0 else {
            throw .invalidArgument("initScale must be a finite number ≥ 0, got \(initScale)")
        }
        guard outputScale.isFinite, outputScale >= 0 else {
            throw .invalidArgument("the output layer's scale must be a finite number ≥ 0, got \(outputScale)")
        }
        guard groups >= 1 else { throw .invalidArgument("groupnorm needs at least 1 group, got \(groups)") }
        var blocks: [MLPBlock] = []
        for (fanIn, fanOut) in zip(sizes.dropLast(2), sizes.dropFirst().dropLast()) {
            let std = initScale * activation.gain / Double(fanIn).squareRoot()
            let linear = try Linear(inFeatures: fanIn, outFeatures: fanOut, weightStd: std, bias: hiddenBias, using: &generator)
            let layer = try norm.makeLayer(features: fanOut, groups: groups)
            blocks.append(MLPBlock(linear: linear, normKind: norm, norm: layer, activation: activation, order: order))
        }
        let fanIn = sizes[sizes.count - 2]
        let output = try Linear(inFeatures: fanIn, outFeatures: sizes[sizes.count - 1],
                                weightStd: initScale * outputScale / Double(fanIn).squareRoot(), using: &generator)
        self.init(sizes: sizes, norm: norm, activation: activation, order: order, groups: groups, blocks: blocks, output: output)
    }

    /// A model from already-built layers (folding builds one this way).
    init(sizes: [Int], norm: NormKind, activation: Activation, order: NormOrder, groups: Int,
         blocks: [MLPBlock], output: Linear) {
        self.sizes = sizes
        self.normKind = norm
        self.activation = activation
        self.order = order
        self.groups = groups
        self.blocks = blocks
        self.output = output
    }

    public var inputFeatures: Int { sizes[0] }
    public var outputFeatures: Int { sizes[sizes.count - 1] }

    /// Which norm the hidden blocks have and where it sits, for a training header:
    /// "batchnorm before each relu", "layernorm after each tanh", "no norm".
    public var normPlacement: String {
        guard let name = normKind.shortName else { return "no norm" }
        return "\(name) \(order == .pre ? "before" : "after") each \(activation.rawValue)"
    }

    /// One line per layer: "linear(2 → 64) · batchnorm(64) · relu" for each hidden block, then the output Linear.
    public var describe: String {
        (blocks.map(\.describe) + [output.layerName]).joined(separator: "\n")
    }

    /// Learnable values: every W and b, and γ (and β, where the norm has one) of every norm (running statistics are buffers, not parameters).
    public var parameterCount: Int {
        blocks.reduce(output.parameterCount) { total, block in
            total + block.linear.parameterCount + (block.trainableNorm.map { ($0.hasShift ? 2 : 1) * $0.gamma.count } ?? 0)
        }
    }

    /// Freezes (or unfreezes) γ and β of every norm layer: SGD skips them, but a BatchNorm in
    /// training mode still updates its running statistics, which is the classic fine-tuning bug.
    public func freezeNormParameters(_ frozen: Bool) {
        normParametersFrozen = frozen
    }

    // MARK: - Forward and backward

    /// (N, in) → logits (N, out), in the current mode; keeps what `backward` needs.
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try forward(x, updatingRunningStatistics: true)
    }

    /// The forward pass; with `updatingRunningStatistics: false` no BatchNorm buffer changes.
    public func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor {
        try checkInput(x)
        var h = x
        for block in blocks { h = try block.forward(h, updatingRunningStatistics: updatingRunningStatistics) }
        outputInput = h
        return try output.forward(h)
    }

    /// An input must be (N, in): the message names the features the first Linear expects.
    func checkInput(_ x: Tensor) throws(TensorError) {
        guard x.rank == 2, x.shape[1] == inputFeatures else {
            throw .invalidArgument("this model takes \(inputFeatures) feature\(inputFeatures == 1 ? "" : "s") per sample, "
                + "shape (N, \(inputFeatures)); the input has shape \(x.shapeDescription)")
        }
    }

    /// Backpropagates dOutput = ∂L/∂logits through the last forward pass and fills the gradient
    /// of every parameter (each Linear's `weightGradient`/`biasGradient`, each block's γ/β gradients).
    public func backward(_ dOutput: Tensor) throws(TensorError) {
        guard let h = outputInput else { throw .invalidArgument("backward needs a forward pass first") }
        let grads = try output.backward(h, dOutput, inputGradient: !blocks.isEmpty)
        output.weightGradient = grads.dweight
        output.biasGradient = output.hasBias ? grads.dbias : nil
        var d = grads.dx
        for (index, block) in blocks.enumerated().reversed() {
            guard let dOut = d else { break }
            d = try block.backward(dOut, inputGradient: index > 0)
        }
    }
}
