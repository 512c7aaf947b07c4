import BatchNormKit

/// The shell's `bench`: the in-process part of `bnlab bench`, printed as a table; Ctrl-C stops it.
enum BenchmarkCommand {
    static func run(_ call: Invocation) throws(LabError) -> Value {
        let threads = call.integer("threads", default: 0), runs = call.integer("runs", default: 5)
        guard (0...256).contains(threads) else {
            throw LabError(.value, "threads must be from 0 (all cores) to 256, got \(threads)", at: call.locationOf("threads"))
        }
        guard (1...100).contains(runs) else {
            throw LabError(.value, "runs must be from 1 to 100, got \(runs)", at: call.locationOf("runs"))
        }
        let previous = Parallelism.threads
        Parallelism.setThreads(threads)
        defer { Parallelism.setThreads(previous) }
        var options = BenchmarkSuite.Options()
        options.runs = runs
        options.quick = call.bool("quick", default: false)
        let console = call.interpreter.console
        var report = BenchmarkReport(threads: Parallelism.threads, runs: runs)
        do throws(BenchmarkError) {
            try BenchmarkSuite(options: options, shouldStop: { console.isInterrupted() }).run { report.results.append($0) }
        } catch {
            if case .interrupted = error { throw LabError.interrupted.located(at: call.location) }
            throw LabError(.limit, error.description, at: call.location)
        }
        console.print(report.table(header: "bench: threads \(Parallelism.threads), median of \(runs) runs "
            + "(start-up, peak memory and the course: bnlab bench)"))
        return .none
    }
}
