import BatchNormKit

private let modeTarget = Param.any("layer", "a layer or a model")

/// `train(x)` / `eval(x)` for a layer or every layer of a model.
private func setMode(_ call: Invocation, training: Bool) throws(LabError) {
    switch call[modeTarget] {
    case .layer(let layer): layer.training = training
    case .model(let model): model.training = training
    case .module(let module) where module.mode != nil: module.mode = training
    case let other: throw LabError(.type, "\(call.command.name): layer must be a layer or a model, got \(other.typeName)", at: call.locationOf(modeTarget))
    }
}

private let backwardLayer = Param.layer("layer", "a norm layer (batchnorm in its current mode)")
private let backwardInput = Param.tensor("x", "the input of the forward pass")
private let backwardGradient = Param.tensor("dy", "the gradient of the loss with respect to the output, same shape as x")

extension CommandTable {
    /// Building normalization layers (each from its `Layers/…+Shell.swift`), switching their mode, and backpropagating.
    static var layerCommands: [CommandSpec] {
        return LayerCatalogue.commands + [
            CommandSpec("train", "training mode: normalize with batch statistics, update running ones", brief: "training mode: normalize with batch statistics",
                        example: "train(bn)", pytorch: "bn.train() # net.train() for a model", positional: [modeTarget], commandForm: true) { call throws(LabError) in
                try setMode(call, training: true)
                return .none
            },
            CommandSpec("eval", "eval mode: normalize with the running statistics, update nothing", brief: "eval mode: normalize with the running statistics",
                        example: "eval(bn)", pytorch: "bn.eval() # net.eval() for a model", positional: [modeTarget], commandForm: true) { call throws(LabError) in
                try setMode(call, training: false)
                return .none
            },
            CommandSpec("backward", "gradients of a norm layer's pass: a record with dx, dgamma, dbeta", brief: "gradients of a norm layer's pass: dx, dgamma, dbeta",
                        example: "g = backward(bn, x, randn(64, 8))", pytorch: "x.requires_grad_(); bn(x).backward(torch.randn(64, 8)) # then x.grad, bn.weight.grad, bn.bias.grad; in training mode that bn(x) also moves the running statistics, backward here does not",
                        positional: [backwardLayer, backwardInput, backwardGradient]) { call throws(LabError) in
                let layer = call[backwardLayer]
                let (x, dy) = (call[backwardInput], call[backwardGradient])
                let grads = try call.engine { () throws(TensorError) in try layer.backward(x, dy) }
                return .record(Record([("dx", .tensor(grads.dx)), ("dgamma", .tensor(grads.dgamma)), ("dbeta", .tensor(grads.dbeta))]))
            },
        ]
    }
}
