import BatchNormKit

/// `cnn([1, 8, 16], classes: 10)`: a conv net the learner opens like an `mlp` — `net(x)`,
/// `net.blocks[0].norm`, `activations(net, x)`, `fit`, `train`/`eval`.
extension ConvNet: ShellModule {
    static let channelsParameter = Param.tensor("channels", "[input channels, channels of each stage…]")
    static let classesParameter = Param.integer("classes", default: 10, "outputs of the linear head")
    static let normParameter = Param.choice("norm", default: NormKind.batch, "\"batch\" (BatchNorm2d), \"group\" or \"none\"")
    static let sizeParameter = Param.integer("size", default: 8, "side of the square input images")
    static let groupsParameter = Param.integer("groups", default: 4, "groups for norm: \"group\"")
    static let biasParameter = Param.bool("bias", default: true, "a bias in every conv")

    static var command: CommandSpec {
        CommandSpec("cnn", "a small conv net for images: per stage conv 3×3 (padding 1) → norm → relu → maxpool 2, then flatten → linear; "
                    + "weights drawn as Kaiming normal, biases 0, like mlp", brief: "a small conv net: conv → norm → relu → maxpool per stage",
                    example: "net = cnn([1, 8, 16], classes: 10, norm: \"batch\")",
                    pytorch: "net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 10))",
                    positional: [channelsParameter],
                    options: [classesParameter, normParameter, sizeParameter, groupsParameter, biasParameter]) { call throws(LabError) in
            let sizes = call[channelsParameter]
            guard sizes.rank == 1, sizes.count >= 2, sizes.scalars.allSatisfy({ $0 >= 1 && $0 <= 1024 && $0 == $0.rounded() }) else {
                throw LabError(.value, "channels is a list of at least two whole numbers from 1 to 1024, like [1, 8, 16]",
                               at: call.locationOf(channelsParameter))
            }
            let (classes, size) = (call[classesParameter], call[sizeParameter])
            guard (1...65536).contains(classes) else { throw LabError(.value, "classes must be from 1 to 65536", at: call.locationOf(classesParameter)) }
            guard (1...1024).contains(size) else { throw LabError(.value, "size must be from 1 to 1024", at: call.locationOf(sizeParameter)) }
            let net = try call.engine { () throws(TensorError) in
                try ConvNet(channels: sizes.scalars.map { Int($0) }, classes: classes, imageSize: size, norm: call[normParameter],
                            groups: call[groupsParameter], bias: call[biasParameter], using: &call.interpreter.generator)
            }
            return .module(net)
        }
    }

    public var typeName: String { "a conv net " + channels.map(String.init).joined(separator: " → ") }
    public var brief: String { "cnn " + channels.map(String.init).joined(separator: " → ") + " → \(classes)" }
    public var callExample: String { "logits = net(x)" }

    public var printout: String {
        "cnn \(architecture), \(parameterCount) parameters, " + (training ? "training mode" : "eval mode")
            + (normParametersFrozen ? ", norm γ/β frozen" : "") + "\n" + describe.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    public var fieldNames: [String] { ["training", "channels", "parameters", "blocks", "layers", "output"] }

    public func field(_ name: String) -> Value? {
        switch name {
        case "training": .bool(training)
        case "channels": .tensor(Tensor(vector: channels.map(Float.init)))
        case "parameters": .number(Double(parameterCount))
        case "blocks": .list(blocks.map { .record(Self.record($0)) })
        case "layers": .list(blocks.flatMap { block in
            [.module(block.conv)] + (block.norm.map { [Value.layer($0)] } ?? []) + [.string(block.activation.rawValue), Self.pool(block.pool)]
        } + [Self.flatten, .linear(output)])
        case "output": .linear(output)
        default: nil
        }
    }

    /// One block as a record: its conv, its norm (none without one), the activation's name and the pool.
    static func record(_ block: ConvBlock) -> Record {
        Record([("conv", .module(block.conv)), ("norm", block.norm.map { .layer($0) } ?? .none),
                ("activation", .string(block.activation.rawValue)), ("pool", pool(block.pool))])
    }

    private static func pool(_ pool: Pool2d) -> Value {
        .module(FunctionModule(name: pool.layerName, summary: "the largest value of each \(pool.kernelSize)×\(pool.kernelSize) window",
                               settings: [("kernel_size", .number(Double(pool.kernelSize)))],
                               forward: { x throws(TensorError) in try pool.forward(x) }))
    }

    private static var flatten: Value {
        .module(FunctionModule(name: "flatten()", summary: "(N, C, H, W) → (N, C·H·W)", settings: [],
                               forward: { x throws(TensorError) in try Flatten.forward(x) }))
    }

    public func callAsFunction(_ x: Tensor) throws(TensorError) -> Tensor { try forward(x) }

    public var mode: Bool? {
        get { training }
        set { if let newValue { training = newValue } }
    }
}

extension Value {
    /// A model `train`, `eval`, `fit` and `activations` take: an `mlp` or a `cnn`.
    var isNetwork: Bool {
        switch self {
        case .model: true
        case .module(let m): m is ConvNet
        default: false
        }
    }
}
