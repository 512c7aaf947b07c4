import ArgumentParser
import BatchNormKit
import BenchmarkKit
import CMalloc
import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// `bnlab bench`: its flags. What it measures and reports is `BenchmarkRun` (BenchmarkKit); the
/// table is LabShell's.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure BatchNorm, LayerNorm, histograms and training against this machine's memory floor.",
        usage: "bnlab bench [OPTIONS]",
        discussion: """
        Each figure is the median of --runs runs after a warm-up, in this one process. '× floor' is the \
        time over what a plain copy needs to move the same bytes. Compare with NumPy and PyTorch: \
        python3 bench/compare.py (see bench/README.md). Ctrl-C stops between runs.
        """
    )

    @Option(help: ArgumentHelp("Threads for the large kernels (default: all cores).", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp("Timed runs per operation.", valueName: "N"))
    var runs = 7

    @Flag(help: "Print JSON (what bench/compare.py reads) instead of the table.")
    var json = false

    @Flag(help: "Tiny shapes and one run: checks that everything runs, measures nothing.")
    var quick = false

    @Option(help: ArgumentHelp("Another image batch for the kernels, e.g. 64,32,16,16 (default 256,64,32,32).", valueName: "N,C[,H,W]"))
    var shape: String?

    @Flag(help: "Only the in-process kernels: skip start-up, peak memory and the course.")
    var kernelsOnly = false

    mutating func validate() throws {
        guard runs >= 1, runs <= 1000 else { throw ValidationError("--runs must be from 1 to 1000") }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be from 1 to 256") }
    }

    mutating func run() throws {
        _ = bnlab_keep_freed_buffers()
        if let threads { Parallelism.setThreads(threads) }
        if let limit = ProcessInfoLite.environment("BNLAB_MAX_ELEMENTS").flatMap({ Int($0) }), limit > 0 {
            TensorLimits.maxElements = limit
        }
        BenchmarkInterrupt.install()
        let configuration = SessionConfiguration.locate()
        var options = BenchmarkSuite.Options.shipped(configuration)
        options.runs = quick ? 1 : runs
        options.quick = quick
        options.imageShape = try shape.map { text in
            let sizes = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--shape wants sizes separated by commas, e.g. 64,32,16,16; got '\(text)'")
            }
            return sizes.map { $0! }
        }
        var benchmark = BenchmarkRun(options: options) { BenchmarkInterrupt.isRequested }
        benchmark.processFigures = !kernelsOnly
        benchmark.lessons = CourseFiles.paths(configuration)
        let live = !json
        if live { print(benchmark.header + "\n", terminator: "") }
        do throws(BenchmarkError) {
            let report = try benchmark.run { result in
                if live { print(BenchmarkRun.progressLine(result)) }
            }
            print(json ? report.json() : "\n" + report.table(header: benchmark.header))
        } catch {
            let message = "bnlab bench: \(error)\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            if case .interrupted = error { throw ExitCode(130) }
            throw ExitCode(1)
        }
    }
}
