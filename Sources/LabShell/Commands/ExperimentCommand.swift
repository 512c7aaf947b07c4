import BatchNormKit

extension CommandTable {
    static var experimentCommands: [CommandSpec] {
        [
            CommandSpec("experiment", "test one of the article's claims over several paired seeds, each arm at its own "
                        + "tuned learning rate, and return the verdict as a record: " + ExperimentCatalogue.names.joined(separator: ", "),
                        brief: "test one of the article's claims over paired seeds",
                        example: "r = experiment(\"bn\")",
                        positional: [ExperimentCommand.name], options: [ExperimentCommand.data, ExperimentCommand.epochs, ExperimentCommand.seeds, ExperimentCommand.seed],
                        commandForm: true) { call throws(LabError) in
                try ExperimentCommand(call: call).run()
            },
        ]
    }
}

/// `experiment(NAME)`: runs one of the kit's experiments with the learner's options, shows a
/// progress line on a terminal, renders the result (tables, curves, verdict, findings) and
/// returns it as a record for `check`.
struct ExperimentCommand {
    static let name = Param<String?>.word("name", "which claim; left out, the list", choices: ExperimentCatalogue.names)
    static let dataSets = ["spirals", "moons", "blobs", "digits"]
    static let data = Param.string("data", default: "spirals", "\"spirals\", \"moons\", \"blobs\" or \"digits\"", choices: dataSets)
    static let epochs = Param.integer("epochs", default: ExperimentOptions().epochs, "epochs per training run (1–200)")
    static let seeds = Param.integer("seeds", default: ExperimentOptions().seeds, "paired seeds (1–50); more seeds, a surer verdict")
    static let seed = Param.integer("seed", default: Int(ExperimentOptions().firstSeed), "the first seed; the others follow it")

    let call: Invocation
    var interpreter: Interpreter { call.interpreter }

    func run() throws(LabError) -> Value {
        let name = call[Self.name] ?? ""
        let console = interpreter.console
        guard !name.isEmpty else {
            console.print("experiments (r = experiment(\"NAME\")):\n"
                + TextTable(rows: ExperimentCatalogue.all.map { ["  " + $0.name, $0.summary] }, alignNumbers: false).render(width: console.width))
            return .none
        }
        guard let experiment = ExperimentCatalogue.named(name) else {
            throw LabError(.name, Suggestions.message("no experiment '\(name)'", closestTo: name, in: ExperimentCatalogue.names,
                                                      then: "there are: " + ExperimentCatalogue.names.joined(separator: ", ")),
                           at: call.locationOf(Self.name))
        }
        var options = ExperimentOptions()
        options.seeds = try bounded(Self.seeds, ExperimentOptions.seedCountRange)
        options.epochs = try bounded(Self.epochs, ExperimentOptions.epochRange)
        let first = call[Self.seed]
        guard first >= 0 else { throw LabError(.value, "experiment: seed must be ≥ 0, got \(first)", at: call.locationOf(Self.seed)) }
        options.firstSeed = UInt64(first)
        let data = try dataset(seed: options.firstSeed, preferred: experiment.preferredData)
        let progress = ProgressLine(console: console, label: "experiment \(name)")
        let context = ExperimentContext(data: data, options: options, shouldStop: console.isInterrupted,
                                        progress: { done, total in progress.update(done: done, total: total) })
        let result = try call.engine { () throws(TensorError) in try experiment.run(context) }
        progress.finish()
        guard result.seeds > 0 else { throw LabError.interrupted.located(at: call.location) }
        console.print(ExperimentReport(result: result, width: console.width, precision: interpreter.formatter.precision,
                                       glyphs: interpreter.glyphs).render())
        return .record(ExperimentRecord.make(result))
    }

    /// An option that must lie in `range`: outside it is an error naming the range, never a silent clamp.
    private func bounded(_ option: Param<Int>, _ range: ClosedRange<Int>) throws(LabError) -> Int {
        let value = call[option]
        guard range.contains(value) else {
            throw LabError(.value, "experiment: \(option.name) must be from \(range.lowerBound) to \(range.upperBound), got \(value)",
                           at: call.locationOf(option))
        }
        return value
    }

    /// The data set named by `data:`, else the one the experiment prefers, else the default.
    private func dataset(seed: UInt64, preferred: String?) throws(LabError) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        let which = (call.given(Self.data) ?? preferred ?? call[Self.data]).lowercased()
        switch which {
        case "spirals": return try call.engine { () throws(TensorError) in try Dataset.spirals(samples: 600, using: &generator) }
        case "moons": return try call.engine { () throws(TensorError) in try Dataset.moons(samples: 600, using: &generator) }
        case "blobs": return try call.engine { () throws(TensorError) in try Dataset.blobs(samples: 600, using: &generator) }
        case "digits":
            let digits: Dataset
            do throws(DataFileError) { digits = try Dataset.digits(path: interpreter.configuration.dataFile("digits/digits.csv")) } catch {
                throw LabError(error, at: call.locationOf(Self.data))
            }
            return try call.engine { () throws(TensorError) in try digits.images([1, 8, 8]) }
        default:
            let hint = Suggestions.closest(to: which, in: Self.dataSets).map { " — did you mean \"\($0)\"?" } ?? ""
            throw LabError(.value, "data must be \"spirals\", \"moons\", \"blobs\" or \"digits\", got \"\(which)\"\(hint)", at: call.locationOf(Self.data))
        }
    }
}
