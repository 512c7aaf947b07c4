/// The conv net as the trainer sees it: the same loop, optimizer and diagnostics as the MLP.
extension ConvNet: TrainableModel {
    public var inputFeatures: Int { inputShape.reduce(1, *) }
    public var outputFeatures: Int { classes }

    /// BatchNorm2d has N·H·W values per channel, so even one image trains (as in PyTorch).
    public var batchOfOneError: String? { nil }

    public var parameterSlots: [ParameterSlot] {
        var slots: [ParameterSlot] = []
        for (index, block) in blocks.enumerated() {
            let conv = block.conv, name = "block \(index + 1) conv"
            slots.append(ParameterSlot(name: name + " weight", isNormParameter: false, values: { conv.weight.scalars },
                                       gradient: { conv.weightGradient?.scalars },
                                       write: { conv.weight = Tensor(uncheckedShape: conv.weight.shape, scalars: $0) }))
            if conv.hasBias {
                slots.append(ParameterSlot(name: name + " bias", isNormParameter: false, values: { conv.bias.scalars },
                                           gradient: { conv.biasGradient?.scalars },
                                           write: { conv.bias = Tensor(uncheckedShape: conv.bias.shape, scalars: $0) }))
            }
            if let norm = block.trainableNorm, norm.isAffine {
                slots += ParameterSlot.norm(norm, name: "block \(index + 1) \(block.normKind.shortName ?? "norm")",
                                            gammaGradient: { block.gammaGradient }, betaGradient: { block.betaGradient })
            }
        }
        return slots + ParameterSlot.linear(output, name: "output")
    }

    public var weightLayers: [(weight: Tensor, gradient: Tensor?)] {
        blocks.map { ($0.conv.weight, $0.conv.weightGradient) } + [(output.weight, output.weightGradient)]
    }

    public var batchNormLayers: [BatchNorm] { blocks.compactMap { $0.norm as? BatchNorm } }

    public func diagnostics(learningRate: Double) -> [LayerDiagnostics] {
        blocks.enumerated().map { index, block in
            TrainingDiagnostics.block(name: block.diagnosticName(number: index + 1), activation: block.activation,
                                      activations: block.activationOutput, activationGradient: block.activationGradient,
                                      weight: block.conv.weight, weightGradient: block.conv.weightGradient, learningRate: learningRate)
        }
    }

    public func blockInputs(probing x: Tensor) throws(TensorError) -> [Tensor?] {
        var h = try images(x)
        var inputs: [Tensor?] = []
        for block in blocks {
            inputs.append(h)
            h = try block.stages(h).output
        }
        return inputs
    }

    public var watchedTensors: [(block: String, tensors: [Tensor?])] {
        blocks.enumerated().map { ($1.diagnosticName(number: $0 + 1), [$1.activationOutput, $1.output]) }
    }

    public var outputLayerName: String { output.layerName }

    /// Noise injection is an MLP experiment; a conv net trains without it.
    public func injectNoise(_ draw: (Int) -> (scale: [Float], shift: [Float])?) {}
}
