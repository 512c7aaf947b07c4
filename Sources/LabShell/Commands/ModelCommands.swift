import BatchNormKit

extension CommandTable {
    /// Building networks and data sets, training them, folding BatchNorm away for inference.
    static var modelCommands: [CommandSpec] {
        typealias P = ModelParameters
        return [
            CommandSpec("mlp", "a multilayer perceptron: linear layers with an optional norm and an activation in every hidden block", brief: "a multilayer perceptron, with an optional norm per block",
                        example: "net = mlp([2, 64, 64, 3], norm: \"batch\", act: \"relu\", init: 1.0)", pytorch: "net = nn.Sequential(nn.Linear(2, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 3)) # net(x) gives the logits; bnlab draws W as nn.init.kaiming_normal_ does, b = 0 (nn.Linear's own default init differs)",
                        positional: [P.sizes], options: [P.norm, P.act, P.order, P.initScale, P.groups, P.outInit, P.bias]) { call throws(LabError) in
                let sizesTensor = call[P.sizes]
                guard sizesTensor.rank == 1, sizesTensor.count >= 2, sizesTensor.scalars.allSatisfy({ $0 >= 1 && $0 <= 65536 && $0 == $0.rounded() }) else {
                    throw LabError(.value, "sizes is a list of at least two whole numbers from 1 to 65536, like [2, 64, 3]", at: call.locationOf(P.sizes))
                }
                let sizes = sizesTensor.scalars.map { Int($0) }
                var parameters = 0
                for (a, b) in zip(sizes, sizes.dropFirst()) { parameters += a * b + b }
                guard parameters <= TensorLimits.maxElements, sizes.count <= 102 else {
                    throw LabError(.limit, "that network would have \(parameters) weights in \(sizes.count - 1) layers; the limit is \(TensorLimits.maxElements) weights and 100 hidden layers", at: call.locationOf(P.sizes))
                }
                let (norm, act, order) = (call[P.norm], call[P.act], call[P.order])
                let scale = call[P.initScale]
                guard scale.isFinite, scale >= 0 else { throw LabError(.value, "init must be a finite number ≥ 0", at: call.locationOf(P.initScale)) }
                let groups = call[P.groups], outputScale = call[P.outInit]
                guard outputScale.isFinite, outputScale >= 0 else { throw LabError(.value, "out_init must be a finite number ≥ 0", at: call.locationOf(P.outInit)) }
                let model = try call.engine { () throws(TensorError) in
                    try MLP(sizes: sizes, norm: norm, activation: act, order: order, initScale: scale, groups: groups,
                            outputScale: outputScale, hiddenBias: call[P.bias], using: &call.interpreter.generator)
                }
                return .model(model)
            },
            CommandSpec("spirals", "a seeded data set of interleaved 2-D spirals, one class per arm", brief: "a seeded data set of interleaved 2-D spirals",
                        example: "data = spirals(300, classes: 3)", positional: [P.samples],
                        options: [P.arms, P.spiralNoise]) { call throws(LabError) in
                let n = try sampleCount(call), classes = call[P.arms]
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.spirals(samples: n, classes: classes, noise: call[P.spiralNoise], using: &call.interpreter.generator)
                })
            },
            CommandSpec("moons", "a seeded data set of two interleaved half circles",
                        example: "data = moons(300, noise: 0.1)", positional: [P.samples],
                        options: [P.moonNoise]) { call throws(LabError) in
                let n = try sampleCount(call)
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.moons(samples: n, noise: call[P.moonNoise], using: &call.interpreter.generator)
                })
            },
            CommandSpec("blobs", "a seeded data set of Gaussian blobs, one per class",
                        example: "data = blobs(300, classes: 4)", positional: [P.samples],
                        options: [P.blobCount, P.spread]) { call throws(LabError) in
                let n = try sampleCount(call), classes = call[P.blobCount]
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.blobs(samples: n, classes: classes, spread: call[P.spread], using: &call.interpreter.generator)
                })
            },
            CommandSpec("digits", "the UCI handwritten digits: 1,797 images of 8×8 pixels, 10 classes (shipped in data/digits); "
                        + "x is (N, 64), or (N, 1, 8, 8) with images: true (for cnn)", brief: "the UCI handwritten digits: 1,797 images of 8×8 pixels",
                        example: "data = digits()", pytorch: "sklearn.datasets.load_digits() # the same 1,797 images of 8×8 pixels; images: true is .images[:, None]",
                        options: [P.images]) { call throws(LabError) in
                let path = call.interpreter.configuration.dataFile("digits/digits.csv")
                let digits: Dataset
                do throws(DataFileError) { digits = try Dataset.digits(path: path) } catch {
                    // Too many values for the element cap is the cap's business, not the data folder's.
                    if case .tensor(_, let cause) = error {
                        throw LabError(.limit, "digits() needs more values than the element cap allows: \(cause)", at: call.location)
                    }
                    throw LabError(.file, "\(error.description) (set BNLAB_DATA to the folder that holds digits/digits.csv)", at: call.location)
                }
                guard call[P.images] else { return .dataset(digits) }
                return .dataset(try call.engine { () throws(TensorError) in try digits.images([1, 8, 8]) })
            },
            CommandSpec("fit", "train a model with SGD and momentum, printing loss and accuracy per epoch (Ctrl-C keeps what is done)", brief: "train a model with SGD and momentum, epoch by epoch",
                        example: "r = fit(net, data, epochs: 10, lr: 0.1)", pytorch: "opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9); for epoch in range(10): for xb, yb in DataLoader(train, batch_size=32, shuffle=True): opt.zero_grad(); F.cross_entropy(net(xb), yb).backward(); opt.step()",
                        positional: [FitCommand.model, FitCommand.data], options: TrainingOptions.parameters + [FitCommand.diagnostics, FitCommand.ghost]) { call throws(LabError) in
                try FitCommand(call: call).run()
            },
            CommandSpec("fold", "fold every BatchNorm of an eval-mode network into the linear layer or convolution before it: the same outputs, fewer operations", brief: "fold eval-mode BatchNorms into the layers before them",
                        example: "small = fold(net)", pytorch: "after net.eval(), torch.nn.utils.fuse_linear_bn_eval(linear, bn) for each Linear → BatchNorm1d pair, fuse_conv_bn_eval(conv, bn) for each Conv2d → BatchNorm2d", positional: [FitCommand.foldModel]) { call throws(LabError) in
                try FitCommand(call: call).fold()
            },
            CommandSpec("activations", "look inside a network: for every hidden block, a record of the tensors it computes on x (input, linear_output, before_norm, after_norm, after_activation, output), in the net's mode but changing nothing: training mode normalizes with x's own batch statistics and leaves the running statistics alone, unlike PyTorch's forward hooks, which see a forward pass that updates them", brief: "look inside a network: every hidden block's tensors on x",
                        example: "a = activations(net, data.x); hist(a[0].before_norm, a[0].after_norm)", pytorch: "seen = []; for m in net: m.register_forward_hook(lambda m, args, out: seen.append(out)) # then net(x): in training mode that pass updates the running statistics, activations does not",
                        positional: [P.lookModel, P.lookInput]) { call throws(LabError) in
                let model = try call.network(P.lookModel)
                let x = call[P.lookInput]
                let blocks = try call.engine { () throws(TensorError) in try model.activations(x) }
                return .list(blocks.map { .record(Self.record($0, weightOutput: model.weightOutputName)) })
            },
            CommandSpec("freeze", "freeze (true) or unfreeze (false) the γ and β of a model's norm layers", brief: "freeze or unfreeze the γ and β of a model's norm layers",
                        example: "freeze(net, true)", pytorch: "for m in norm_layers: m.requires_grad_(False) # γ and β stop learning; in training mode BatchNorm's running statistics still move", positional: [P.freezeModel, P.frozen]) { call throws(LabError) in
                switch call[P.freezeModel] {
                case .model(let model): model.freezeNormParameters(call[P.frozen])
                case .module(let net as ConvNet): net.freezeNormParameters(call[P.frozen])
                default: throw LabError(.type, "freeze needs a model from mlp(…) or cnn(…)", at: call.locationOf(P.freezeModel))
                }
                return .none
            },
        ]
    }

    /// One block's stages under the names `activations` documents.
    private static func record(_ block: BlockActivations, weightOutput: String) -> Record {
        Record([("input", .tensor(block.input)), (weightOutput, .tensor(block.linear)),
                ("before_norm", .tensor(block.beforeNorm)), ("after_norm", .tensor(block.afterNorm)),
                ("after_activation", .tensor(block.afterActivation)), ("output", .tensor(block.output))])
    }

    private static func sampleCount(_ call: Invocation) throws(LabError) -> Int {
        let n = call[ModelParameters.samples]
        guard (2...1_000_000).contains(n) else { throw LabError(.value, "n must be from 2 to 1000000, got \(n)", at: call.locationOf(ModelParameters.samples)) }
        return n
    }
}

/// The parameters of the model and data-set commands, each with its default.
enum ModelParameters {
    static let sizes = Param.tensor("sizes", "[inputs, hidden…, outputs]")
    static let norm = Param.choice("norm", default: NormKind.none, NormKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
    static let act = Param.choice("act", default: Activation.relu, "\"relu\" or \"tanh\"")
    static let order = Param.choice("order", default: NormOrder.pre, "\"pre\": linear → norm → act; \"post\": linear → act → norm")
    static let initScale = Param.number("init", default: 1.0, "scale of the initial weights (1.0 = Kaiming)")
    static let groups = Param.integer("groups", default: 2, "groups for norm: \"group\"")
    static let outInit = Param.number("out_init", default: 1.0, "extra scale of the output layer's initial weights (0.01: logits near 0)")
    static let bias = Param.bool("bias", default: true, "false: no bias in the hidden linear layers (nn.Linear(…, bias=False)), the output keeps its")

    static let samples = Param.integer("n", default: 300, "number of samples")
    static let arms = Param.integer("classes", default: 3, "number of arms")
    static let spiralNoise = Param.number("noise", default: 0.2, "angle noise")
    static let moonNoise = Param.number("noise", default: 0.1, "noise added to each point")
    static let blobCount = Param.integer("classes", default: 3, "number of blobs")
    static let spread = Param.number("spread", default: 1.0, "std of each blob")

    static let lookModel = Param.any("model", "a model from mlp(…) or cnn(…)")
    static let lookInput = Param.tensor("x", "a batch, (N, inputs) or (N, C, H, W)")
    static let images = Param.bool("images", default: false, "x as (N, 1, 8, 8) images")
    static let freezeModel = Param.any("model", "a model")
    static let frozen = Param.bool("frozen", "true or false")
}
