@testable import LabShell
import Testing

/// `history [N]`, numbered as bash and IPython number it, and the runner telling the prompt when
/// lines form one entry, so a statement typed over several lines is one entry.
@Suite struct HistoryCommandTests {
    @Test func historyNumbersTheLatestEntriesAndKeepsAStatementWhole() {
        let s = SessionHarness()
        s.interpreter.console.history = { ["a = 1", "b = [1,\n2]", "history 2"] }
        #expect(s.run("history 2"), "\(s.errors)")
        #expect(s.output.last == "  2  b = [1,\n     2]\n  3  history 2")
        #expect(s.run("history"), "\(s.errors)")
        #expect(s.output.last == "  1  a = 1\n  2  b = [1,\n     2]\n  3  history 2")
        #expect(!s.run("history(-1)"))
        #expect(s.lastError.contains("history: n must be 0 or more, got -1"))
    }

    @Test func aPipeHasNoHistory() {
        let s = SessionHarness()
        #expect(s.run("a = 1\nhistory"), "\(s.errors)")
        #expect(s.output.last == "no history: it keeps what is typed at the prompt, and this input is not typed")
    }

    /// The prompt's history is told when lines form one entry: once per statement, after its last line.
    @Test func aStatementOverSeveralLinesIsOneEntry() {
        let s = SessionHarness()
        var lines: [String] = []
        var entries: [String] = []
        s.runner.willFeed = { lines.append($0) }
        s.runner.entryComplete = { entries.append(lines.joined(separator: "\n")); lines = [] }
        s.runner.feed(bytes: Array("y = [1,\n  2]\nz = 3\n".utf8))
        #expect(entries == ["y = [1,\n  2]", "z = 3"])
    }
}
