/// What the training engine needs from a norm layer beyond `NormalizationLayer`: its γ and β,
/// their gradients, and a forward pass that can leave BatchNorm's running statistics alone
/// (for gradient checks and probe passes that must not change the model).
protocol TrainableNorm: NormalizationLayer {
    /// The forward pass; with `updatingRunningStatistics: false` nothing in the layer changes.
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor
}

extension TrainableNorm {
    /// Layers without running statistics compute the same either way.
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor { try forward(x) }
}

extension BatchNorm: TrainableNorm {
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor {
        updatingRunningStatistics ? try forward(x) : try forwardStages(x, updatingRunningStatistics: false).output
    }
}

extension LayerNorm: TrainableNorm {}
extension GroupNorm: TrainableNorm {}
