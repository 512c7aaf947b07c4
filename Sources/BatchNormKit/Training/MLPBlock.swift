/// One hidden block of an `MLP`: a Linear layer, then an optional norm and the activation in the
/// block's order. The unit the trainer's diagnostics speak about ("block 2: … · batchnorm · relu").
public final class MLPBlock {
    public let linear: Linear
    public let normKind: NormKind
    public let activation: Activation
    public let order: NormOrder
    let trainableNorm: (any TrainableNorm)?

    /// The block's norm layer (BatchNorm, LayerNorm or GroupNorm), nil when the block has none.
    public var norm: (any NormalizationLayer)? { trainableNorm }

    /// ∂L/∂γ and ∂L/∂β of the norm from the last backward pass (nil without a norm or before it).
    public internal(set) var gammaGradient: Tensor?
    public internal(set) var betaGradient: Tensor?

    // What the last forward pass saw, for backward and for the diagnostics.
    /// The block's input (the previous block's output, or the data).
    var input: Tensor?
    /// Linear output z.
    var linearOutput: Tensor?
    /// The activation's output a (before the norm in order .post) on the last forward pass,
    /// public so the shell can draw its histogram.
    public internal(set) var activationOutput: Tensor?
    /// What the block hands on.
    var output: Tensor?
    /// ∂L/∂a from the last backward pass.
    var activationGradient: Tensor?
    /// Per-channel (scale, shift) applied to the norm's output during this training step
    /// (`NormNoise`); nil for none.
    var injectedNoise: (scale: [Float], shift: [Float])?

    init(linear: Linear, normKind: NormKind, norm: (any TrainableNorm)?, activation: Activation, order: NormOrder) {
        self.linear = linear
        self.normKind = normKind
        self.trainableNorm = norm
        self.activation = activation
        self.order = order
    }

    /// The block's layers in order, e.g. "linear(2 → 64) · batchnorm(64) · relu".
    public var describe: String {
        layerNames(normName: trainableNorm?.layerName)
    }

    /// The block's name in diagnostics, e.g. "block 1: linear(64 → 64) · batchnorm · relu".
    func diagnosticName(number: Int) -> String {
        "block \(number): " + layerNames(normName: normKind.shortName)
    }

    private func layerNames(normName: String?) -> String {
        var parts = [linear.layerName]
        switch order {
        case .pre: parts += [normName, activation.rawValue].compactMap { $0 }
        case .post: parts += [activation.rawValue, normName].compactMap { $0 }
        }
        return parts.joined(separator: " · ")
    }

    /// pre:  z = Wx + b,  a = f(norm(z))      post: z = Wx + b,  a = f(z),  out = norm(a)
    func forward(_ x: Tensor, updatingRunningStatistics: Bool = true) throws(TensorError) -> Tensor {
        let z = try linear.forward(x)
        let a: Tensor, out: Tensor
        switch order {
        case .pre:
            let normalized = try trainableNorm?.forward(z, updatingRunningStatistics: updatingRunningStatistics) ?? z
            a = activation.forward(noisy(normalized))
            out = a
        case .post:
            a = activation.forward(z)
            out = noisy(try trainableNorm?.forward(a, updatingRunningStatistics: updatingRunningStatistics) ?? a)
        }
        input = x
        linearOutput = z
        activationOutput = a
        output = out
        return out
    }

    /// Backward through the block for dOut = ∂L/∂out; fills the Linear's and the norm's
    /// gradients and returns ∂L/∂x (nil when `inputGradient` is false).
    func backward(_ dOut: Tensor, inputGradient: Bool) throws(TensorError) -> Tensor? {
        guard let x = input, let z = linearOutput, let a = activationOutput, let out = output else {
            throw .invalidArgument("backward needs a forward pass first")
        }
        guard dOut.shape == out.shape else {
            throw .invalidArgument("the gradient must have the block's output shape \(out.shapeDescription), got \(dOut.shapeDescription)")
        }
        let dz: Tensor
        switch order {
        case .pre:
            activationGradient = dOut
            let dNormalized = activation.backward(output: a, dOut)
            dz = try normBackward(input: z, noiseBackward(dNormalized))
        case .post:
            let da = try normBackward(input: a, noiseBackward(dOut))
            activationGradient = da
            dz = activation.backward(output: a, da)
        }
        let grads = try linear.backward(x, dz, inputGradient: inputGradient)
        linear.weightGradient = grads.dweight
        linear.biasGradient = linear.hasBias ? grads.dbias : nil
        return grads.dx
    }

    /// y·s + t per channel (column) when noise is injected this step.
    private func noisy(_ y: Tensor) -> Tensor {
        guard let (scale, shift) = injectedNoise, trainableNorm != nil, y.rank == 2, y.shape[1] == scale.count else { return y }
        var values = y.scalars
        let columns = scale.count
        for i in values.indices { values[i] = values[i] * scale[i % columns] + shift[i % columns] }
        return Tensor(uncheckedShape: y.shape, scalars: values)
    }

    /// ∂(y·s + t)/∂y = s.
    private func noiseBackward(_ dy: Tensor) -> Tensor {
        guard let (scale, _) = injectedNoise, trainableNorm != nil, dy.rank == 2, dy.shape[1] == scale.count else { return dy }
        var values = dy.scalars
        let columns = scale.count
        for i in values.indices { values[i] *= scale[i % columns] }
        return Tensor(uncheckedShape: dy.shape, scalars: values)
    }

    /// Through the norm (storing dγ, dβ), or the identity without one.
    private func normBackward(input: Tensor, _ dy: Tensor) throws(TensorError) -> Tensor {
        guard let norm = trainableNorm else { return dy }
        let grads = try norm.backward(input, dy)
        gammaGradient = grads.dgamma
        betaGradient = grads.dbeta
        return grads.dx
    }
}
