/// The MLP as the trainer sees it: its blocks' Linear layers name the diagnostics and carry the noise.
extension MLP: TrainableModel {
    public var batchOfOneError: String? {
        guard hasBatchNorm else { return nil }
        return "batch size 1 cannot train a model with BatchNorm. PyTorch stops with "
            + "\"Expected more than 1 value per channel when training, got input size torch.Size([1, "
            + "\(blocks[0].linear.outFeatures)])\": the statistics of a batch of one sample are that "
            + "sample itself, so every x − mean is 0 and the variance is 0; the layer would output β "
            + "whatever the input. Use a batch size of at least 2, or layernorm/groupnorm, which do not "
            + "depend on the batch"
    }

    public var weightLayers: [(weight: Tensor, gradient: Tensor?)] {
        (blocks.map(\.linear) + [output]).map { ($0.weight, $0.weightGradient) }
    }

    public var batchNormLayers: [BatchNorm] { blocks.compactMap { $0.norm as? BatchNorm } }

    public func diagnostics(learningRate: Double) -> [LayerDiagnostics] {
        TrainingDiagnostics.measure(self, learningRate: learningRate)
    }

    public func blockInputs(probing x: Tensor) throws(TensorError) -> [Tensor?] {
        _ = try forward(x, updatingRunningStatistics: false)
        return blocks.map(\.input)
    }

    public var watchedTensors: [(block: String, tensors: [Tensor?])] {
        blocks.enumerated().map { ($1.diagnosticName(number: $0 + 1), [$1.activationOutput, $1.output]) }
    }

    public var outputLayerName: String { output.layerName }

    public func injectNoise(_ draw: (Int) -> (scale: [Float], shift: [Float])?) {
        for block in blocks where block.trainableNorm != nil { block.injectedNoise = draw(block.linear.outFeatures) }
    }
}
