/// A network looked at before it has learned anything: one forward and one backward pass on a
/// batch, no step. The checks makemore part 3 makes before training (is the loss near ln C? do
/// the activations keep their scale layer after layer? are the gradients and the first update
/// well sized?), so a bad initialization is seen before it wastes a run.
public struct InitialDiagnosis: Sendable {
    /// Cross-entropy of the batch: near ln C when the network starts unsure, far above it when
    /// the output layer starts too confident.
    public let loss: Double
    /// Standard deviation of the logits: near 0 gives uniform probabilities, hence a loss of ln C.
    public let logitStd: Double
    /// Per hidden block: activation and gradient statistics, and the update-to-data ratio the
    /// first SGD step would have (`inputShift` is NaN: nothing has moved yet).
    public let layers: [LayerDiagnostics]
    /// The output layer's update-to-data ratio for that step.
    public let outputUpdateRatio: Double

    /// Runs `model` on the first `samples` samples of `data` in its current mode, leaving BatchNorm's running statistics alone,
    /// backpropagates the cross-entropy and measures; the parameters do not change (their
    /// gradients are those of this batch afterwards, as after PyTorch's `loss.backward()`).
    public static func measure(_ model: some TrainableModel, on data: Dataset, samples: Int,
                               learningRate: Double) throws(TensorError) -> InitialDiagnosis {
        guard samples >= 1, data.count > 0 else { throw .invalidArgument("the diagnosis needs at least one sample") }
        let (x, labels) = try data.batch(Array(0..<min(samples, data.count)))
        let logits = try model.forward(x, updatingRunningStatistics: false)
        let (loss, gradient) = try Loss.crossEntropy(logits: logits, labels: labels)
        try model.backward(gradient)
        let ratios = TrainingDiagnostics.updateRatios(model.weightLayers, learningRate: learningRate)
        return InitialDiagnosis(loss: loss, logitStd: TrainingDiagnostics.meanAndStd(logits.scalars).std,
                                layers: model.diagnostics(learningRate: learningRate),
                                outputUpdateRatio: ratios.last ?? .nan)
    }
}
