import BatchNormKit

/// The fields of a network and of its Linear layers: how a learner opens a trained `mlp` and
/// reaches the very layers inside it (`net.blocks[0].norm` is the net's BatchNorm, not a copy,
/// so `step`, `compare`, `eval` and assignments act on the network).
extension Fields {
    /// A model's fields, in the order completion lists them.
    static let modelNames = ["training", "sizes", "parameters", "blocks", "layers", "output"]
    /// PyTorch's `nn.Linear` names.
    static let linearNames = ["weight", "bias", "in_features", "out_features", "weight_grad", "bias_grad"]

    static func model(_ name: String, of m: MLP) -> Value? {
        switch name {
        case "training": .bool(m.training)
        case "sizes": .tensor(Tensor(vector: m.sizes.map(Float.init)))
        case "parameters": .number(Double(m.parameterCount))
        case "blocks": .list(m.blocks.map { .record(blockRecord($0)) })
        case "layers": .list(layers(of: m))
        case "output": .linear(m.output)
        default: nil
        }
    }

    /// One hidden block as a record: its Linear, its norm (none without one), the activation's
    /// name and where the norm sits ("pre": before the activation, "post": after it).
    static func blockRecord(_ block: MLPBlock) -> Record {
        Record([("linear", .linear(block.linear)), ("norm", block.norm.map { .layer($0) } ?? .none),
                ("activation", .string(block.activation.rawValue)), ("order", .string(block.order.rawValue))])
    }

    /// Every layer in the order the pass runs them, as PyTorch's `nn.Sequential` lists its modules:
    /// `net.layers[1]` is the first norm, like `net[1]` of `nn.Sequential(Linear, BatchNorm1d, ReLU, …)`.
    /// An activation has no state, so it appears as its name.
    static func layers(of m: MLP) -> [Value] {
        var list: [Value] = []
        for block in m.blocks {
            let norm: [Value] = block.norm.map { [.layer($0)] } ?? []
            let activation = Value.string(block.activation.rawValue)
            list.append(.linear(block.linear))
            list += block.order == .pre ? norm + [activation] : [activation] + norm
        }
        return list + [.linear(m.output)]
    }

    static func linear(_ name: String, of l: Linear) -> Value? {
        switch name {
        case "weight": .tensor(l.weight)
        case "bias": l.hasBias ? .tensor(l.bias) : Value.none
        // PyTorch's weight.grad and bias.grad: the last backward pass's, none before one.
        case "weight_grad": l.weightGradient.map { .tensor($0) } ?? Value.none
        case "bias_grad": l.biasGradient.map { .tensor($0) } ?? Value.none
        case "in_features": .number(Double(l.inFeatures))
        case "out_features": .number(Double(l.outFeatures))
        default: nil
        }
    }

    /// `lin.weight = …` and `lin.bias = …`: the shape must stay (out, in) and (out), so the
    /// network around the layer still fits together; a number fills the tensor.
    static func setLinear(_ name: String, of l: Linear, to value: Value, at location: SourcePosition) throws(LabError) {
        guard name == "weight" || name == "bias" else {
            guard linearNames.contains(name) else { throw unknownField(name, of: .linear(l), at: location) }
            throw LabError(.type, "\(l.layerName).\(name) is read-only", at: location)
        }
        if name == "bias", !l.hasBias {
            throw LabError(.value, "\(l.layerName) was made with bias: false, so it has no bias to set", at: location)
        }
        let current = name == "weight" ? l.weight : l.bias
        let tensor = try parameterValue(value, like: current, name: name, of: l.layerName, at: location)
        if name == "weight" { l.weight = tensor } else { l.bias = tensor }
    }

    /// The new value of a weight or bias: a tensor of the current shape, or a number that fills it.
    static func parameterValue(_ value: Value, like current: Tensor, name: String, of layer: String,
                               at location: SourcePosition) throws(LabError) -> Tensor {
        let tensor: Tensor
        switch value {
        case .tensor(let t): tensor = t
        case .number(let v): tensor = Tensor(vector: [Float](repeating: Float(v), count: current.count)).reshapedOrSelf(current.shape)
        default: throw LabError(.type, "\(name) must be a tensor or a number, got \(value.typeName)", at: location)
        }
        guard tensor.shape == current.shape else {
            throw LabError(.parameterShape(name: "\(name) of \(layer)", expected: current.shape, got: tensor.shape), at: location)
        }
        return tensor
    }
}
