import Foundation
@testable import LabShell
import Testing

/// A lesson shows each statement of code before its output, as the prompt would show it; its
/// narration, pauses and claims are not echoed, and input that is not a lesson never is.
@Suite struct LessonEchoTests {
    @Test func aLessonFileEchoesItsCodeBehindThePrompt() {
        let s = SessionHarness(name: "lessons/90-echo.bnl", keepGoing: false)
        #expect(s.run("> # Echo\n> prose\nx = [1,\n     2]\npause\nx\n\ncheck(x[0] == 1, \"x starts at 1\")\n"
                      + "exercise(\"x[1]?\", answer: x[1])"), "\(s.errors)")
        #expect(s.lines == ["# Echo", "prose", "bnlab> x = [1,", "  ...>      2]", "bnlab> x", "tensor (2)", "[1, 2]",
                             "✓ x starts at 1 (x[0] == 1)", "exercise: x[1]?", "solution: 2"])
    }

    @Test func inputThatDoesNotOpenWithNarrationIsNotEchoed() {
        let s = SessionHarness()
        #expect(s.run("x = 1\n> a note\nx"), "\(s.errors)")
        #expect(s.output == ["a note", "1"])
    }

    @Test func aStatementThatFailsIsEchoedBeforeItsError() {
        let s = SessionHarness(name: "lessons/91-broken.bnl", keepGoing: false)
        #expect(!s.run("> # Broken\nx = 1 +\ny = 2"))
        #expect(s.transcript == ["# Broken", "bnlab> x = 1 +",
                                 "lessons/91-broken.bnl:2:8: error: the expression is incomplete: expected a value, found end of input"])
    }

    @Test func aLongEchoedLineWrapsAtSpacesWithinTheWidth() {
        let s = SessionHarness(name: "lessons/92-long.bnl", width: 40)
        #expect(s.run("> # Long\nnet = mlp([2, 32, 32, 32, 32, 32, 32, 32, 3], act: \"tanh\")"), "\(s.errors)")
        #expect(s.lines == ["# Long", "bnlab> net = mlp([2, 32, 32, 32, 32,", "           32, 32, 32, 3], act: \"tanh\")"])
        #expect(s.lines.allSatisfy { $0.count < 40 })
    }

    @Test func aLessonRunAtThePromptEchoesItsCode() throws {
        let folder = try Self.lessonsFolder(["01-one.bnl": "> # One\n> the first\nx = 2 * 3\nx\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = SessionHarness(configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path))
        #expect(s.run("lesson 1"), "\(s.errors)")
        #expect(s.output == ["# One", "the first", "bnlab> x = 2 * 3", "bnlab> x", "6",
                             "end of lesson 1: its variables are yours to explore (vars lists them)"])
    }

    /// A temporary lessons folder holding `files` (name → text).
    static func lessonsFolder(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-lessons-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }
}

extension SessionHarness {
    /// What the session printed, line by line (a statement's output may be several lines).
    var lines: [String] { output.joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
}
