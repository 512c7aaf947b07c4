import BatchNormKit

extension CommandTable {
    static var experimentCommands: [CommandSpec] {
        [
            CommandSpec("experiment", "run one of the article's claims as an experiment and print the evidence: "
                        + Experiments.names.joined(separator: ", "),
                        example: "experiment(\"bn\")",
                        positional: [.init("name", .word, default: "", "which claim; empty lists them")],
                        options: [.init("data", .string, default: "\"spirals\"", "\"spirals\", \"moons\", \"blobs\" or \"digits\""),
                                  .init("epochs", .integer, default: "10", "epochs per training run"),
                                  .init("seed", .integer, default: "0", "seed for data, weights and shuffling")],
                        commandForm: true) { call throws(LabError) in
                try Experiments(call: call).run()
            },
        ]
    }
}

/// The training experiments behind the article's claims. Each trains small networks with and
/// without BatchNorm under one seed, prints the figures, and states what they show, computed
/// from those figures rather than asserted.
struct Experiments {
    static let catalogue: [(name: String, claim: String)] = [
        ("bn", "BatchNorm trains faster: loss and accuracy per epoch with and without it"),
        ("lr", "less sensitive to the learning rate: final loss for a sweep of rates"),
        ("init", "less dependent on initialization: final loss for a sweep of weight scales"),
        ("depth", "allows deeper networks: which depths still train, and their first-layer gradients"),
        ("batch", "suffers with small batches: noise of batch statistics, and BN vs GroupNorm vs LayerNorm accuracy"),
        ("gap", "needs moving averages at inference: accuracy with good, stale, or no running statistics"),
        ("regularization", "regularizes: train vs test accuracy with and without it"),
        ("shift", "reduces internal covariate shift: how much each layer's input moves, next to the loss"),
        ("freeze", "the fine-tuning bug: frozen γ/β but training mode still moves the running statistics"),
    ]
    static var names: [String] { catalogue.map(\.name) }

    let call: Invocation
    var interpreter: Interpreter { call.interpreter }
    var p: Int { interpreter.formatter.precision }
    var seed: UInt64 { UInt64(max(0, call.integer("seed", default: 0))) }
    var epochs: Int { max(1, min(1000, call.integer("epochs", default: 10))) }

    func run() throws(LabError) -> Value {
        let name = call.string("name") ?? ""
        guard !name.isEmpty else {
            interpreter.console.print("experiments (experiment(\"NAME\")):\n"
                + TextTable(rows: Self.catalogue.map { ["  " + $0.name, $0.claim] }, alignNumbers: false).render(width: interpreter.console.width))
            return .none
        }
        guard let entry = Self.catalogue.first(where: { $0.name == name }) else {
            let hint = Suggestions.closest(to: name, in: Self.names).map { " — did you mean '\($0)'?" } ?? ""
            throw LabError(.name, "no experiment '\(name)'\(hint); there are: " + Self.names.joined(separator: ", "), at: call.locationOf("name"))
        }
        let data = try dataset()
        let width = interpreter.console.width
        interpreter.console.print(Narration.wrapProse("experiment \(name): \(entry.claim)\n(data \(data.name), \(data.count) samples; seed \(seed))", width: width))
        let text: String
        switch name {
        case "bn": text = try withAndWithout(data)
        case "lr": text = try sweep(data, label: "lr", values: [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]) { c, v in c.learningRate = v }
        case "init": text = try sweep(data, label: "init", values: [0.01, 0.1, 0.5, 1, 2, 5, 10], initScale: true) { _, _ in }
        case "depth": text = try depth(data)
        case "batch": text = try ExperimentsBatch(base: self).run(data)
        case "gap": text = try ExperimentsInference(base: self).gap(data)
        case "regularization": text = try regularization(data)
        case "shift": text = try shift(data)
        default: text = try ExperimentsInference(base: self).freeze(data)
        }
        interpreter.console.print(Narration.wrapProse(text, width: width))
        return .none
    }

    // MARK: - Shared machinery

    func dataset() throws(LabError) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let which = (call.string("data") ?? "spirals").lowercased()
        switch which {
        case "spirals": return try call.engine { () throws(TensorError) in try Dataset.spirals(samples: 600, using: &generator) }
        case "moons": return try call.engine { () throws(TensorError) in try Dataset.moons(samples: 600, using: &generator) }
        case "blobs": return try call.engine { () throws(TensorError) in try Dataset.blobs(samples: 600, using: &generator) }
        case "digits":
            do throws(DataFileError) { return try Dataset.digits(path: DataFolder.path("digits/digits.csv")) } catch {
                throw LabError(error, at: call.locationOf("data"))
            }
        default:
            throw LabError(.value, "data must be \"spirals\", \"moons\", \"blobs\" or \"digits\", got \"\(which)\"", at: call.locationOf("data"))
        }
    }

    struct Run {
        let model: MLP
        let result: TrainingResult
        let trainSet: Dataset
        var final: EpochRecord? { result.records.last }
        var finalLoss: String {
            if let d = result.divergence { return "diverged (epoch \(d.epoch))" }
            return final.map { formatFixed($0.trainLoss, decimals: 3) } ?? "—"
        }
    }

    /// Trains a fresh model on a seeded split; every run of one experiment sees the same data and shuffles.
    func train(_ data: Dataset, hidden: [Int] = [64, 64], norm: NormKind, act: Activation = .relu, initScale: Double = 1,
               testFraction: Double = 0.2, configure: (inout TrainingConfig) -> Void = { _ in },
               prepare: (MLP) -> Void = { _ in }) throws(LabError) -> (run: Run, train: Dataset, test: Dataset) {
        var generator = SeededGenerator(seed: seed)
        let (trainSet, testSet) = try call.engine { () throws(TensorError) in try data.split(testFraction: testFraction, using: &generator) }
        var config = TrainingConfig()
        config.epochs = epochs
        config.seed = seed
        configure(&config)
        let model = try call.engine { () throws(TensorError) in
            try MLP(sizes: [data.features] + hidden + [data.classes], norm: norm, activation: act, initScale: initScale, using: &generator)
        }
        prepare(model)
        let result = try call.engine { () throws(TensorError) in
            try Trainer.train(model, train: trainSet, test: testSet, config: config, shouldStop: interpreter.console.isInterrupted)
        }
        if result.stoppedEarly { throw LabError.interrupted.located(at: call.location) }
        return (Run(model: model, result: result, trainSet: trainSet), trainSet, testSet)
    }

    /// Trains independent models side by side on the cores (each has its own data split, seed and
    /// model, so the runs are the ones a plain loop makes); the first failure, in job order, is thrown.
    func trainAll(_ jobs: [TrainingJob]) throws(LabError) -> [Run] {
        let outcomes = Parallelism.runIndependent(jobs.count) { index -> Result<Run, LabError> in
            let job = jobs[index]
            do throws(LabError) {
                return .success(try train(job.data, hidden: job.hidden, norm: job.norm, act: job.activation,
                                          initScale: job.initScale, testFraction: job.testFraction, configure: job.configure).run)
            } catch {
                return .failure(error)
            }
        }
        var runs: [Run] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let run): runs.append(run)
            case .failure(let error): throw error
            }
        }
        return runs
    }

    /// One training of a sweep: what `train` needs, so a list of them can run side by side.
    struct TrainingJob {
        let data: Dataset
        var hidden = [64, 64]
        let norm: NormKind
        var activation: Activation = .relu
        var initScale = 1.0
        var testFraction = 0.2
        var configure: (inout TrainingConfig) -> Void = { _ in }
    }

    func percent(_ v: Double) -> String { CommandTable.percent(v) }
    func fixed(_ v: Double) -> String { formatFixed(v, decimals: p) }

    // MARK: - Experiments

    private func withAndWithout(_ data: Dataset) throws(LabError) -> String {
        let runs = try trainAll([TrainingJob(data: data, norm: .none), TrainingJob(data: data, norm: .batch)])
        let (plain, bn) = (runs[0], runs[1])
        var table = TextTable(header: ["epoch", "loss (no norm)", "loss (BN)", "test acc (no norm)", "test acc (BN)"])
        for (a, b) in zip(plain.result.records, bn.result.records) {
            table.rows.append([String(a.epoch), fixed(a.trainLoss), fixed(b.trainLoss), percent(a.testAccuracy), percent(b.testAccuracy)])
        }
        let glyphs = interpreter.glyphs
        let losses = (plain.result.records + bn.result.records).map(\.trainLoss)
        let (low, high) = (losses.min() ?? 0, losses.max() ?? 1)
        var text = table.render() + "\n"
        text += "loss, no norm  " + glyphs.sparkline(plain.result.records.map(\.trainLoss), low: low, high: high) + "\n"
        text += "loss, BN       " + glyphs.sparkline(bn.result.records.map(\.trainLoss), low: low, high: high) + "\n"
        if let a = plain.final, let b = bn.final {
            let faster = firstEpoch(bn.result.records, below: a.trainLoss)
            text += b.trainLoss < a.trainLoss
                ? "holds here: after \(a.epoch) epoch\(a.epoch == 1 ? "" : "s") BN's training loss is \(fixed(b.trainLoss)) against \(fixed(a.trainLoss)) without"
                    + (faster.map { "; BN got below the final no-norm loss by epoch \($0)" } ?? "")
                : "does not hold here: without BN the training loss ends lower (\(fixed(a.trainLoss)) vs \(fixed(b.trainLoss))); try lr: see experiment(\"lr\")"
        }
        return text
    }

    private func firstEpoch(_ records: [EpochRecord], below loss: Double) -> Int? {
        records.first { $0.trainLoss <= loss }?.epoch
    }

    private func sweep(_ data: Dataset, label: String, values: [Double], initScale: Bool = false,
                       set: @escaping (inout TrainingConfig, Double) -> Void) throws(LabError) -> String {
        var table = TextTable(header: [label, "final loss (no norm)", "final loss (BN)", "test acc (no norm)", "test acc (BN)"])
        var good = (plain: [Double](), bn: [Double]())
        let chance = log(Double(data.classes))
        let runs = try trainAll(values.flatMap { v in
            [NormKind.none, .batch].map { norm in
                TrainingJob(data: data, norm: norm, initScale: initScale ? v : 1, configure: { set(&$0, v) })
            }
        })
        for (index, v) in values.enumerated() {
            let (plain, bn) = (runs[2 * index], runs[2 * index + 1])
            table.rows.append([Value.format(number: v), plain.finalLoss, bn.finalLoss,
                               plain.final.map { percent($0.testAccuracy) } ?? "—", bn.final.map { percent($0.testAccuracy) } ?? "—"])
            if plain.result.divergence == nil, let f = plain.final, f.trainLoss < 0.5 * chance { good.plain.append(v) }
            if bn.result.divergence == nil, let f = bn.final, f.trainLoss < 0.5 * chance { good.bn.append(v) }
        }
        func range(_ list: [Double]) -> String {
            guard let low = list.first, let high = list.last else { return "none" }
            return "\(list.count) of \(values.count) (\(Value.format(number: low)) to \(Value.format(number: high)))"
        }
        return table.render() + "\nsettings that trained (final loss below half the chance level \(fixed(chance))): "
            + "no norm \(range(good.plain)), BN \(range(good.bn)) — "
            + (good.bn.count > good.plain.count ? "BN tolerates a wider range here" : good.bn.count == good.plain.count ? "the same range here" : "no norm tolerates a wider range here")
    }

    private func depth(_ data: Dataset) throws(LabError) -> String {
        var table = TextTable(header: ["hidden layers", "final loss (no norm)", "first-layer grad std (no norm)", "final loss (BN)", "first-layer grad std (BN)"])
        var healthy = (plain: [Int](), bn: [Int]())
        let chance = log(Double(data.classes))
        let depths = [2, 4, 8, 16, 24]
        // Deepest first: the longest jobs start at once and the short ones fill in behind them.
        let jobs = depths.reversed().flatMap { layers in
            [NormKind.none, .batch].map { norm in
                TrainingJob(data: data, hidden: Array(repeating: 32, count: layers), norm: norm, activation: .tanh)
            }
        }
        let runs = Array(try trainAll(jobs).reversed())
        for (index, layers) in depths.enumerated() {
            let (plain, bn) = (runs[2 * index + 1], runs[2 * index])
            func grad(_ r: Run) -> String { r.final?.diagnostics.first.map { formatScientific($0.gradientStd, digits: 2) } ?? "—" }
            table.rows.append([String(layers), plain.finalLoss, grad(plain), bn.finalLoss, grad(bn)])
            if plain.result.divergence == nil, let f = plain.final, f.trainLoss < 0.8 * chance { healthy.plain.append(layers) }
            if bn.result.divergence == nil, let f = bn.final, f.trainLoss < 0.8 * chance { healthy.bn.append(layers) }
        }
        return table.render() + "\n(tanh, 32 units per layer, lr 0.1) depths that trained (loss below 0.8 × chance): no norm "
            + (healthy.plain.map(String.init).joined(separator: ", ").nonEmpty ?? "none") + "; BN "
            + (healthy.bn.map(String.init).joined(separator: ", ").nonEmpty ?? "none")
    }

    private func regularization(_ data: Dataset) throws(LabError) -> String {
        let runs = try trainAll([TrainingJob(data: data, norm: .none, testFraction: 0.5),
                                 TrainingJob(data: data, norm: .batch, testFraction: 0.5)])
        let (plain, bn) = (runs[0], runs[1])
        // Both accuracies in eval mode at the end: the running train accuracy of an epoch mixes
        // earlier weights and (for BN) batch statistics, which would make the gap meaningless.
        var table = TextTable(header: ["", "train acc", "test acc", "gap"])
        var gaps: [Double] = []
        for (label, run) in [("no norm", plain), ("BN", bn)] {
            let trainAccuracy = try call.engine { () throws(TensorError) in try Trainer.evaluate(run.model, on: run.trainSet) }.accuracy
            let testAccuracy = run.final?.testAccuracy ?? .nan
            gaps.append(trainAccuracy - testAccuracy)
            table.rows.append([label, percent(trainAccuracy), percent(testAccuracy), percent(trainAccuracy - testAccuracy)])
        }
        let (gapA, gapB) = (gaps[0], gaps[1])
        return table.render() + "\n(half the data held out) " + (gapB < gapA
            ? "BN's train–test gap is smaller (\(percent(gapB)) vs \(percent(gapA))): consistent with a regularizing effect from batch noise"
            : "BN's gap is not smaller here (\(percent(gapB)) vs \(percent(gapA))): no regularizing effect shows on this data")
    }

    private func shift(_ data: Dataset) throws(LabError) -> String {
        let runs = try trainAll([TrainingJob(data: data, norm: .none), TrainingJob(data: data, norm: .batch)])
        let (plain, bn) = (runs[0], runs[1])
        func meanShift(_ r: EpochRecord) -> Double {
            let inner = r.diagnostics.dropFirst()  // block 1's input is the data itself
            return inner.isEmpty ? 0 : inner.map(\.inputShift).reduce(0, +) / Double(inner.count)
        }
        var table = TextTable(header: ["epoch", "loss (no norm)", "input shift (no norm)", "loss (BN)", "input shift (BN)"])
        for (a, b) in zip(plain.result.records, bn.result.records) {
            table.rows.append([String(a.epoch), fixed(a.trainLoss), fixed(meanShift(a)), fixed(b.trainLoss), fixed(meanShift(b))])
        }
        let totalA = plain.result.records.map(meanShift).reduce(0, +), totalB = bn.result.records.map(meanShift).reduce(0, +)
        return table.render() + "\ninput shift = mean over hidden blocks 2… of |Δmean| + |Δstd| of the block's input since the last epoch. "
            + "Summed over training: no norm \(fixed(totalA)), BN \(fixed(totalB)). "
            + "Santurkar et al. (2018) showed BN networks train well even with shift injected after BN on purpose, "
            + "and credit BN with a smoother loss landscape instead: compare experiment(\"lr\")."
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
