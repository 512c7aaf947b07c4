import BatchNormKit

/// All of `bnlab bench`: the kernels against the machine's floor, then start-up, the first
/// prompt, peak memory and the whole course measured on child processes of `executable`.
public struct BenchmarkRun {
    public var options: BenchmarkSuite.Options
    /// False: only the in-process kernels (`--kernels-only`).
    public var processFigures = true
    /// The course's lesson files, for the course row.
    public var lessons: [String] = []
    /// The `bnlab` binary the child processes run: this process's own by default.
    public var executable = ChildProcess.currentExecutable
    public let shouldStop: () -> Bool

    public init(options: BenchmarkSuite.Options, shouldStop: @escaping () -> Bool = { false }) {
        self.options = options
        self.shouldStop = shouldStop
    }

    /// The table's first line: the machine, the threads and the runs.
    public var header: String {
        "bnlab bench — \(CPUName.read()), \(Parallelism.availableCores) cores, \(VectorExtensions.current), threads \(Parallelism.threads), "
            + "median of \(options.runs) runs after a warm-up"
    }

    /// Measures everything, calling `progress` as each kernel finishes; refuses shapes that cannot
    /// fit before any work.
    public func run(progress: (BenchmarkSuite.Result) -> Void = { _ in }) throws(BenchmarkError) -> BenchmarkReport {
        var report = BenchmarkReport(threads: Parallelism.threads, runs: options.runs)
        let suite = BenchmarkSuite(options: options, shouldStop: shouldStop)
        // Child processes first, while this process is small: a spawned child's peak resident
        // size starts from its parent's until it execs, which would hide the child's own.
        try suite.checkMemory()
        let processResults = processFigures
            ? try ProcessFigures(executable: executable, lessons: lessons, quick: options.quick, shouldStop: shouldStop).measure()
            : []
        try suite.run { result in
            report.results.append(result)
            progress(result)
        }
        report.results += processResults
        return report
    }

    /// One kernel's line while the run goes on: `  bn_train (256, 64, 32, 32): 11.67 ms`.
    public static func progressLine(_ result: BenchmarkSuite.Result) -> String {
        "  \(result.name) \(Tensor.describe(shape: result.shape)): \(String(Double(Int(result.medianMilliseconds * 100)) / 100)) ms"
    }
}
