import BatchNormKit
import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// What each fuzz target does with one input, kept in a library so that `swift test` replays the
/// committed corpus through exactly the code libFuzzer ran (`Fuzz/Targets/*.swift` are one-line
/// wrappers). A target returns normally for every input; anything else is a crash.
public enum FuzzHarness {
    /// Wall-clock budget for one language input; past it the console reports Ctrl-C, so an
    /// input that loops without polling for Ctrl-C shows up as a libFuzzer timeout.
    public static let budgetNanoseconds: UInt64 = 50_000_000

    // MARK: - Language: line → lexer → parser → interpreter

    /// Runs `bytes` as a pipe would (`bnlab --keep-going`): every line, errors and all. Files are
    /// read and written only inside `sandbox`, pauses never wait, exercises are never answered.
    public static func runLanguage(_ bytes: [UInt8], sandbox: String) {
        let interpreter = Interpreter(console: console(sandbox: sandbox, terminal: false), configuration: checkout)
        ScriptRunner(interpreter: interpreter, sourceName: "fuzz").run(bytes)
    }

    /// Runs `bytes` as a lesson file on a terminal: pauses continue, exercises get an answer, the
    /// first error or failed check stops it (what `lesson N` does).
    public static func runLesson(_ bytes: [UInt8], sandbox: String) {
        let interpreter = Interpreter(console: console(sandbox: sandbox, terminal: true), configuration: checkout)
        ScriptRunner(interpreter: interpreter, sourceName: "fuzz.bnl", stopsAtFirstError: true).run(bytes)
    }

    /// The checkout's data/ and lessons/ (`digits()`, `lessons`), as `swift run bnlab` finds them.
    private static let checkout: SessionConfiguration = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // FuzzHarness.swift, Harness, Fuzz
        let root = parts.joined(separator: "/")
        return SessionConfiguration(dataFolder: root + "/data", lessonsFolder: root + "/lessons")
    }()

    private static func console(sandbox: String, terminal: Bool) -> Console {
        let deadline = now() + budgetNanoseconds
        var console = Console(print: { _ in }, printError: { _ in }, isInterrupted: { now() > deadline },
                              isTerminal: terminal, useColor: terminal, width: terminal ? 100 : 80,
                              waitForContinue: terminal ? { _ in true } : nil)
        if terminal {
            var answers = 0
            console.ask = { _ in answers += 1; return answers % 3 == 0 ? nil : "\(answers)" }
        }
        console.sandboxFolder = sandbox
        return console
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    // MARK: - File readers

    /// Decodes `bytes` as `.npy`; a tensor that decodes must survive encode → decode bit for bit.
    public static func runNpy(_ bytes: [UInt8]) {
        guard let tensor = try? NpyFile.decode(bytes, path: "fuzz.npy") else { return }
        guard let again = try? NpyFile.decode(NpyFile.encode(tensor), path: "again.npy"),
              sameBits(tensor, again) else {
            fatalError("npy round trip changed the tensor of shape \(tensor.shape)")
        }
    }

    /// Decodes `bytes` as `.csv`; a tensor that decodes must survive encode → decode.
    public static func runCSV(_ bytes: [UInt8]) {
        guard let tensor = try? CSVFile.decode(bytes: bytes, path: "fuzz.csv") else { return }
        guard tensor.rank == 2, tensor.count == tensor.shape[0] * tensor.shape[1], tensor.count > 0 else {
            fatalError("csv decoded an inconsistent shape \(tensor.shape)")
        }
        guard let text = try? CSVFile.encode(tensor, path: "again.csv"),
              let again = try? CSVFile.decode(bytes: Array(text.utf8), path: "again.csv"),
              again.shape == tensor.shape,
              zip(tensor.scalars, again.scalars).allSatisfy({ $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }) else {
            fatalError("csv round trip changed the tensor of shape \(tensor.shape)")
        }
    }

    private static func sameBits(_ a: Tensor, _ b: Tensor) -> Bool {
        a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    // MARK: - Set-up

    /// The libFuzzer entry for the language targets: one sandbox folder for the whole run, and a
    /// smaller element cap so each input stays fast (the cap itself is what is being exercised).
    public static func fuzzLanguage(_ data: UnsafePointer<UInt8>, _ size: Int, asLesson: Bool) {
        TensorLimits.maxElements = 1 << 20
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        if asLesson { runLesson(bytes, sandbox: fuzzSandbox) } else { runLanguage(bytes, sandbox: fuzzSandbox) }
    }

    private static let fuzzSandbox = makeSandbox()

    /// A fresh folder under /tmp for the language targets' `save` and `load`.
    public static func makeSandbox() -> String {
        var template = Array("/tmp/bnlab-fuzz-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            fatalError("cannot create a sandbox folder in /tmp")
        }
        return String(cString: made)
    }
}
