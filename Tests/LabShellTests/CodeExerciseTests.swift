@testable import LabShell
import Foundation
import Testing

/// A lesson's code exercise: the learner types a multi-line `def` at `answer>`, grade checks it
/// at once, and a passing one survives the lesson's own def of the name.
@Suite struct CodeExerciseTests {
    static let lesson = """
        > # Write it
        > write bn_forward.
        exercise("Write bn_forward(x, gamma, beta, eps: 1e-5)", write: "bn_forward", task: "batchnorm_forward", hint: "biased variance")
        def bn_forward(x, gamma, beta, eps: 1e-5) {
          axes = 0
          if x.ndim == 4 { axes = [0, 2, 3] }
          mu = mean(x, axis: axes, keepdims: true)
          return gamma * (x - mu) / sqrt(var(x, axis: axes, keepdims: true) + eps) + beta
        }
        which = bn_forward

        """

    static let right = [
        "def bn_forward(x, gamma, beta, eps: 1e-5) {",
        "  axes = 0",
        "  if x.ndim == 4 { axes = [0, 2, 3] }",
        "  mu = mean(x, axis: axes, keepdims: true)",
        "  v = mean((x - mu) ** 2, axis: axes, keepdims: true)",
        "  return gamma * (x - mu) / sqrt(v + eps) + beta",
        "}",
    ]

    /// The classic mistake: normalizing with the unbiased variance.
    static let unbiased = right.map { $0.replacingOccurrences(of: "v = mean((x - mu) ** 2, axis: axes, keepdims: true)",
                                                               with: "v = var(x, axis: axes, keepdims: true, correction: 1)") }

    private func session(answers: [String]) throws -> (SessionHarness, URL, () -> [String]) {
        let folder = try LessonEchoTests.lessonsFolder(["01-write.bnl": Self.lesson])
        let s = SessionHarness(waitForContinue: { _ in true },
                               configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path))
        var queue = answers
        var prompts: [String] = []
        s.interpreter.console.ask = { prompt in
            prompts.append(prompt)
            return queue.isEmpty ? nil : queue.removeFirst()
        }
        return (s, folder, { prompts })
    }

    @Test func aWrongDefIsGradedWithItsMistakeThenARightOneIsKept() throws {
        let (s, folder, prompts) = try session(answers: ["hint", "def bn_forward(x) {", "  return x +", "}", "def bn_forward(x) { return x }"]
                                                   + Self.unbiased + Self.right)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(s.run("lesson 1"), "\(s.errors)")
        // Lines of one def are read with the continuation prompt, as at the prompt itself.
        #expect(prompts().prefix(4) == ["answer> ", "answer> ", "   ...> ", "   ...> "], "\(prompts())")
        #expect(s.text.contains("hint: biased variance"), "\(s.text)")
        // The unfinished expression is the answer's own error, at its own line.
        #expect(s.errors.contains { $0.hasPrefix("answer:2:13: error: the expression is incomplete") }, "\(s.errors)")
        #expect(s.text.contains("bn_forward(x) cannot be graded as batchnorm_forward"), "\(s.text)")
        #expect(s.text.contains("unbiased"), "the grade names the mistake: \(s.text)")
        #expect(s.text.contains("right: your bn_forward passes"), "\(s.text)")
        #expect(s.text.contains("(the lesson's bn_forward, for comparison: yours passed, so yours stays)"), "\(s.text)")
        guard case .function(let kept) = s.variable("which") else { Issue.record("no function"); return }
        #expect(kept.file == "answer", "the learner's def, not the lesson's: \(kept.file)")
    }

    /// Each attempt goes to the line editor's history whole, so Up recalls a def to fix it;
    /// hint and skip do not.
    @Test func attemptsAreRememberedWhole() throws {
        let (s, folder, _) = try session(answers: ["hint", "def bn_forward(x) {", "  return x +", "}", "2 + 2", Self.right.joined(separator: "\n")])
        defer { try? FileManager.default.removeItem(at: folder) }
        var remembered: [String] = []
        s.interpreter.console.remember = { remembered.append($0) }
        #expect(s.run("lesson 1"), "\(s.errors)")
        // The right def arrives as one recalled entry with newlines in it, and still passes.
        #expect(s.text.contains("right: your bn_forward passes"), "\(s.text)")
        #expect(remembered == ["def bn_forward(x) {\n  return x +\n}", "2 + 2", Self.right.joined(separator: "\n")], "\(remembered)")
    }

    @Test func skippingRunsTheLessonsVersion() throws {
        let (s, folder, _) = try session(answers: ["skip"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(s.run("lesson 1"), "\(s.errors)")
        #expect(s.text.contains("the lesson's bn_forward follows"), "\(s.text)")
        guard case .function(let f) = s.variable("which") else { Issue.record("no function"); return }
        #expect(f.file != "answer")
    }

    @Test func aPassingDefWithOtherParametersIsKeptUnderAnotherName() throws {
        let positionalEps = ["def bn_forward(x, gamma, beta, eps) {"] + Self.right.dropFirst()
        let (s, folder, _) = try session(answers: positionalEps)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(s.run("lesson 1"), "\(s.errors)")
        #expect(s.text.contains("so the lesson's replaces it; yours is my_bn_forward"), "\(s.text)")
        guard case .function(let mine) = s.variable("my_bn_forward") else { Issue.record("no my_bn_forward"); return }
        #expect(mine.file == "answer")
    }

    @Test func fromAPipeTheLessonsVersionRunsAndTheExerciseSaysSo() throws {
        let folder = try LessonEchoTests.lessonsFolder(["01-write.bnl": Self.lesson])
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = SessionHarness(configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path))
        #expect(s.run("lesson 1"), "\(s.errors)")
        #expect(s.text.contains("(piped, so the lesson's bn_forward follows; at a terminal you write it first)"), "\(s.text)")
        #expect(!s.text.contains("for comparison"))
    }

    @Test func aCodeExerciseNeedsATask() {
        let s = SessionHarness()
        #expect(!s.run("exercise(\"write f\", write: \"f\")"))
        #expect(s.lastError.contains("needs task:"), "\(s.lastError)")
    }
}
