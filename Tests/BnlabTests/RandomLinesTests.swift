import Foundation
import Testing

/// 10⁴ seeded random lines — grammar fragments and junk — piped into `bnlab --keep-going`: it must
/// report errors and exit 1, never die of a signal. (`scripts/random-lines.py` runs 10⁵ and
/// measures memory.)
@Suite struct RandomLinesTests {
    static let fragments = [
        "x = randn(N, C)", "bn = batchnorm(C)", "y = bn(x)", "stats(x)", "hist(x, bins: N)", "x = x * V + V",
        "eval(bn)", "g = backward(bn, x, x)", "g.dgamma", "compare(bn, x)", "step(bn, x, at: [N, C])",
        "repeat N { y = bn(x) }", "x[N]", "x = [[V, V], [V, V]]", "layernorm(C)(x)", "zeros(N, C) / 0",
        "save(x, \"r.npy\")", "x = load(\"r.npy\")", "help W", "batchnorm(C, eps: 0)(ones(N, C))", "> W",
    ]
    static let words = ["batchnorm", "x", "(", ")", "[", "]", "{", "}", ",", "=", "+", "-", "/", ".", ";", "\"",
                        "1e400", "nan", "é", "\t", "repeat", "1e30"]

    @Test func tenThousandRandomLinesEndWithExitOne() throws {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        func pick(_ items: [String]) -> String { items[next(items.count)] }
        var lines: [String] = []
        for _ in 0..<10_000 {
            if next(2) == 0 {
                lines.append(pick(Self.fragments)
                    .replacingOccurrences(of: "N", with: pick(["0", "1", "3", "64", "-1", "1e30"]))
                    .replacingOccurrences(of: "C", with: pick(["0", "1", "2", "4"]))
                    .replacingOccurrences(of: "V", with: pick(["0", "-2.5", "1e38", "0.1"]))
                    .replacingOccurrences(of: "W", with: pick(Self.words)))
            } else {
                lines.append((0...next(10)).map { _ in pick(Self.words) }.joined(separator: " "))
            }
        }
        let directory = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Output goes to files: 10⁴ lines of errors would fill a pipe nobody drains yet.
        let input = directory.appendingPathComponent("input.bnl"), output = directory.appendingPathComponent("output")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: input)
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = try BnlabBinary.url
        process.arguments = ["--keep-going"]
        process.currentDirectoryURL = directory
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "bnlab was killed by a signal: a crash")
        #expect(process.terminationStatus == 1)
        #expect(String(decoding: try Data(contentsOf: output), as: UTF8.self).contains(": error: "))
    }
}
