/// One learnable tensor of a model as the optimizer sees it: its values, its gradient from the
/// last backward pass, and a way to write new values back.
struct ParameterSlot {
    /// e.g. "block 1 linear weight", "block 2 batchnorm gamma", "output bias".
    let name: String
    /// γ or β of a norm layer (the ones `freezeNormParameters` freezes).
    let isNormParameter: Bool
    let values: () -> [Float]
    let gradient: () -> [Float]?
    let write: ([Float]) -> Void
}

extension MLP {
    /// Every learnable tensor in a fixed order: per block W, b, γ, β; then the output W, b.
    var parameterSlots: [ParameterSlot] {
        var slots: [ParameterSlot] = []
        for (index, block) in blocks.enumerated() {
            slots += Self.slots(for: block.linear, name: "block \(index + 1) linear")
            if let norm = block.trainableNorm {
                let name = "block \(index + 1) \(block.normKind.shortName ?? "norm")"
                slots.append(ParameterSlot(
                    name: name + " gamma", isNormParameter: true,
                    values: { norm.gamma.scalars }, gradient: { block.gammaGradient?.scalars },
                    write: { values in try? norm.setGamma(Tensor(uncheckedShape: norm.gamma.shape, scalars: values)) }))
                guard norm.hasShift else { continue }
                slots.append(ParameterSlot(
                    name: name + " beta", isNormParameter: true,
                    values: { norm.beta.scalars }, gradient: { block.betaGradient?.scalars },
                    write: { values in try? norm.setBeta(Tensor(uncheckedShape: norm.beta.shape, scalars: values)) }))
            }
        }
        slots += Self.slots(for: output, name: "output")
        return slots
    }

    /// W, and b unless the layer has none (`bias: false`, PyTorch's `bias=False`).
    private static func slots(for linear: Linear, name: String) -> [ParameterSlot] {
        let weight = ParameterSlot(name: name + " weight", isNormParameter: false,
                                   values: { linear.weight.scalars }, gradient: { linear.weightGradient?.scalars },
                                   write: { linear.weight = Tensor(uncheckedShape: linear.weight.shape, scalars: $0) })
        guard linear.hasBias else { return [weight] }
        return [weight, ParameterSlot(name: name + " bias", isNormParameter: false,
                                      values: { linear.bias.scalars }, gradient: { linear.biasGradient?.scalars },
                                      write: { linear.bias = Tensor(uncheckedShape: linear.bias.shape, scalars: $0) })]
    }
}
