import BatchNormKit

/// `train(x)` / `eval(x)` for a layer or every layer of a model.
private func setMode(_ call: Invocation, training: Bool) throws(LabError) {
    switch call.value("layer") {
    case .layer(let layer)?: layer.training = training
    case .model(let model)?: model.training = training
    case let other?: throw LabError(.type, "\(call.command.name): layer must be a layer or a model, got \(other.typeName)", at: call.locationOf("layer"))
    case nil: break
    }
}

extension CommandTable {
    /// Building normalization layers, switching their mode, and backpropagating through BatchNorm.
    static var layerCommands: [CommandSpec] {
        let eps = CommandSpec.Parameter("eps", .number, default: "1e-05", "added to the variance before the square root")
        return [
            CommandSpec("batchnorm", "a BatchNorm layer over C channels (axis 1), PyTorch's semantics",
                        example: "bn = batchnorm(8, eps: 0.001, momentum: none)",
                        positional: [.init("C", .integer, "number of channels (features)")],
                        options: [
                            .init("eps", .number, default: "1e-05", "added to the variance (1e-3 with convention: \"keras\")"),
                            .init("momentum", .numberOrNone, default: "0.1",
                                  "PyTorch: weight of the new batch in the running average; none = cumulative average. Keras: weight of the old value (0.99)"),
                            .init("affine", .bool, default: "true", "learnable gamma (scale) and beta (shift)"),
                            .init("track_running_stats", .bool, default: "true", "keep running_mean/running_var for eval mode"),
                            .init("convention", .string, default: "\"pytorch\"", "\"pytorch\" or \"keras\": what momentum means, and the default eps"),
                        ]) { call throws(LabError) in
                var convention = BatchNorm.Convention.pytorch
                if let name = call.string("convention") {
                    guard let c = BatchNorm.Convention(rawValue: name.lowercased()) else {
                        throw LabError(.value, "convention must be \"pytorch\" or \"keras\", got \"\(name)\"", at: call.locationOf("convention"))
                    }
                    convention = c
                }
                let momentum: Double?? = switch call.value("momentum") {
                case .none?: .some(nil)
                case .number(let m)?: .some(m)
                default: nil
                }
                let c = call.integer("C")
                let layer = try call.engine { () throws(TensorError) in
                    try BatchNorm(numFeatures: c, eps: call.number("eps"), momentum: momentum,
                                  affine: call.bool("affine", default: true),
                                  trackRunningStats: call.bool("track_running_stats", default: true), convention: convention)
                }
                return .layer(layer)
            },
            CommandSpec("layernorm", "a LayerNorm layer: each sample normalized over its trailing axes",
                        example: "ln = layernorm(8)", variadic: .init("sizes", .integer, "the trailing axes to normalize over, e.g. 8 or 3, 4"),
                        options: [eps, .init("elementwise_affine", .bool, default: "true", "learnable per-element gamma and beta")]) { call throws(LabError) in
                let shape = try call.sizes()
                let layer = try call.engine { () throws(TensorError) in
                    try LayerNorm(normalizedShape: shape, eps: call.number("eps") ?? 1e-5,
                                  elementwiseAffine: call.bool("elementwise_affine", default: true))
                }
                return .layer(layer)
            },
            CommandSpec("instancenorm", "an InstanceNorm layer: each sample's channel normalized over its positions",
                        example: "inn = instancenorm(8)", positional: [.init("C", .integer, "number of channels")],
                        options: [eps, .init("affine", .bool, default: "false", "learnable per-channel gamma and beta")]) { call throws(LabError) in
                let c = call.integer("C")
                let layer = try call.engine { () throws(TensorError) in
                    try InstanceNorm(numFeatures: c, eps: call.number("eps") ?? 1e-5, affine: call.bool("affine", default: false))
                }
                return .layer(layer)
            },
            CommandSpec("groupnorm", "a GroupNorm layer: each sample's channels normalized in G groups",
                        example: "gn = groupnorm(2, 8)",
                        positional: [.init("G", .integer, "number of groups (must divide C)"), .init("C", .integer, "number of channels")],
                        options: [eps, .init("affine", .bool, default: "true", "learnable per-channel gamma and beta")]) { call throws(LabError) in
                let (g, c) = (call.integer("G"), call.integer("C"))
                let layer = try call.engine { () throws(TensorError) in
                    try GroupNorm(numGroups: g, numChannels: c, eps: call.number("eps") ?? 1e-5, affine: call.bool("affine", default: true))
                }
                return .layer(layer)
            },
            CommandSpec("train", "training mode: normalize with batch statistics, update running ones",
                        example: "train(bn)", positional: [.init("layer", .any, "a layer or a model")], commandForm: true) { call throws(LabError) in
                try setMode(call, training: true)
                return .none
            },
            CommandSpec("eval", "eval mode: normalize with the running statistics, update nothing",
                        example: "eval(bn)", positional: [.init("layer", .any, "a layer or a model")], commandForm: true) { call throws(LabError) in
                try setMode(call, training: false)
                return .none
            },
            CommandSpec("backward", "gradients of a BatchNorm pass: a record with dx, dgamma, dbeta",
                        example: "g = backward(bn, x, randn(64, 8))",
                        positional: [.init("layer", .layer, "a batchnorm layer"), .init("x", .tensor, "the input of the forward pass"),
                                     .init("dy", .tensor, "the gradient of the loss with respect to the output, same shape as x")]) { call throws(LabError) in
                guard let bn = try call.requireLayer("layer") as? BatchNorm else {
                    throw LabError(.type, "backward works on a batchnorm layer, got \(try call.requireLayer("layer").layerName)",
                                   at: call.locationOf("layer"))
                }
                let (x, dy) = (try call.requireTensor("x"), try call.requireTensor("dy"))
                let grads = try call.engine { () throws(TensorError) in try bn.backward(x, dy) }
                return .record(Record([("dx", .tensor(grads.dx)), ("dgamma", .tensor(grads.dgamma)), ("dbeta", .tensor(grads.dbeta))]))
            },
        ]
    }
}
