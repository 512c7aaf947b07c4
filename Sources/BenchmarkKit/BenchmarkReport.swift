import BatchNormKit

/// `BenchmarkSuite` results with each operation's distance from the machine's floor and the
/// issue's target beside it, as JSON for bench/compare.py; LabShell draws them as a table.
public struct BenchmarkReport {
    public var results: [BenchmarkSuite.Result] = []
    public let threads: Int
    public let runs: Int

    public init(threads: Int, runs: Int) {
        self.threads = threads
        self.runs = runs
    }

    /// The floor: bytes per millisecond of the plain copy into a buffer that already exists.
    public var floorBytesPerMillisecond: Double? {
        results.first { $0.name == "copy" }.map { Double($0.bytes) / $0.medianMilliseconds }
    }

    public func floorRatio(_ result: BenchmarkSuite.Result) -> Double? {
        guard result.bytes > 0, let floor = floorBytesPerMillisecond else { return nil }
        return result.medianMilliseconds / (Double(result.bytes) / floor)
    }

    public func gigabytesPerSecond(_ result: BenchmarkSuite.Result) -> Double? {
        result.bytes > 0 ? Double(result.bytes) / result.medianMilliseconds / 1e6 : nil
    }

    /// The target for an operation, and whether this run met it.
    public func target(_ result: BenchmarkSuite.Result) -> (text: String, met: Bool?) {
        let ratio = floorRatio(result)
        let is4D = result.shape.count == 4
        switch result.name {
        case "copy": return ("the floor", nil)
        case "bn_train" where is4D: return ("≤ 1.5× floor", ratio.map { $0 <= 1.5 })
        // The targets name the (256, 64, 32, 32) image batch; the (N, C) rows are for comparison.
        case "bn_eval" where is4D: return ("≤ 1.3× floor", ratio.map { $0 <= 1.3 })
        case "bn_backward" where is4D:
            let train = results.first { $0.name == "bn_train" && $0.shape == result.shape }
            return ("≤ 2× bn_train", train.map { result.medianMilliseconds <= 2 * $0.medianMilliseconds })
        case "hist50": return ("≤ 2× floor", ratio.map { $0 <= 2 })
        case "scale" where is4D: return ("≤ 1.3× floor", ratio.map { $0 <= 1.3 })
        case "bn_train_peak_memory":
            let value = result.note.split(separator: " ").dropFirst().first.flatMap { Double($0.dropLast()) }
            return ("≤ 2.5× input", value.map { $0 <= 2.5 })
        case "startup_c": return ("≤ 10 ms", result.medianMilliseconds <= 10)
        case "first_prompt": return ("≤ 15 ms", result.medianMilliseconds <= 15)
        case "course_piped": return ("≤ 60 s", result.medianMilliseconds <= 60_000)
        default: return ("", nil)
        }
    }

    /// The JSON bench/compare.py reads: one line for the run, one line per result.
    public func json(version: String = BatchNormLab.version) -> String {
        let rows = results.map { r -> String in
            var fields: [(key: String, value: JSONValue)] = [
                ("name", .string(r.name)),
                ("shape", .array(r.shape.map { .integer($0) })),
                ("median_ms", .number(r.medianMilliseconds)),
                ("min_ms", .number(r.minimumMilliseconds)),
                ("bytes", .integer(r.bytes)),
            ]
            if let gbps = gigabytesPerSecond(r) { fields.append(("gbps", .number(gbps))) }
            if let ratio = floorRatio(r) { fields.append(("floor_ratio", .number(ratio))) }
            if !r.note.isEmpty { fields.append(("note", .string(r.note))) }
            return "  " + JSONValue.object(fields).text
        }
        let run = JSONValue.object([("tool", .string("bnlab")), ("version", .string(version)),
                                    ("threads", .integer(threads)), ("runs", .integer(runs)),
                                    ("vector_extensions", .string(VectorExtensions.current.description))]).text
        return String(run.dropLast()) + ",\n \"results\":[\n" + rows.joined(separator: ",\n") + "\n ]}"
    }
}
