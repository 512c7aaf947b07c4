/// What the training engine needs from a norm layer beyond `NormalizationLayer`: its γ and β,
/// their gradients, and a forward pass that can leave BatchNorm's running statistics alone
/// (for gradient checks and probe passes that must not change the model).
protocol TrainableNorm: NormalizationLayer {
    var gamma: Tensor { get }
    var beta: Tensor { get }
    /// Whether γ and β take part in the forward pass.
    var isAffine: Bool { get }
    func setGamma(_ value: Tensor) throws(TensorError)
    func setBeta(_ value: Tensor) throws(TensorError)
    /// dx, dγ, dβ of L = Σ y·dy for the forward pass on `x` in the layer's current mode.
    func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients
    /// The forward pass; with `updatingRunningStatistics: false` nothing in the layer changes.
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor
}

extension BatchNorm: TrainableNorm {
    var isAffine: Bool { affine }

    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor {
        updatingRunningStatistics ? try forward(x) : try forwardStages(x, updatingRunningStatistics: false).output
    }
}

extension LayerNorm: TrainableNorm {
    var isAffine: Bool { elementwiseAffine }

    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor { try forward(x) }
}

extension GroupNorm: TrainableNorm {
    var isAffine: Bool { affine }

    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor { try forward(x) }
}

extension NormKind {
    /// A fresh layer of this kind over `features` (PyTorch's defaults), nil for `.none`.
    func makeLayer(features: Int, groups: Int) throws(TensorError) -> (any TrainableNorm)? {
        switch self {
        case .none: return nil
        case .batch: return try BatchNorm(numFeatures: features)
        case .layer: return try LayerNorm(normalizedShape: [features])
        case .group: return try GroupNorm(numGroups: groups, numChannels: features)
        }
    }
}
