import Foundation
import Testing

/// User functions at the real prompt: a def typed over several lines behind the continuation
/// prompt, then called; Ctrl-C while a function runs (on the interpreter's call stack thread).
extension PseudoTerminalBnlabTests {
    @Test func multiLineDefAtThePromptThenACall() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("def scale(x, k: 2) {")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("  y = x * k")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("  return y")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("}")
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(outputLines(try session.evaluate("scale(4, k: 10)")).contains("40"))
        #expect(outputLines(try session.evaluate("scale")).contains("def scale(x, k: 2)"))
        let error = try session.evaluate("scale(\"a\")")
        #expect(error.contains("(in scale, called at <stdin>:7:6)"), "no call trace:\n\(error)")
        #expect(error.contains("  y = x * k"), "no line of the function under the caret:\n\(error)")
    }

    @Test func ctrlCInterruptsARunningFunction() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("def spin(n) { repeat n { t = randn(64, 8) } }")
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        try terminal.sendLine("spin(100000000)")
        terminal.drain(for: .milliseconds(500))
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted", timeout: BnlabSession.timeout)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(outputLines(try session.evaluate("1 + 1")).contains("2"))
    }

    /// Output split into trimmed lines, so `40` matches a line that is exactly 40.
    private func outputLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
