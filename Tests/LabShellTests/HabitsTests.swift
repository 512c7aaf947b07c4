@testable import LabShell
import Testing

/// What a PyTorch or REPL user types by habit, and the typos everyone makes, each led somewhere.
@Suite struct HabitsTests {
    @Test(arguments: [("hepl", "help"), ("hlep", "help"), ("exti", "exit"), ("vasr", "vars")])
    func swappedKeysAreOneTypo(_ typed: String, _ meant: String) {
        let s = SessionHarness()
        s.run(typed)
        #expect(s.lastError.contains("did you mean '\(meant)'?"), "\(s.errors)")
    }

    @Test func aTensorsFieldsHaveDidYouMean() {
        let s = SessionHarness()
        s.run("x = randn(8, 4)\nx.shap")
        #expect(s.lastError.contains("has no field 'shap' — did you mean 'shape'? Fields: shape"), "\(s.errors)")
    }

    @Test func weightAndBiasAreGammaAndBeta() {
        let s = SessionHarness()
        #expect(s.run("bn = batchnorm(2)\nbn.weight = 3\nbn.bias = 1\nbn.gamma\nbn.beta"), "\(s.errors)")
        #expect(s.text.contains("[3, 3]") && s.text.contains("[1, 1]"), "\(s.text)")
    }

    @Test(arguments: ["bn.eval()", "bn.train()"])
    func pyTorchModeMethodsPointAtTheCommand(_ call: String) {
        let s = SessionHarness()
        s.run("bn = batchnorm(2)\n" + call)
        let name = call.dropFirst(3).prefix { $0 != "(" }
        #expect(s.lastError.contains("bnlab writes \(name)(bn) for PyTorch's bn.\(name)()"), "\(s.errors)")
    }

    @Test func didYouMeanPunctuation() {
        let s = SessionHarness()
        s.run("help batchnorn")
        #expect(s.lastError.hasSuffix("no command named 'batchnorn' — did you mean 'batchnorm'? Type help for the list"), "\(s.errors)")
        s.run("help zzzzzzzz")
        #expect(s.lastError.hasSuffix("no command named 'zzzzzzzz'; type help for the list"), "\(s.errors)")
    }

    @Test func underscoreIsTheLastValueShown() {
        let s = SessionHarness()
        #expect(s.run("2 + 3\n_ * 2\nx = 7\n_"), "\(s.errors)")
        #expect(s.output.suffix(3) == ["5", "10", "10"])
        s.run("vars")
        #expect(!s.output.last!.contains("_"), "vars does not list _: \(s.output.last!)")
    }

    @Test(arguments: ["?fit", "fit?", "  ?fit  "])
    func questionMarkAsksForHelp(_ line: String) {
        let s = SessionHarness()
        #expect(s.run(line), "\(s.errors)")
        #expect(s.text.hasPrefix("fit(model, data"), "\(s.text)")
    }

    @Test(arguments: ["help repeat", "help(\"repeat\")", "?repeat"])
    func helpExplainsTheKeywords(_ line: String) {
        let s = SessionHarness()
        #expect(s.run(line), "\(s.errors)")
        #expect(s.text.hasPrefix("repeat N { … }: runs the statements"), "\(s.text)")
    }

    /// At `answer>` only a wrong number costs a try: an empty line, `hint`, a statement and a
    /// non-number are answered and the question stays; `skip` shows the solution.
    @Test func onlyAWrongNumberCostsATry() {
        var answers = ["", "hint", "y = 3", "not a number (", "1", "2", "42"]
        let s = SessionHarness(waitForContinue: { _ in true })
        s.interpreter.console.ask = { _ in answers.isEmpty ? nil : answers.removeFirst() }
        #expect(s.run("exercise(\"six times seven\", answer: 42, hint: \"multiply\", solution: \"6 * 7\")"), "\(s.errors)")
        #expect(s.text.contains("hint: multiply") && s.text.contains("does not count") && s.text.contains("right: 42"), "\(s.text)")
        #expect(s.variable("y") != nil, "the statement ran in the session")
        var skip = ["skip"]
        let t = SessionHarness(waitForContinue: { _ in true })
        t.interpreter.console.ask = { _ in skip.isEmpty ? nil : skip.removeFirst() }
        t.run("exercise(\"six times seven\", answer: 42, solution: \"6 * 7\")")
        #expect(t.text.contains("solution: 6 * 7 = 42"), "\(t.text)")
    }

    @Test func anExerciseWithoutAnAnswerSaysSo() {
        let s = SessionHarness()
        #expect(s.run("exercise(\"think about it\")"))
        #expect(s.output.last == "(this exercise gives no solution: work it out at the prompt)")
    }

    @Test func anAmbiguousLessonNameListsTheMatches() {
        let s = SessionHarness()
        s.run("lesson \"norm\"")
        // Every lesson whose name holds "norm" is listed (1, 11, 15, …), so the count grows with the course.
        #expect(s.lastError.contains("lessons: 1 (01-what-batchnorm-computes.bnl), 11 (11-layernorm"), "\(s.errors)")
        #expect(s.lastError.contains("\"norm\" matches ") && s.lastError.contains("15 (15-batchnorm-in-a-conv-net.bnl)"), "\(s.errors)")
    }
}
