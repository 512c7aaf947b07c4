import Foundation
import Testing

/// Ctrl-C at each kind of wait ends that wait and returns to the prompt, where `1 + 1` prints 2
/// (it used to leave the wait pending: the next line typed went to the pause or the exercise).
@Suite(.serialized) struct CtrlCAtWaitsTests {
    private func expectPromptWorks(_ terminal: PseudoTerminal) throws {
        try terminal.expect("bnlab> ")
        try terminal.sendLine("1 + 1")
        let output = try terminal.expect("bnlab> ")
        #expect(output.contains("\n2\n"), "1 + 1 after Ctrl-C:\n\(output)")
    }

    @Test func atAStepPause() throws {
        let session = try FreshSession("ctrlc-step")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("bn = batchnorm(2); x = [[1, 2], [3, 6], [5, 10]]")
        try terminal.expect("bnlab> ")
        try terminal.sendLine("step bn x")
        try terminal.expect("[Enter: next stage, q: stop]")
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("was not changed")
        try expectPromptWorks(terminal)
        try terminal.sendLine("bn.num_batches_tracked")
        try terminal.expect("0\n")
    }

    @Test func atALessonPause() throws {
        let session = try FreshSession("ctrlc-lesson")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("lesson 1")
        try terminal.expect("Enter to go on, q to stop the lesson")
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("stopped at lesson 1/")
        try terminal.expect("(type lesson 1 to start it again)")
        try expectPromptWorks(terminal)
    }

    @Test func atAnAnswer() throws {
        let session = try FreshSession("ctrlc-answer")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("exercise(\"six times seven\", answer: 42, solution: \"6 * 7\")")
        try terminal.expect("answer> ")
        try terminal.send(PseudoTerminal.ctrlC)
        try expectPromptWorks(terminal)
    }
}
