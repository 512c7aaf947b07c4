import BatchNormKit

/// The training options every training command shares, read once into a `TrainingConfig`.
enum TrainingOptions {
    static let epochs = Param.integer("epochs", default: TrainingConfig().epochs, "passes over the training set (1 to 10000)")
    static let batch = Param.integer("batch", default: TrainingConfig().batchSize, "samples per mini-batch")
    static let lr = Param.number("lr", default: TrainingConfig().learningRate, "learning rate")
    static let momentum = Param.number("momentum", default: TrainingConfig().momentum, "SGD momentum")
    static let test = Param.number("test", default: 0.2, "share of the data held out for testing")
    static let seed = Param.integer("seed", default: Int(TrainingConfig().seed), "seed for the split and the shuffling")
    static let parameters: [any ParameterDeclaration] = [epochs, batch, lr, momentum, test, seed]

    static func read(_ call: Invocation) throws(LabError) -> (config: TrainingConfig, testFraction: Double) {
        var config = TrainingConfig()
        config.measureTrainingLoss = true
        config.recordUpdateRatios = true
        config.epochs = call[Self.epochs]
        config.batchSize = call[Self.batch]
        config.learningRate = call[Self.lr]
        config.momentum = call[Self.momentum]
        config.seed = UInt64(max(0, call[Self.seed]))
        let testShare = call[Self.test]
        guard (1...10_000).contains(config.epochs) else { throw LabError(.value, "epochs must be from 1 to 10000", at: call.locationOf(Self.epochs)) }
        guard config.batchSize >= 1 else { throw LabError(.value, "batch must be at least 1", at: call.locationOf(Self.batch)) }
        guard config.learningRate.isFinite, config.learningRate > 0 else { throw LabError(.value, "lr must be a positive number", at: call.locationOf(Self.lr)) }
        guard (0..<1).contains(config.momentum) else { throw LabError(.value, "momentum must be from 0 to below 1", at: call.locationOf(Self.momentum)) }
        guard testShare > 0, testShare < 1 else { throw LabError(.value, "test must be a share between 0 and 1, like 0.2", at: call.locationOf(Self.test)) }
        return (config, testShare)
    }
}

/// `fit(net, data)` and `fold(net)`.
struct FitCommand {
    static let model = Param.any("model", "a model from mlp(…) or cnn(…)")
    static let foldModel = Param.any("model", "an mlp with norm: \"batch\", order: \"pre\", or a cnn with norm: \"batch\"")
    static let data = Param.any("data", "a data set")
    static let diagnostics = Param.bool("diagnostics", default: false, "print per-layer statistics after the last epoch")
    static let ghost = Param<Int?>.integer("ghost", "BatchNorm over ghost batches of this many samples inside each batch, "
        + "as K devices without SyncBatchNorm compute (Ghost BN)")

    let call: Invocation
    var interpreter: Interpreter { call.interpreter }

    private func model() throws(LabError) -> MLP {
        guard case .model(let m) = call[Self.model] else {
            throw LabError(.type, "\(call.command.name) needs a model from mlp(…), got \(call[Self.model].typeName)", at: call.locationOf(Self.model))
        }
        return m
    }

    func run() throws(LabError) -> Value {
        let net = try call.network(Self.model)
        guard case .dataset(let data) = call[Self.data] else {
            throw LabError(.type, "fit needs a data set such as spirals(300) or digits(), got \(call[Self.data].typeName)", at: call.locationOf(Self.data))
        }
        guard data.features == net.inputFeatures, data.classes <= net.outputFeatures else {
            throw LabError(.value, "\(data.name) has \(data.features) features and \(data.classes) classes, but the model takes "
                + "\(net.inputFeatures) inputs and gives \(net.outputFeatures) outputs: try \(net.suggestion(for: data))", at: call.locationOf(Self.data))
        }
        let (config, testFraction) = try TrainingOptions.read(call)
        let trained = try ghosted(net)
        // The trainer leaves the model it trains in training mode; `net` must say the same.
        defer { if trained !== net { net.training = trained.training } }
        var splitter = SeededGenerator(seed: config.seed)
        let (train, test) = try call.engine { () throws(TensorError) in try data.split(testFraction: testFraction, using: &splitter) }
        try call.engine { () throws(TensorError) in try Trainer.validate(trained, train: train, test: test, config: config) }
        let p = interpreter.formatter.precision
        let console = interpreter.console
        console.print(Narration.wrapProse("training \(net.trainingHeader) on \(train.count) samples of \(data.name), testing on \(test.count); "
                      + "batch \(config.batchSize)\(trained === net ? "" : " in ghost batches of \(call[Self.ghost] ?? 0)"), lr \(NumberFormat.shortest(config.learningRate)), momentum \(NumberFormat.shortest(config.momentum))", width: console.width))
        console.print(Narration.wrapProse("(train loss: the whole training set in eval mode after the epoch, the yardstick; "
            + "batch loss and batch acc: the means over the epoch's batches in training mode, as a training loop prints them)", width: console.width))
        // Printed row by row as epochs finish, so the columns are laid out here rather than by
        // a table; a window too narrow for the full names gets the short ones.
        let names = console.width > 61 ? ["epoch", "train loss", "batch loss", "batch acc", "test loss", "test acc"]
            : ["epoch", "train", "batch", "b.acc", "test", "t.acc"]
        let widths = names.enumerated().map { $0.offset == 0 ? 5 : max($0.element.count, p + 3, 6) }
        func row(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padded($1) }.joined(separator: "  ")
        }
        console.print(row(names))
        let result = try call.engine { () throws(TensorError) in
            try Trainer.train(trained, train: train, test: test, config: config, shouldStop: console.isInterrupted) { record in
                console.print(row([String(record.epoch), NumberFormat.fixed(record.trainEvalLoss ?? .nan, decimals: p),
                                   NumberFormat.fixed(record.trainLoss, decimals: p), NumberFormat.percent(record.trainAccuracy),
                                   NumberFormat.fixed(record.testLoss, decimals: p), NumberFormat.percent(record.testAccuracy)]))
            }
        }
        if let divergence = result.divergence {
            interpreter.warn("training diverged in epoch \(divergence.epoch): the first NaN/Inf appeared in \(divergence.layer); "
                             + "try a smaller lr or a batchnorm model", at: call.location)
        }
        if result.stoppedEarly { console.print("interrupted: the \(result.records.count) finished epochs are kept") }
        if call[Self.diagnostics], let last = result.records.last {
            console.print(Self.diagnosticsTable(last.diagnostics, precision: p, width: console.width))
            console.print(try activationHistograms(trained))
        }
        return .record(Self.record(result.records, updateRatios: result.updateRatios))
    }

    /// With `ghost:`, the same network (its very layers) with each BatchNorm normalizing over
    /// ghost batches: training it trains `net`.
    private func ghosted(_ model: any FitModel) throws(LabError) -> any FitModel {
        guard let size = call[Self.ghost] else { return model }
        guard let net = model as? MLP else {
            throw LabError(.value, "ghost batches are for an mlp with norm: \"batch\"; this is a \(model.trainingHeader)",
                           at: call.locationOf(Self.ghost))
        }
        guard net.normKind == .batch else {
            throw LabError(.value, "ghost batches split BatchNorm's statistics, and this network has \(net.normPlacement)",
                           at: call.locationOf(Self.ghost))
        }
        guard size >= 2 else {
            throw LabError(.value, "ghost must be at least 2 (BatchNorm cannot normalize one sample), got \(size)",
                           at: call.locationOf(Self.ghost))
        }
        return try call.engine { () throws(TensorError) in try net.withGhostBatches(of: size) }
    }

    /// Each hidden block's activations on the test set (the last forward pass, in eval mode), as in
    /// Karpathy's makemore part 3:
    /// saturated tanh units pile up at ±1, dead relus at 0.
    private func activationHistograms(_ net: any FitModel) throws(LabError) -> String {
        let renderer = HistogramRenderer(width: interpreter.console.width, glyphs: interpreter.glyphs, precision: 2)
        var parts: [String] = []
        // A deep net would print a histogram per layer; the first, a middle and the last tell the story.
        let outputs = net.blockActivationOutputs
        let count = outputs.count
        let chosen = count <= 3 ? Array(0..<count) : [0, count / 2, count - 1]
        for index in chosen {
            guard let activations = outputs[index], activations.count > 0 else { continue }
            let summary = ChannelSummary.summarize(activations.scalars[...])
            guard let histogram = try? Histogram(activations.scalars, bins: 8) else { continue }
            parts.append(renderer.render([.init(title: "block \(index + 1) activations on the test set: mean \(NumberFormat.fixed(summary.mean, decimals: 3)), "
                                                + "std \(NumberFormat.fixed(summary.std, decimals: 3))", histogram: histogram, expected: nil)]))
        }
        return parts.joined(separator: "\n")
    }

    /// The epochs' curves, and `update_ratio`: per step, per Linear (hidden blocks, then the output),
    /// std(lr·∇W) / std(W) after the step, shape (steps, layers), none when nothing was recorded.
    static func record(_ records: [EpochRecord], updateRatios: [[Double]] = []) -> Record {
        func series(_ key: (EpochRecord) -> Double) -> Value { .tensor(Tensor(vector: records.map { Float(key($0)) })) }
        let layers = updateRatios.first?.count ?? 0
        let ratios: Value = layers == 0 ? .none
            : (try? Tensor(shape: [updateRatios.count, layers], scalars: updateRatios.flatMap { $0.map(Float.init) })).map { .tensor($0) } ?? .none
        return Record([("loss", series { $0.trainEvalLoss ?? .nan }), ("batch_loss", series(\.trainLoss)), ("accuracy", series(\.trainAccuracy)),
                       ("test_loss", series(\.testLoss)), ("test_accuracy", series(\.testAccuracy)), ("update_ratio", ratios)])
    }

    /// One row per block, keyed "block N" so the table stays narrow; the blocks' layers are named
    /// once below it (runs of identical blocks share a line).
    static func diagnosticsTable(_ diagnostics: [LayerDiagnostics], precision p: Int, width: Int) -> String {
        var table = TextTable(header: ["block", "act mean", "act std", "saturated", "grad std", "update/data", "input shift"])
        var groups: [(first: Int, last: Int, layers: String)] = []
        for (index, d) in diagnostics.enumerated() {
            let number = index + 1
            table.rows.append([String(number), NumberFormat.fixed(d.activationMean, decimals: p), NumberFormat.fixed(d.activationStd, decimals: p),
                               NumberFormat.percent(d.saturatedFraction), NumberFormat.scientific(d.gradientStd, digits: 2),
                               NumberFormat.scientific(d.updateToDataRatio, digits: 2), NumberFormat.fixed(d.inputShift, decimals: p)])
            let layers = d.name.split(separator: ":", maxSplits: 1).last.map { String($0.dropFirst()) } ?? d.name
            if let lastGroup = groups.last, lastGroup.layers == layers { groups[groups.count - 1].last = number }
            else { groups.append((number, number, layers)) }
        }
        let names = groups.map { g in (g.first == g.last ? "block \(g.first)" : "blocks \(g.first)–\(g.last)") + ": " + g.layers }
        return table.render(width: width) + "\n" + Narration.wrapProse(names.joined(separator: "; "), width: width)
            + "\n" + Narration.wrap(diagnosticsLegend, width: width)
    }

    /// The three columns whose names do not explain themselves, in one line of 77 characters
    /// (LayerDiagnostics has the long form): the share of activations whose gradient vanishes,
    /// the step's size against the weights', and how far the block's input moved in the epoch.
    static let diagnosticsLegend = "saturated: ∇ ≈ 0; update/data: std(lr·∇W)/std(W); input shift: |Δmean|+|Δstd|"

    func fold() throws(LabError) -> Value {
        let net = try call.network(Self.foldModel)
        // Folding bakes in the running statistics, which only eval mode uses: a training-mode
        // network would change its outputs by being folded, so say so rather than fold it anyway.
        if net.training, !net.batchNormLayers.isEmpty {
            let name = call.displayName(Self.foldModel, fallback: "net")
            throw LabError(.value, "fold needs the network in eval mode, and \(name) is in training mode (where batchnorm "
                + "uses each batch's statistics, not the running ones folding bakes in): call eval(\(name)) first",
                           at: call.locationOf(Self.foldModel))
        }
        let folded: any FitModel, value: Value, norms: Int, shape: [Int]
        if let mlp = net as? MLP {
            let small = try call.engine { () throws(TensorError) in try Folding.fold(mlp) }
            (folded, value, shape) = (small, .model(small), [256, mlp.inputFeatures])
            norms = mlp.blocks.filter { $0.norm != nil }.count
        } else if let conv = net as? ConvNet {
            let small = try call.engine { () throws(TensorError) in try Folding.fold(conv) }
            (folded, value, shape) = (small, .module(small), [256] + conv.inputShape)
            norms = conv.blocks.filter { $0.norm != nil }.count
        } else {
            throw LabError(.type, "fold needs a model from mlp(…) or cnn(…)", at: call.locationOf(Self.foldModel))
        }
        let x = try call.engine { () throws(TensorError) in try Tensor.randn(shape, using: &call.interpreter.generator) }
        let (a, b) = try call.engine { () throws(TensorError) in
            (try net.forward(x, updatingRunningStatistics: false), try folded.forward(x, updatingRunningStatistics: false))
        }
        let difference = zip(a.scalars, b.scalars).map { abs(Double($0) - Double($1)) }.max() ?? 0
        let into = net is ConvNet ? "convolution" : "linear layer"
        interpreter.console.print(Narration.wrapProse("folded \(norms) batchnorm layer\(norms == 1 ? "" : "s") into the \(into) before each: "
            + "\(net.parameterCount) → \(folded.parameterCount) parameters, and no normalization left to compute at inference; "
            + "largest output difference on 256 random inputs: \(NumberFormat.scientific(difference, digits: 2))", width: interpreter.console.width))
        return value
    }
}

extension String {
    /// Right-aligned in `width` columns.
    func padded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
