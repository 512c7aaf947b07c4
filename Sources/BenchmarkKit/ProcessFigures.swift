/// The figures `bnlab bench` takes on fresh child processes of the executable: start-up, the
/// first prompt on a pseudo-terminal, peak memory of a forward pass, and the whole course piped.
struct ProcessFigures {
    let executable: String
    /// The course's lesson files in order; none: no course row.
    let lessons: [String]
    let quick: Bool
    let shouldStop: () -> Bool

    func measure() throws(BenchmarkError) -> [BenchmarkSuite.Result] {
        var results: [BenchmarkSuite.Result] = []
        let repeats = quick ? 1 : 21
        func stop() throws(BenchmarkError) { if shouldStop() { throw .interrupted } }

        var times: [Double] = []
        for _ in 0..<repeats {
            try stop()
            if let outcome = ChildProcess.run(executable, ["-c", "1"]) { times.append(outcome.milliseconds) }
        }
        if let row = summary("startup_c", times, note: "bnlab -c '1'") { results.append(row) }

        times = []
        for _ in 0..<(quick ? 1 : 11) {
            try stop()
            if let ms = ChildProcess.timeToFirstPrompt(executable, prompt: "bnlab> ") { times.append(ms) }
        }
        if let row = summary("first_prompt", times, note: "readline prompt on a pseudo-terminal") { results.append(row) }

        let shape = quick ? "16, 64, 32, 32" : "256, 64, 32, 32"
        let input = quick ? 16 * 64 * 32 * 32 * 4 : 256 * 64 * 32 * 32 * 4
        try stop()
        if let base = ChildProcess.run(executable, ["-c", "1"]),
           let alone = ChildProcess.run(executable, ["-c", "x = randn(\(shape))"]),
           let forward = ChildProcess.run(executable, ["-c", "x = randn(\(shape)); bn = batchnorm(\(shape.split(separator: ",")[1].trimmingSpaces)); y = bn(x)"]) {
            let ratio = Double(forward.peakResidentBytes - base.peakResidentBytes) / Double(input)
            let xRatio = Double(alone.peakResidentBytes - base.peakResidentBytes) / Double(input)
            results.append(.init(name: "bn_train_peak_memory", shape: [], medianMilliseconds: forward.milliseconds,
                                 minimumMilliseconds: forward.milliseconds, bytes: 0,
                                 note: "peak \(formatRatio(ratio))× the input (making x alone: \(formatRatio(xRatio))×)"))
        }

        // --quick times only the first lesson: it checks the machinery, not the course.
        let lessons = Array(self.lessons.prefix(quick ? 1 : .max))
        if !lessons.isEmpty {
            times = []
            for _ in 0..<(quick ? 1 : 3) {
                var total = 0.0
                for path in lessons {
                    try stop()
                    guard let outcome = ChildProcess.run(executable, [], input: path), outcome.status == 0 else { total = .nan; break }
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

    private func formatRatio(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}

private extension Substring {
    var trimmingSpaces: String { String(self.filter { $0 != " " }) }
}
