/// Recomputing BatchNorm's running statistics after training, from the finished weights: what
/// PyTorch's `torch.optim.swa_utils.update_bn` does. The running averages a training run leaves
/// mix batches seen under older weights (momentum 0.1 keeps about the last 20 batches); one pass
/// over the training data with the final weights and a cumulative average replaces them.
public enum Calibration {
    /// Resets every BatchNorm's running statistics, sets its momentum to none (the cumulative
    /// average: after k batches each has weight 1/k, PyTorch's `momentum=None`), passes `data`
    /// through `model` in training mode in batches of `batchSize` (in order, no backward, a last
    /// batch of one sample skipped since its variance is undefined), then restores each layer's
    /// momentum and the model's mode. Returns the number of batches averaged.
    @discardableResult
    public static func recalibrate(_ model: some TrainableModel, on data: Dataset, batchSize: Int) throws(TensorError) -> Int {
        guard batchSize >= 2 else { throw .invalidArgument("calibrating needs batches of at least 2 samples, got \(batchSize)") }
        guard data.features == model.inputFeatures else {
            throw .invalidArgument("the model takes \(model.inputFeatures) features per sample, but \(data.name) has \(data.features)")
        }
        let norms = model.batchNormLayers.filter(\.tracksRunningStats)
        guard !norms.isEmpty else { return 0 }
        let momenta = norms.map(\.momentum)
        let wasTraining = model.training
        defer {
            for (bn, momentum) in zip(norms, momenta) { bn.momentum = momentum }
            model.training = wasTraining
        }
        for bn in norms {
            bn.resetRunningStats()
            bn.momentum = nil
        }
        model.training = true
        var batches = 0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let indices = Array(start..<min(start + batchSize, data.count))
            guard indices.count >= 2 else { continue }
            _ = try model.forward(try data.batch(indices).x)
            batches += 1
        }
        return batches
    }
}
