/// One learnable tensor of a model as the optimizer sees it: its values, its gradient from the
/// last backward pass, and a way to write new values back.
public struct ParameterSlot {
    /// e.g. "block 1 linear weight", "block 2 batchnorm gamma", "output bias".
    public let name: String
    /// γ or β of a norm layer (the ones `freezeNormParameters` freezes).
    public let isNormParameter: Bool
    public let values: () -> [Float]
    public let gradient: () -> [Float]?
    public let write: ([Float]) -> Void
}

extension MLP {
    /// Every learnable tensor in a fixed order: per block W, b, γ, β; then the output W, b.
    public var parameterSlots: [ParameterSlot] {
        var slots: [ParameterSlot] = []
        for (index, block) in blocks.enumerated() {
            slots += ParameterSlot.linear(block.linear, name: "block \(index + 1) linear")
            if let norm = block.trainableNorm {
                slots += ParameterSlot.norm(norm, name: "block \(index + 1) \(block.normKind.shortName ?? "norm")",
                                            gammaGradient: { block.gammaGradient }, betaGradient: { block.betaGradient })
            }
        }
        slots += ParameterSlot.linear(output, name: "output")
        return slots
    }
}

extension ParameterSlot {
    /// A Linear layer's W, and b unless the layer has none (`bias: false`, PyTorch's `bias=False`).
    static func linear(_ linear: Linear, name: String) -> [ParameterSlot] {
        let weight = ParameterSlot(name: name + " weight", isNormParameter: false,
                                   values: { linear.weight.scalars }, gradient: { linear.weightGradient?.scalars },
                                   write: { linear.weight = Tensor(uncheckedShape: linear.weight.shape, scalars: $0) })
        guard linear.hasBias else { return [weight] }
        return [weight, ParameterSlot(name: name + " bias", isNormParameter: false,
                                      values: { linear.bias.scalars }, gradient: { linear.biasGradient?.scalars },
                                      write: { linear.bias = Tensor(uncheckedShape: linear.bias.shape, scalars: $0) })]
    }

    /// A norm layer's γ, and β where it has one; the gradients come from the block that ran it.
    static func norm(_ norm: any TrainableNorm, name: String, gammaGradient: @escaping () -> Tensor?,
                     betaGradient: @escaping () -> Tensor?) -> [ParameterSlot] {
        var slots = [ParameterSlot(
            name: name + " gamma", isNormParameter: true, values: { norm.gamma.scalars }, gradient: { gammaGradient()?.scalars },
            write: { values in try? norm.setGamma(Tensor(uncheckedShape: norm.gamma.shape, scalars: values)) })]
        guard norm.hasShift else { return slots }
        slots.append(ParameterSlot(
            name: name + " beta", isNormParameter: true, values: { norm.beta.scalars }, gradient: { betaGradient()?.scalars },
            write: { values in try? norm.setBeta(Tensor(uncheckedShape: norm.beta.shape, scalars: values)) }))
        return slots
    }
}
