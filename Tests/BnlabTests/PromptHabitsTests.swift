import Foundation
import Testing

/// Habits of sqlite3's, bash's and IPython's prompts on a real terminal: a statement typed over
/// several lines comes back whole with Up and is one `history` entry; a step pause takes one key.
@Suite(.serialized) struct PromptHabitsTests {
    @Test func aMultiLineStatementIsOneHistoryEntry() throws {
        let session = try FreshSession.started("history", setup: ["a = 1"])
        defer { session.close() }
        let terminal = session.terminal
        try terminal.sendLine("y = [1,")
        try terminal.expect("...> ")
        try terminal.sendLine("2]")
        try terminal.expect("bnlab> ")
        try terminal.sendLine("history")
        let listed = try terminal.expect("bnlab> ")
        #expect(listed.contains("  1  a = 1\n  2  y = [1,\n     2]\n  3  history\n"), "\(listed)")
        // Up twice: past `history`, the whole statement; changed and run again as one.
        try terminal.sendLine("y = 0")
        try terminal.expect("bnlab> ")
        try terminal.send(PseudoTerminal.up + PseudoTerminal.up + PseudoTerminal.up + PseudoTerminal.enter)
        try terminal.expect("bnlab> ")
        try terminal.sendLine("y")
        #expect(try terminal.expect("bnlab> ").contains("[1, 2]"))
        let file = try String(contentsOf: session.home.appendingPathComponent("history"), encoding: .utf8)
        #expect(file.contains("y = [1,\n2]\n"), "\(file)")
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }
}
