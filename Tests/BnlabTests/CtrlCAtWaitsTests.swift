import Foundation
import Testing

/// Ctrl-C at each kind of wait ends that wait and returns to the prompt, where `1 + 1` prints 2
/// (it used to leave the wait pending: the next line typed went to the pause or the exercise).
@Suite(.serialized) struct CtrlCAtWaitsTests {
    /// Starts a session, types `line`, waits for `wait`, presses Ctrl-C, expects `then` in order,
    /// and checks the prompt answers `1 + 1` with 2.
    private func ctrlC(_ tag: String, setup: [String] = [], _ line: String, waitingFor wait: String, then: [String]) throws {
        let session = try FreshSession.started(tag, setup: setup)
        defer { session.close() }
        let terminal = session.terminal
        try terminal.sendLine(line)
        try terminal.expect(wait)
        try terminal.send(PseudoTerminal.ctrlC)
        for text in then { try terminal.expect(text) }
        try terminal.expect("bnlab> ")
        try terminal.sendLine("1 + 1")
        let output = try terminal.expect("bnlab> ")
        #expect(output.contains("\n2\n"), "1 + 1 after Ctrl-C:\n\(output)")
    }

    @Test func atAStepPause() throws {
        try ctrlC("ctrlc-step", setup: ["bn = batchnorm(2); x = [[1, 2], [3, 6], [5, 10]]"], "step bn x",
                  waitingFor: "[Enter: next stage, q: stop]", then: ["batchnorm(2) was not changed"])
    }

    @Test func atALessonPause() throws {
        try ctrlC("ctrlc-lesson", "lesson 1", waitingFor: "Enter to go on, q to stop the lesson",
                  then: ["stopped at lesson 1/", "(type lesson 1 to start"])
    }

    @Test func atAnAnswer() throws {
        try ctrlC("ctrlc-answer", "exercise(\"six times seven\", answer: 42, solution: \"6 * 7\")", waitingFor: "answer> ",
                  then: ["interrupted"])
    }

    /// At a code exercise, Ctrl-C stops the statement (and a lesson) instead of moving on to the lesson's version.
    @Test func atACodeExercise() throws {
        try ctrlC("ctrlc-code", "exercise(\"write f\", write: \"f\", task: \"batchnorm_forward\")", waitingFor: "answer> ",
                  then: ["interrupted"])
    }
}
