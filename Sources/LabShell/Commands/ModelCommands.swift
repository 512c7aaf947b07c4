import BatchNormKit

extension CommandTable {
    /// Building networks and data sets, training them, folding BatchNorm away for inference.
    static var modelCommands: [CommandSpec] {
        let samples = CommandSpec.Parameter("n", .integer, default: "300", "number of samples")
        return [
            CommandSpec("mlp", "a multilayer perceptron: linear layers with an optional norm and an activation in every hidden block",
                        example: "net = mlp([2, 64, 64, 3], norm: \"batch\", act: \"relu\", init: 1.0)",
                        positional: [.init("sizes", .tensor, "[inputs, hidden…, outputs]")],
                        options: [.init("norm", .string, default: "\"none\"", NormKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")),
                                  .init("act", .string, default: "\"relu\"", "\"relu\" or \"tanh\""),
                                  .init("order", .string, default: "\"pre\"", "\"pre\": linear → norm → act; \"post\": linear → act → norm"),
                                  .init("init", .number, default: "1.0", "scale of the initial weights (1.0 = Kaiming)"),
                                  .init("groups", .integer, default: "2", "groups for norm: \"group\"")]) { call throws(LabError) in
                let sizesTensor = try call.requireTensor("sizes")
                guard sizesTensor.rank == 1, sizesTensor.count >= 2, sizesTensor.scalars.allSatisfy({ $0 >= 1 && $0 <= 65536 && $0 == $0.rounded() }) else {
                    throw LabError(.value, "sizes is a list of at least two whole numbers from 1 to 65536, like [2, 64, 3]", at: call.locationOf("sizes"))
                }
                let sizes = sizesTensor.scalars.map { Int($0) }
                var parameters = 0
                for (a, b) in zip(sizes, sizes.dropFirst()) { parameters += a * b + b }
                guard parameters <= TensorLimits.maxElements, sizes.count <= 102 else {
                    throw LabError(.limit, "that network would have \(parameters) weights in \(sizes.count - 1) layers; the limit is \(TensorLimits.maxElements) weights and 100 hidden layers", at: call.locationOf("sizes"))
                }
                let norm = try choice("norm", NormKind.self, call, default: .none)
                let act = try choice("act", Activation.self, call, default: .relu)
                let order = try choice("order", NormOrder.self, call, default: .pre)
                let scale = call.number("init") ?? 1
                guard scale.isFinite, scale >= 0 else { throw LabError(.value, "init must be a finite number ≥ 0", at: call.locationOf("init")) }
                let groups = call.integer("groups", default: 2)
                let model = try call.engine { () throws(TensorError) in
                    try MLP(sizes: sizes, norm: norm, activation: act, order: order, initScale: scale, groups: groups,
                            using: &call.interpreter.generator)
                }
                return .model(model)
            },
            CommandSpec("spirals", "a seeded data set of interleaved 2-D spirals, one class per arm",
                        example: "data = spirals(300, classes: 3)", positional: [samples],
                        options: [.init("classes", .integer, default: "3", "number of arms"), .init("noise", .number, default: "0.2", "angle noise")]) { call throws(LabError) in
                let n = try sampleCount(call), classes = call.integer("classes", default: 3)
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.spirals(samples: n, classes: classes, noise: call.number("noise") ?? 0.2, using: &call.interpreter.generator)
                })
            },
            CommandSpec("moons", "a seeded data set of two interleaved half circles",
                        example: "data = moons(300, noise: 0.1)", positional: [samples],
                        options: [.init("noise", .number, default: "0.1", "noise added to each point")]) { call throws(LabError) in
                let n = try sampleCount(call)
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.moons(samples: n, noise: call.number("noise") ?? 0.1, using: &call.interpreter.generator)
                })
            },
            CommandSpec("blobs", "a seeded data set of Gaussian blobs, one per class",
                        example: "data = blobs(300, classes: 4)", positional: [samples],
                        options: [.init("classes", .integer, default: "3", "number of blobs"), .init("spread", .number, default: "1.0", "std of each blob")]) { call throws(LabError) in
                let n = try sampleCount(call), classes = call.integer("classes", default: 3)
                return .dataset(try call.engine { () throws(TensorError) in
                    try Dataset.blobs(samples: n, classes: classes, spread: call.number("spread") ?? 1, using: &call.interpreter.generator)
                })
            },
            CommandSpec("digits", "the UCI handwritten digits: 1,797 images of 8×8 pixels, 10 classes (shipped in data/digits)",
                        example: "data = digits()") { call throws(LabError) in
                let path = call.interpreter.configuration.dataFile("digits/digits.csv")
                do throws(DataFileError) { return .dataset(try Dataset.digits(path: path)) } catch {
                    throw LabError(.file, "\(error.description) (set BNLAB_DATA to the folder that holds digits/digits.csv)", at: call.location)
                }
            },
            CommandSpec("fit", "train a model with SGD and momentum, printing loss and accuracy per epoch (Ctrl-C keeps what is done)",
                        example: "r = fit(net, data, epochs: 10, lr: 0.1)",
                        positional: [.init("model", .any, "a model from mlp(…)"), .init("data", .any, "a data set")],
                        options: TrainingOptions.parameters + [.init("diagnostics", .bool, default: "false", "print per-layer statistics after the last epoch")]) { call throws(LabError) in
                try FitCommand(call: call).run()
            },
            CommandSpec("fold", "fold every eval-mode BatchNorm into the linear layer before it: the same outputs, fewer operations",
                        example: "small = fold(net)", positional: [.init("model", .any, "a model with norm: \"batch\", order: \"pre\"")]) { call throws(LabError) in
                try FitCommand(call: call).fold()
            },
            CommandSpec("freeze", "freeze (true) or unfreeze (false) the γ and β of a model's norm layers",
                        example: "freeze(net, true)", positional: [.init("model", .any, "a model"), .init("frozen", .bool, "true or false")]) { call throws(LabError) in
                guard case .model(let model)? = call.value("model") else {
                    throw LabError(.type, "freeze needs a model from mlp(…)", at: call.locationOf("model"))
                }
                model.freezeNormParameters(call.bool("frozen", default: true))
                return .none
            },
        ]
    }

    private static func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type, _ call: Invocation, default fallback: T) throws(LabError) -> T where T.RawValue == String {
        guard let text = call.string(name) else { return fallback }
        guard let value = T(rawValue: text.lowercased()) else {
            throw LabError(.value, "\(name) must be " + T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ") + "; got \"\(text)\"", at: call.locationOf(name))
        }
        return value
    }

    private static func sampleCount(_ call: Invocation) throws(LabError) -> Int {
        let n = call.integer("n", default: 300)
        guard (2...1_000_000).contains(n) else { throw LabError(.value, "n must be from 2 to 1000000, got \(n)", at: call.locationOf("n")) }
        return n
    }
}
