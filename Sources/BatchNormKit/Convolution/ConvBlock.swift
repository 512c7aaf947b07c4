/// One stage of a `ConvNet`: conv 3×3 (padding 1) → optional norm → relu → maxpool 2. The norm
/// sees (N, C, H, W), so BatchNorm's statistics are per channel over N·H·W values (BatchNorm2d),
/// GroupNorm's per sample and group of channels over their H·W positions.
public final class ConvBlock {
    public let conv: Conv2d
    public let normKind: NormKind
    public let activation: Activation
    public let pool: Pool2d
    let trainableNorm: (any TrainableNorm)?

    /// The block's norm layer (BatchNorm or GroupNorm), nil when the block has none.
    public var norm: (any NormalizationLayer)? { trainableNorm }

    /// ∂L/∂γ and ∂L/∂β of the norm from the last backward pass (nil without a norm or before it).
    public internal(set) var gammaGradient: Tensor?
    public internal(set) var betaGradient: Tensor?

    // What the last forward pass saw, for backward and for the diagnostics.
    var input: Tensor?
    var convOutput: Tensor?
    /// The relu's output, before pooling.
    public internal(set) var activationOutput: Tensor?
    var output: Tensor?
    /// ∂L/∂(relu output) from the last backward pass.
    var activationGradient: Tensor?

    init(conv: Conv2d, normKind: NormKind, norm: (any TrainableNorm)?, activation: Activation, pool: Pool2d) {
        self.conv = conv
        self.normKind = normKind
        self.trainableNorm = norm
        self.activation = activation
        self.pool = pool
    }

    /// "conv2d(1 → 8, 3×3, padding 1) · batchnorm(8) · relu · maxpool(2)".
    public var describe: String { layerNames(normName: trainableNorm?.layerName) }

    /// "block 1: conv2d(1 → 8, 3×3, padding 1) · batchnorm · relu · maxpool(2)", for diagnostics.
    func diagnosticName(number: Int) -> String { "block \(number): " + layerNames(normName: normKind.shortName) }

    private func layerNames(normName: String?) -> String {
        ([conv.layerName, normName, activation.rawValue, pool.layerName].compactMap { $0 }).joined(separator: " · ")
    }

    /// z = conv(x),  n = norm(z),  a = f(n),  out = pool(a)
    func forward(_ x: Tensor, updatingRunningStatistics: Bool = true) throws(TensorError) -> Tensor {
        let stages = try self.stages(x, updatingRunningStatistics: updatingRunningStatistics)
        input = x
        convOutput = stages.linear
        activationOutput = stages.afterActivation
        output = stages.output
        return stages.output
    }

    /// The block's stages on `x`; with `updatingRunningStatistics: false` the block is left as it was.
    func stages(_ x: Tensor, updatingRunningStatistics: Bool = false) throws(TensorError) -> BlockActivations {
        let z = try conv.forward(x)
        let n = try trainableNorm?.forward(z, updatingRunningStatistics: updatingRunningStatistics) ?? z
        let a = activation.forward(n)
        let out = try pool.forward(a)
        return BlockActivations(input: x, linear: z, beforeNorm: z, afterNorm: n, afterActivation: a, output: out)
    }

    /// Backward for dOut = ∂L/∂out: da = pool′(dOut), dn = f′(n)·da, dz = norm′(dn), then the conv's
    /// gradients; returns ∂L/∂x (nil when `inputGradient` is false).
    func backward(_ dOut: Tensor, inputGradient: Bool) throws(TensorError) -> Tensor? {
        guard let x = input, let z = convOutput, let a = activationOutput else {
            throw .invalidArgument("backward needs a forward pass first")
        }
        let da = try pool.backward(a, dOut)
        activationGradient = da
        var dz = activation.backward(output: a, da)
        if let norm = trainableNorm {
            let grads = try norm.backward(z, dz)
            (gammaGradient, betaGradient) = (grads.dgamma, grads.dbeta)
            dz = grads.dx
        }
        let grads = try conv.backward(x, dz, inputGradient: inputGradient)
        conv.weightGradient = grads.dweight
        conv.biasGradient = grads.dbias
        return grads.dx
    }
}
