import BatchNormKit
import BenchmarkKit

extension CommandTable {
    /// The shell's `bench`: the in-process part of `bnlab bench` (BenchmarkKit), as a table.
    static var benchCommands: [CommandSpec] {
        [
            CommandSpec("bench", "time BatchNorm, LayerNorm and a histogram against this machine's copy speed (bnlab bench does more)", brief: "time the norm kernels against this machine's copy speed",
                        example: "bench(threads: 1)",
                        options: [BenchmarkCommand.threads, BenchmarkCommand.runs, BenchmarkCommand.quick],
                        commandForm: true) { call throws(LabError) in
                try BenchmarkCommand.run(call)
            },
        ]
    }
}

/// `bench` at the prompt: the kernels only, printed as a table; Ctrl-C stops it.
enum BenchmarkCommand {
    static let threads = Param.integer("threads", default: 0, "threads for the large kernels (0: all cores)")
    static let runs = Param.integer("runs", default: 5, "timed runs per operation (1 to 100)")
    static let quick = Param.bool("quick", default: false, "tiny shapes: checks that it runs, measures nothing")

    static func run(_ call: Invocation) throws(LabError) -> Value {
        let threads = call[Self.threads], runs = call[Self.runs]
        guard (0...256).contains(threads) else {
            throw LabError(.value, "threads must be from 0 (all cores) to 256, got \(threads)", at: call.locationOf(Self.threads))
        }
        guard (1...100).contains(runs) else {
            throw LabError(.value, "runs must be from 1 to 100, got \(runs)", at: call.locationOf(Self.runs))
        }
        let previous = Parallelism.threads
        Parallelism.setThreads(threads)
        defer { Parallelism.setThreads(previous) }
        var options = BenchmarkSuite.Options.shipped(call.interpreter.configuration)
        options.runs = runs
        options.quick = call[Self.quick]
        let console = call.interpreter.console
        var report = BenchmarkReport(threads: Parallelism.threads, runs: runs)
        do throws(BenchmarkError) {
            try BenchmarkSuite(options: options, shouldStop: { console.isInterrupted() }).run { report.results.append($0) }
        } catch {
            if case .interrupted = error { throw LabError.interrupted.located(at: call.location) }
            throw LabError(.limit, error.description, at: call.location)
        }
        console.print(report.table(header: "bench: threads \(Parallelism.threads), median of \(runs) runs "
            + "(start-up, peak memory and the course: bnlab bench)", width: console.width))
        return .none
    }
}

extension BenchmarkSuite.Options {
    /// The default options, with the data bnlab ships (the digits, for the training epoch).
    public static func shipped(_ configuration: SessionConfiguration) -> Self {
        var options = Self()
        options.digitsPath = configuration.dataFile("digits/digits.csv")
        return options
    }
}

extension BenchmarkReport {
    /// The report as an aligned table, one row per operation, drawn by the shell's one table renderer.
    /// With `width`, a table wider than the window stacks its columns.
    public func table(header: String, width: Int? = nil) -> String {
        var table = TextTable(header: ["operation", "shape", "median ms", "min ms", "GB/s", "× floor", "target", "met", "note"])
        for result in results {
            let (targetText, met) = target(result)
            table.rows.append([
                result.name, result.shape.isEmpty ? "" : Tensor.describe(shape: result.shape),
                NumberFormat.fixed(result.medianMilliseconds, decimals: 2), NumberFormat.fixed(result.minimumMilliseconds, decimals: 2),
                gigabytesPerSecond(result).map { NumberFormat.fixed($0, decimals: 1) } ?? "",
                floorRatio(result).map { NumberFormat.fixed($0, decimals: 2) } ?? "",
                targetText, met.map { $0 ? "yes" : "NO" } ?? "", result.note,
            ])
        }
        return header + "\n" + table.render(width: width)
    }
}
