import ArgumentParser
import BatchNormKit
import CMalloc
import LabShell
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `bnlab bench`: the kernels against the machine's floor, then start-up, peak memory and the
/// whole course measured on child processes of this same binary.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure BatchNorm, LayerNorm, histograms and training against this machine's memory floor.",
        discussion: """
        Each figure is the median of --runs runs after a warm-up, in this one process. '× floor' is the
        time over what a plain copy needs to move the same bytes. Compare with NumPy and PyTorch:
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
        BenchInterrupt.install()
        var options = BenchmarkSuite.Options()
        options.runs = quick ? 1 : runs
        options.quick = quick
        options.imageShape = try shape.map { text in
            let sizes = text.split(separator: ",").map { Int($0.filter { $0 != " " }) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--shape wants sizes separated by commas, e.g. 64,32,16,16; got '\(text)'")
            }
            return sizes.map { $0! }
        }
        var report = BenchmarkReport(threads: Parallelism.threads, runs: options.runs)
        let suite = BenchmarkSuite(options: options) { BenchInterrupt.requested.load(ordering: .relaxed) }
        let live = !json
        if live { print(header + "\n", terminator: "") }
        do throws(BenchmarkError) {
            // Child processes first, while this process is small: a spawned child's peak resident
            // size starts from its parent's until it execs, which would hide the child's own.
            try suite.checkMemory()
            let processResults = kernelsOnly ? [] : try processFigures(quick: quick)
            try suite.run { result in
                report.results.append(result)
                if live { print("  \(result.name) \(Tensor.describe(shape: result.shape)): \(formatMilliseconds(result.medianMilliseconds)) ms") }
            }
            report.results += processResults
        } catch {
            let message = "bnlab bench: \(error)\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            if case .interrupted = error { throw ExitCode(130) }
            throw ExitCode(1)
        }
        print(json ? report.json(version: "0.1.0") : "\n" + report.table(header: header))
    }

    var header: String {
        "bnlab bench — \(CPUName.read()), \(Parallelism.availableCores) cores, threads \(Parallelism.threads), "
            + "median of \(quick ? 1 : runs) runs after a warm-up"
    }

    /// Start-up, the first prompt, peak memory and the whole course, each on fresh child processes.
    func processFigures(quick: Bool) throws(BenchmarkError) -> [BenchmarkSuite.Result] {
        var results: [BenchmarkSuite.Result] = []
        let repeats = quick ? 1 : 21
        func stop() throws(BenchmarkError) { if BenchInterrupt.requested.load(ordering: .relaxed) { throw .interrupted } }

        var times: [Double] = []
        for _ in 0..<repeats {
            try stop()
            if let outcome = ChildProcess.run(["-c", "1"]) { times.append(outcome.milliseconds) }
        }
        if let row = summary("startup_c", times, note: "bnlab -c '1'") { results.append(row) }

        times = []
        for _ in 0..<(quick ? 1 : 11) {
            try stop()
            if let ms = ChildProcess.timeToFirstPrompt(prompt: "bnlab> ") { times.append(ms) }
        }
        if let row = summary("first_prompt", times, note: "readline prompt on a pseudo-terminal") { results.append(row) }

        let shape = quick ? "16, 64, 32, 32" : "256, 64, 32, 32"
        let input = quick ? 16 * 64 * 32 * 32 * 4 : 256 * 64 * 32 * 32 * 4
        try stop()
        if let base = ChildProcess.run(["-c", "1"]),
           let alone = ChildProcess.run(["-c", "x = randn(\(shape))"]),
           let forward = ChildProcess.run(["-c", "x = randn(\(shape)); bn = batchnorm(\(shape.split(separator: ",")[1].trimmingSpaces)); y = bn(x)"]) {
            let ratio = Double(forward.peakResidentBytes - base.peakResidentBytes) / Double(input)
            let xRatio = Double(alone.peakResidentBytes - base.peakResidentBytes) / Double(input)
            results.append(.init(name: "bn_train_peak_memory", shape: [], medianMilliseconds: forward.milliseconds,
                                 minimumMilliseconds: forward.milliseconds, bytes: 0,
                                 note: "peak \(formatRatio(ratio))× the input (making x alone: \(formatRatio(xRatio))×)"))
        }

        // --quick times only the first lesson: it checks the machinery, not the course.
        let lessons = Array(CourseFiles.paths().prefix(quick ? 1 : .max))
        if !lessons.isEmpty {
            times = []
            for _ in 0..<(quick ? 1 : 3) {
                var total = 0.0
                for path in lessons {
                    try stop()
                    guard let outcome = ChildProcess.run([], input: path), outcome.status == 0 else { total = .nan; break }
                    total += outcome.milliseconds
                }
                times.append(total)
            }
            if let row = summary("course_piped", times, note: "\(lessons.count) lessons, each piped into its own bnlab") {
                results.append(row)
            }
        }
        return results
    }

    private func summary(_ name: String, _ times: [Double], note: String) -> BenchmarkSuite.Result? {
        guard !times.isEmpty, times.allSatisfy(\.isFinite) else { return nil }
        let sorted = times.sorted()
        return .init(name: name, shape: [], medianMilliseconds: sorted[sorted.count / 2],
                     minimumMilliseconds: sorted[0], bytes: 0, note: note)
    }

    private func formatMilliseconds(_ x: Double) -> String { String(Double(Int(x * 100)) / 100) }
    private func formatRatio(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}

private extension Substring {
    var trimmingSpaces: String { String(self.filter { $0 != " " }) }
}

/// Ctrl-C during `bnlab bench`: stop between runs and exit 130.
enum BenchInterrupt {
    static let requested = Atomic<Bool>(false)

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in BenchInterrupt.requested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
    }
}

/// The processor's model name from /proc/cpuinfo ("unknown CPU" elsewhere).
enum CPUName {
    static func read() -> String {
        guard let file = fopen("/proc/cpuinfo", "r") else { return "unknown CPU" }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            if text.hasPrefix("model name"), let colon = text.firstIndex(of: ":") {
                return String(text[text.index(after: colon)...].drop { $0 == " " }.dropLast(while: { $0 == "\n" }))
            }
        }
        return "unknown CPU"
    }
}

private extension Substring {
    func dropLast(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
