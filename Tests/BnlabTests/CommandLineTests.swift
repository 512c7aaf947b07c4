import Foundation
import Testing

/// The three non-interactive ways in — a pipe, `-c`, files — run through the real binary:
/// no prompt, no echo, no escape codes; `FILE:LINE:COL: error:` on stderr; exit status 1.
@Suite struct CommandLineTests {
    struct Run {
        let stdout: String
        let stderr: String
        let status: Int32
    }

    /// Runs bnlab with `input` on stdin (through a file, so large inputs cannot deadlock a pipe).
    static func bnlab(_ arguments: [String] = [], input: String? = nil, inputBytes: [UInt8]? = nil,
                      directory: URL? = nil, environment: [String: String] = [:], executable: URL? = nil) throws -> Run {
        let process = Process()
        process.executableURL = try executable ?? BnlabBinary.url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "BNLAB_MAX_ELEMENTS", "BNLAB_DATA", "BNLAB_LESSONS"] { env[name] = nil }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-stdin-\(UUID().uuidString)")
        try Data(inputBytes ?? Array((input ?? "").utf8)).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "bnlab was killed by a signal: a crash")
        return Run(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                   status: process.terminationStatus)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A -c program or a flag value that starts with '-' is a value, not a missing one; a bad
    /// BNLAB_MAX_ELEMENTS is named as such, not ignored or blamed on --max-elements.
    @Test func dashValuesAndTheElementLimitFromTheEnvironment() throws {
        let negative = try Self.bnlab(["-c", "-1"])
        #expect(negative.status == 0 && negative.stdout == "-1\n", "\(negative.stderr)")
        let flag = try Self.bnlab(["--max-elements", "-5", "-c", "1"])
        #expect(flag.status != 0 && flag.stderr.contains("--max-elements must be a positive number, got -5"), "\(flag.stderr)")
        for text in ["abc", "0"] {
            let env = try Self.bnlab(["-c", "1"], environment: ["BNLAB_MAX_ELEMENTS": text])
            #expect(env.status != 0 && env.stderr.contains("BNLAB_MAX_ELEMENTS must be a positive whole number, got '\(text)'"),
                    "\(env.stderr)")
        }
    }

    /// Doubling a string in a loop stops at the element cap's byte budget with an error, not an abort.
    @Test func stringsHaveASizeLimit() throws {
        let run = try Self.bnlab(["--max-elements", "65536", "-c", "s = \"a\"; repeat 40 { s = s + s }"])
        #expect(run.status == 1 && run.stderr.contains("larger than the limit of 262144 bytes"), "\(run.stderr)")
    }

    /// A cap raised past the machine's memory ends in an error, not "Fatal error: failed to allocate".
    @Test func aTensorLargerThanMemoryIsAnError() throws {
        let run = try Self.bnlab(["--max-elements", "10000000000", "-c", "x = zeros(100000, 100000)"])
        #expect(run.status == 1 && run.stderr.contains("needs 38146 MiB and this machine has"), "\(run.stderr)")
    }

    /// Output that cannot be written is not lost silently: a full disk makes bnlab say so and exit 1.
    @Test func aFullDiskIsAnError() throws {
        let process = Process()
        process.executableURL = try BnlabBinary.url
        process.arguments = ["-c", "randn(3)"]
        process.standardOutput = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(message.contains("could not write the output"), "\(message)")
    }

    /// Piped, an experiment prints its report and nothing of the progress line.
    @Test func pipedExperimentHasNoProgressLine() throws {
        let run = try Self.bnlab(input: "r = experiment(\"gap\", seeds: 2, epochs: 2)\nr.verdict\n")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("\r") && !run.stderr.contains("\r") && !run.stderr.contains("runs"))
        #expect(run.stdout.contains("verdict: "))
    }

    @Test func pipedCommandsPrintOnlyTheirResults() throws {
        let run = try Self.bnlab(input: "a = 41 + 1\na\nbn = batchnorm(2)\nbn.num_batches_tracked\n")
        #expect(run.stdout == "42\n0\n")
        #expect(run.stderr == "")
        #expect(run.status == 0)
        #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("bnlab>"), "no prompt and no escape codes in a pipe")
    }

    @Test func theFirstErrorStopsAPipeWithItsPosition() throws {
        let run = try Self.bnlab(input: "a = 1\nb = a + foo\nc = 3\nc\n")
        #expect(run.stdout == "")
        #expect(run.stderr == "<stdin>:2:9: error: unknown name 'foo'\n")
        #expect(run.status == 1)
    }

    @Test func keepGoingRunsOnAndStillFails() throws {
        let run = try Self.bnlab(["--keep-going"], input: "a = 1\nb = a + foo\nc = 3\nc\n1 +\n")
        #expect(run.stdout == "3\n")
        #expect(run.stderr == "<stdin>:2:9: error: unknown name 'foo'\n<stdin>:5:4: error: the expression is incomplete: expected a value, found end of input\n")
        #expect(run.status == 1)
    }

    @Test func dashCRunsAString() throws {
        let ok = try Self.bnlab(["-c", "a = 1; a"])
        #expect(ok.stdout == "1\n" && ok.status == 0)
        let bad = try Self.bnlab(["-c", "x = randn(2, 3\n"])
        #expect(bad.stderr == "<command>:1:10: error: unexpected end of input: '(' opened here is never closed\n")
        #expect(bad.status == 1)
    }

    @Test func filesRunInOrderInOneSession() throws {
        let dir = try Self.temporaryDirectory()
        let first = dir.appendingPathComponent("first.bnl"), second = dir.appendingPathComponent("second.bnl")
        try "seed(1)\nx = [1, 2, 3]\n".write(to: first, atomically: true, encoding: .utf8)
        try "# uses x from first.bnl\nx * 2\ny = x +\n".write(to: second, atomically: true, encoding: .utf8)
        let run = try Self.bnlab([first.path, second.path])
        #expect(run.stdout == "tensor (3)\n[2, 4, 6]\n")
        #expect(run.stderr == "\(second.path):3:8: error: the expression is incomplete: expected a value, found end of input\n")
        #expect(run.status == 1)
        let missing = try Self.bnlab([dir.appendingPathComponent("nope.bnl").path])
        #expect(missing.status == 1 && missing.stderr.contains("nope.bnl: error: cannot open: No such file or directory"))
    }

    @Test func helpAndVersion() throws {
        let help = try Self.bnlab(["--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: bnlab") && help.stdout.contains("--keep-going"))
        // Piped, help fits 80 columns and its paragraphs are not broken mid-sentence.
        let bench = try Self.bnlab(["bench", "--help"])
        for text in [help.stdout, bench.stdout] {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines.filter { $0.count > 80 })")
            #expect(!lines.contains { $0.split(separator: " ").count == 1 && $0.count < 8 && !$0.isEmpty }, "a stray short line")
        }
        #expect(help.stdout.contains("beside the bnlab executable") || help.stdout.contains("beside the bnlab\nexecutable"))
        let version = try Self.bnlab(["--version"])
        #expect(version.stdout == "bnlab 0.1.0\n" && version.status == 0)
    }

    @Test func noInputAtAllIsAnEmptySession() throws {
        let run = try Self.bnlab(input: "")
        #expect(run.stdout == "" && run.stderr == "" && run.status == 0)
    }

    @Test func endOfInputInsideAStatementIsAnError() throws {
        let run = try Self.bnlab(input: "x = [1,\n     2,\n")
        #expect(run.stderr == "<stdin>:1:5: error: unexpected end of input: '[' opened here is never closed\n")
        #expect(run.status == 1)
    }

    @Test func pathologicalInputGetsErrorsNotCrashes() throws {
        var bytes = Array("a = 1\u{0}\n".utf8) + [0xFF, 0xFE, 0x0A] + Array("b = 2\nb\n".utf8)
        bytes += Array(String(repeating: "(", count: 100_000).utf8) + [0x0A]
        bytes += Array(("s = " + Array(repeating: "1", count: 300_000).joined(separator: "+") + "\ns\n").utf8)
        let run = try Self.bnlab(["--keep-going"], inputBytes: bytes)
        #expect(run.stdout == "2\n300000\n")
        #expect(run.stderr.contains("<stdin>:1:6: error: unexpected character NUL (U+0000)"))
        #expect(run.stderr.contains("<stdin>:2:1: error: this line is not valid UTF-8 (bad byte at column 1)"))
        #expect(run.stderr.contains("<stdin>:5:201: error: brackets nested more than 200 levels deep"))
        #expect(run.status == 1)
    }

    @Test func hugeTensorsAreRefusedAndTheCapIsAdjustable() throws {
        let refused = try Self.bnlab(input: "x = zeros(100000, 100000)\n")
        #expect(refused.stderr.contains("larger than the limit of 268435456 elements"))
        let lowered = try Self.bnlab(["--max-elements", "100"], input: "x = zeros(11, 10)\n")
        #expect(lowered.stderr.contains("larger than the limit of 100 elements") && lowered.status == 1)
        let environment = try Self.bnlab(input: "x = zeros(10, 10)\n", environment: ["BNLAB_MAX_ELEMENTS": "99"])
        #expect(environment.status == 1)
    }

    @Test func saveNeverTruncatesAnExistingFile() throws {
        let dir = try Self.temporaryDirectory()
        let target = dir.appendingPathComponent("keep.csv")
        try "1,2\n3,4\n".write(to: target, atomically: true, encoding: .utf8)
        // CSV holds 1-D or 2-D data: saving a 3-D tensor fails, and the old file must survive.
        let run = try Self.bnlab(input: "save(ones(2, 2, 2), \"keep.csv\")\n", directory: dir)
        #expect(run.status == 1 && run.stderr.hasPrefix("<stdin>:1:21: error:"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "1,2\n3,4\n")
        let ok = try Self.bnlab(input: "save([[5, 6]], \"keep.csv\")\nsave(ones(4, 3), \"y.npy\")\n", directory: dir)
        #expect(ok.status == 0 && ok.stdout == "saved (1, 2) to keep.csv\nsaved (4, 3) to y.npy\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["keep.csv", "y.npy"],
                "no temporary files left behind")
        let npy = try Data(contentsOf: dir.appendingPathComponent("y.npy"))
        #expect(npy.count == 128 + 48 && npy.starts(with: [0x93] + Array("NUMPY".utf8)))
    }

    @Test func exitEndsThePipeEarly() throws {
        let run = try Self.bnlab(input: "1\nexit\n2\n")
        #expect(run.stdout == "1\n" && run.status == 0)
    }
}
