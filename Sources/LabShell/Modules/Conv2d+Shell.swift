import BatchNormKit

/// `conv2d(C_in, C_out, k)`: a convolution layer to call on images, with PyTorch's field names.
extension Conv2d: ShellModule {
    static let inParameter = Param.integer("C_in", "input channels")
    static let outParameter = Param.integer("C_out", "output channels")
    static let kernelParameter = Param.integer("k", "kernel size (k×k)")
    static let strideParameter = Param.integer("stride", default: 1, "step between windows")
    static let paddingParameter = Param.integer("padding", default: 0, "zeros added on each side")
    static let biasParameter = Param.bool("bias", default: true, "add a learnable bias per output channel")

    static var command: CommandSpec {
        CommandSpec("conv2d", "a 2-D convolution layer over (N, C, H, W) images: weight (C_out, C_in, k, k), bias (C_out); "
                    + "weights drawn as Kaiming normal for relu (as in cnn), bias 0", brief: "a 2-D convolution layer over (N, C, H, W) images",
                    example: "c = conv2d(1, 8, 3, padding: 1)", pytorch: "c = torch.nn.Conv2d(1, 8, 3, padding=1) # bnlab draws W as nn.init.kaiming_normal_ does, b = 0 (PyTorch's own default init differs)",
                    positional: [inParameter, outParameter, kernelParameter], options: [strideParameter, paddingParameter, biasParameter]) { call throws(LabError) in
            let (cIn, cOut, k) = (call[inParameter], call[outParameter], call[kernelParameter])
            let layer = try call.engine { () throws(TensorError) in
                try Conv2d(inChannels: cIn, outChannels: cOut, kernelSize: k, stride: call[strideParameter], padding: call[paddingParameter],
                           bias: call[biasParameter], weightStd: Activation.relu.gain / Double(max(1, cIn * k * k)).squareRoot(),
                           using: &call.interpreter.generator)
            }
            return .module(layer)
        }
    }

    public var typeName: String { "a layer \(layerName)" }
    public var brief: String { layerName }
    public var callExample: String { "y = c(x)" }

    public var printout: String {
        "\(layerName): y = W ⋆ x + b over (N, \(inChannels), H, W), as PyTorch's nn.Conv2d; weight \(weight.shapeDescription)"
            + (hasBias ? ", bias \(bias.shapeDescription)" : ", no bias") + ", \(parameterCount) parameters"
    }

    public var fieldNames: [String] { ["weight", "bias", "in_channels", "out_channels", "kernel_size", "stride", "padding"] }

    public func field(_ name: String) -> Value? {
        switch name {
        case "weight": .tensor(weight)
        case "bias": hasBias ? .tensor(bias) : Value.none
        case "in_channels": .number(Double(inChannels))
        case "out_channels": .number(Double(outChannels))
        case "kernel_size": .number(Double(kernelSize))
        case "stride": .number(Double(stride))
        case "padding": .number(Double(padding))
        default: nil
        }
    }

    /// `c.weight = …` and `c.bias = …` keep their shapes, so a net around the layer still fits; a number fills the tensor.
    public func setField(_ name: String, to value: Value, at location: SourcePosition) throws(LabError) {
        guard name == "weight" || (name == "bias" && hasBias) else {
            guard fieldNames.contains(name) else { throw Fields.unknownField(name, of: .module(self), at: location) }
            throw LabError(.type, "\(layerName).\(name) is read-only" + (name == "bias" ? " (the layer has no bias)" : ""), at: location)
        }
        let current = name == "weight" ? weight : bias
        let tensor = try Fields.parameterValue(value, like: current, name: name, of: layerName, at: location)
        if name == "weight" { weight = tensor } else { bias = tensor }
    }

    public func callAsFunction(_ x: Tensor) throws(TensorError) -> Tensor { try forward(x) }
}

extension Pool2d {
    static let kernelParameter = Param.integer("k", "window size (k×k); the stride is k")

    /// `maxpool(k)` and `avgpool(k)`.
    static func command(_ kind: Kind) -> CommandSpec {
        let (name, what, torch) = kind == .max ? ("maxpool", "the largest", "MaxPool2d") : ("avgpool", "the mean", "AvgPool2d")
        return CommandSpec(name, "\(what) value of each k×k window of (N, C, H, W) images, stride k: halves the image for k = 2",
                           brief: "\(what) value of each k×k window, stride k",
                           example: "p = \(name)(2)", pytorch: "p = torch.nn.\(torch)(2) # stride=2, padding=0",
                           positional: [kernelParameter]) { call throws(LabError) in
            let k = call[kernelParameter]
            let pool = try call.engine { () throws(TensorError) in try Pool2d(kind, kernelSize: k) }
            return .module(FunctionModule(name: pool.layerName, summary: "\(what) of each \(k)×\(k) window, stride \(k)",
                                          settings: [("kernel_size", .number(Double(k))), ("stride", .number(Double(k)))],
                                          forward: { x throws(TensorError) in try pool.forward(x) }))
        }
    }
}

extension Flatten {
    static var command: CommandSpec {
        CommandSpec("flatten", "a layer that flattens (N, C, H, W) to (N, C·H·W), the bridge from a conv net's images to its linear head",
                    brief: "a layer that flattens (N, C, H, W) to (N, C·H·W)",
                    example: "f = flatten()", pytorch: "f = torch.nn.Flatten() # start_dim=1") { call throws(LabError) in
            .module(FunctionModule(name: "flatten()", summary: "(N, C, H, W) → (N, C·H·W), the values in order", settings: [],
                                   forward: { x throws(TensorError) in try Flatten.forward(x) }))
        }
    }
}
