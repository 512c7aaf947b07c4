/// Every intermediate value of one BatchNorm forward pass, so a learner can check each stage by hand:
/// 1 mean, 2 variance, 3 x̂ = (x − μ)/√(σ² + ε), 4 γ·x̂, 5 γ·x̂ + β, 6 the running update.
public struct BatchNormStages: Sendable {
    /// True in training mode (or without running statistics); false when eval mode used the running values.
    public let usedBatchStatistics: Bool
    /// The per-channel mean that was subtracted (batch mean, or running mean in eval mode).
    public let mean: [Double]
    /// The per-channel variance that was divided by (biased batch variance, or running variance).
    public let variance: [Double]
    /// The n/(n − 1) variance that PyTorch feeds into running_var; nil in eval mode.
    public let unbiasedVariance: [Double]?
    public let eps: Double
    /// x̂, zero-mean unit-variance per channel in training mode.
    public let normalized: Tensor
    /// γ·x̂.
    public let scaled: Tensor
    /// γ·x̂ + β: the layer's output.
    public let output: Tensor
    /// Old → new running statistics; nil when nothing was updated (eval mode, or no tracking).
    public let runningUpdate: RunningStatisticsUpdate?
}

/// One update of the running statistics, old and new side by side, with the rule that produced it.
public struct RunningStatisticsUpdate: Sendable {
    public let convention: BatchNorm.Convention
    /// The layer's momentum as configured (nil: PyTorch's cumulative average).
    public let momentum: Double?
    /// The weight the batch statistic got: m for PyTorch, 1 − m for Keras, 1/num_batches_tracked for none.
    public let weightOfBatch: Double
    public let numBatchesTracked: Int
    public let batchMean: [Double]
    /// Unbiased (PyTorch) or biased (Keras) batch variance: the value that was averaged in.
    public let batchVariance: [Double]
    public let meanBefore: [Double]
    public let meanAfter: [Double]
    public let varianceBefore: [Double]
    public let varianceAfter: [Double]

    /// The rule in words, e.g. `running ← 0.9·running + 0.1·batch (PyTorch, momentum 0.1)`.
    public var ruleDescription: String {
        let keep = 1 - weightOfBatch
        switch (convention, momentum) {
        case (.pytorch, nil):
            return "running ← (1 − 1/\(numBatchesTracked))·running + 1/\(numBatchesTracked)·batch "
                + "(PyTorch, momentum none: the plain average of all \(numBatchesTracked) batches); "
                + "running_var takes the unbiased variance"
        case (.pytorch, let m?):
            return "running ← \(format(keep))·running + \(format(weightOfBatch))·batch (PyTorch, momentum \(format(m)) "
                + "= weight of the new batch); running_var takes the unbiased variance"
        case (.keras, let m):
            return "moving ← \(format(keep))·moving + \(format(weightOfBatch))·batch (Keras, momentum "
                + "\(format(m ?? 0.99)) = weight of the old value); moving_variance takes the biased variance"
        }
    }

    private func format(_ x: Double) -> String {
        let rounded = (x * 1e6).rounded() / 1e6
        return rounded == rounded.rounded() ? String(Int(rounded)) : "\(rounded)"
    }
}
