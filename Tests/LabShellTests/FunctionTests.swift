import BatchNormKit
@testable import LabShell
import Foundation
import Testing

/// `def`, `return` and calls of user functions: values, scope, limits, and where errors point.
@Suite struct FunctionTests {
    static let bnForward = """
        def bn_forward(x, gamma, beta, eps: 1e-5) {
          m = mean(x)
          v = var(x)
          y = gamma * (x - m) / (v + eps) + beta
          return y
        }
        """

    @Test func definesCallsAndPrintsItsSignature() {
        let session = SessionHarness()
        #expect(session.run(Self.bnForward + "\ny = bn_forward([1, 2, 3], 2, 1, eps: 0)\nbn_forward"))
        // mean 2, variance 2/3 (biased): 2 · (x − 2) / (2/3) + 1
        #expect(session.tensor("y") == [-2, 1, 4])
        #expect(session.output.last == "def bn_forward(x, gamma, beta, eps: 1e-05)")
        #expect(session.run("f = bn_forward\nz = f([1, 2, 3], 2, 1, eps: 0)"))
        #expect(session.tensor("z") == [-2, 1, 4])
    }

    @Test func localsDoNotLeakAndGlobalsAreRead() {
        let session = SessionHarness()
        #expect(session.run("k = 10\nm = 1\ndef f(x) { m = x * k; return m }\nr = f(2)"))
        #expect(session.number("r") == 20)
        #expect(session.number("m") == 1)  // the local m left the session's m alone
        #expect(session.variable("x") == nil)  // and the parameter is gone
        #expect(!session.run("def g() { q = 3 }\ng()\nq"))
        #expect(session.lastError.contains("unknown name 'q'"))
    }

    @Test func callLeavesTheLastValueAlone() {
        let session = SessionHarness()
        #expect(session.run("7\ndef f() { 5; return none }\nf()\nu = _"))
        #expect(session.number("u") == 7)
        #expect(session.output.contains("5"))  // a bare value inside is still shown
    }

    @Test func returnForms() {
        let session = SessionHarness()
        #expect(session.run("def two(x) { return x, 2 * x }\nr = two(3)\na = r[0]\nb = r[1]"))
        #expect(session.number("a") == 3 && session.number("b") == 6)
        guard case .list(let items)? = session.variable("r") else { Issue.record("not a list"); return }
        #expect(items.count == 2)
        #expect(session.run("def nothing() { return }\nn = nothing()\ndef early() { repeat 5 { return 1 }\n return 2 }\ne = early()"))
        if case .none? = session.variable("n") {} else { Issue.record("return alone gives none") }
        #expect(session.number("e") == 1)  // return leaves the loop and the call
    }

    @Test func defReplacesAndCannotShadowACommand() {
        let session = SessionHarness()
        #expect(session.run("def f() { return 1 }\ndef f() { return 2 }\nr = f()"))
        #expect(session.number("r") == 2)
        #expect(!session.run("def mean(x) { return x }"))
        #expect(session.lastError == "<test>:4:5: error: 'mean' is a command; pick another name for the function")
        #expect(!session.run("def g(var) { return 1 }"))
        #expect(session.lastError.contains("'var' is a command; pick another name for the parameter"))
    }

    @Test func argumentErrorsNameTheFunctionAndParameter() {
        let session = SessionHarness()
        #expect(session.run(Self.bnForward))
        #expect(!session.run("bn_forward(1)"))
        #expect(session.lastError == "<test>:7:11: error: bn_forward needs gamma (def bn_forward(x, gamma, beta, eps: 1e-05))")
        #expect(!session.run("bn_forward(1, 2, 3, ep: 1)"))
        #expect(session.lastError.contains("8:21: error: bn_forward has no parameter 'ep' — did you mean 'eps:'?"))
        #expect(!session.run("bn_forward(1, 2, 3, 4)"))
        #expect(session.lastError.contains("9:21: error: bn_forward takes 3 positional arguments, got more"))
        #expect(!session.run("bn_forward(1, 2, 3, eps: 1, eps: 2)"))
        #expect(session.lastError.contains("bn_forward got 'eps' twice"))
    }

    @Test func syntaxErrors() {
        let session = SessionHarness()
        #expect(!session.run("return 1"))
        #expect(session.lastError.contains("return belongs inside a function"))
        #expect(!session.run("repeat 2 { def f() { } }"))
        #expect(session.lastError.contains("def belongs at the top level"))
        #expect(!session.run("def f(a: 1, b) { }"))
        #expect(session.lastError.contains("'b' has no default, so it goes before the labelled parameters"))
        #expect(!session.run("def f(a, a) { }"))
        #expect(session.lastError.contains("f names the parameter 'a' twice"))
        #expect(!session.run("def f(a: randn(2)) { }"))
        #expect(session.lastError.contains("the default of 'a' must be a number, a string, true/false or none"))
        #expect(!session.run("x = def"))
        #expect(session.lastError.contains("'def' starts a statement"))
    }

    @Test func errorInsideNamesTheLineInsideAndTheCall() {
        let session = SessionHarness(name: "lesson.bnl")
        #expect(!session.run("def bad(x) {\n  y = x + [1, 2]\n  return y\n}\nz = 1\nbad([1, 2, 3])"))
        #expect(session.lastError.hasPrefix("lesson.bnl:2:9: error: operands could not be broadcast together with shapes (3) and (2)"))
        #expect(session.lastError.hasSuffix("(in bad, called at lesson.bnl:6:4)"))
    }

    @Test func warningInsideNamesTheCall() {
        let session = SessionHarness(name: "w.bnl")
        #expect(session.run("def w(x) {\n  return stats(x / 0)\n}\nw(ones(2, 2))"))
        #expect(session.errors.contains { $0.hasPrefix("w.bnl:2:16: warning: ") && $0.hasSuffix("(in w, called at w.bnl:4:2)") },
                "\(session.errors)")
    }

    @Test func nestedCallsShowInnermostAndOutermost() {
        let session = SessionHarness(name: "a.bnl")
        #expect(!session.run("def g(x) { return x + [1, 2] }\ndef f(x) { return g(x) }\nf([1, 2, 3])"))
        #expect(session.lastError.hasSuffix("(in g, called at a.bnl:2:20; in f, called at a.bnl:3:2)"))
    }

    @Test func functionFromAFileCalledAtThePromptReportsTheFile() throws {
        let folder = NSTemporaryDirectory() + "bnlab-functions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/lib.bnl"
        try "# helpers\ndef half(x) {\n  return x / \"two\"\n}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let session = SessionHarness(name: "<stdin>")
        #expect(session.run("run \"\(path)\""))
        #expect(!session.run("half(4)"))
        #expect(session.lastError.hasPrefix("\(path):3:12: error: "))
        #expect(session.lastError.hasSuffix("(in half, called at <stdin>:2:5)"))
    }

    @Test func terminalShowsTheFunctionsLineUnderTheCaret() {
        let session = SessionHarness(terminal: true)
        #expect(session.run("def bad(x) {\n  return x + [1, 2]\n}"))
        #expect(!session.run("bad([1, 2, 3])"))
        let lines = session.lastError.split(separator: "\n").map(String.init)
        #expect(lines.suffix(2) == ["    return x + [1, 2]", "             ^"])
    }

    @Test func aDefTypedOverSeveralLinesAtThePrompt() {
        let session = SessionHarness(name: "<stdin>")
        let lines = ["def scale(x, k: 2) {", "  y = x * k", "", "  return y", "}"]
        for line in lines.dropLast() { #expect(session.runner.feed(line) == .needsMore) }
        #expect(session.runner.feed(lines.last!) == .ran(succeeded: true))
        #expect(session.runner.feed("s = scale(3, k: 5)") == .ran(succeeded: true))
        #expect(session.number("s") == 15)
    }

    @Test func recursionIsBounded() {
        let session = SessionHarness(name: "r.bnl")
        #expect(!session.run("def f(n) { return f(n + 1) }\nf(1)"))
        #expect(session.lastError == "r.bnl:1:20: error: recursion deeper than 200 calls "
            + "(in f, called at r.bnl:1:20; 198 more calls; in f, called at r.bnl:2:2)")
        #expect(session.run("def down(n) { repeat min([n, 1]) { return down(n - 1) + 1 }\n return 0 }\nd = down(150)"))
        #expect(session.number("d") == 150)
        #expect(session.interpreter.frames.isEmpty)
    }

    @Test func ctrlCStopsALoopAndRecursionInsideAFunction() {
        let session = SessionHarness()
        var polls = 0
        session.interpreter.console.isInterrupted = { polls += 1; return polls > 1000 }
        #expect(!session.run("def spin() { repeat 1e9 { x = 1 } }\nspin()"))
        #expect(session.lastError.hasSuffix("interrupted"))
        polls = 900  // interrupted 100 polls later, well inside the recursion
        #expect(!session.run("def deep(n) { x = n; return deep(n) }\ndeep(1)"))
        #expect(session.lastError.hasSuffix("interrupted"))
        session.interpreter.console.isInterrupted = { false }
        #expect(session.interpreter.frames.isEmpty)
        #expect(session.run("y = 2"))
    }

    @Test func callFromSwift() throws {
        let session = SessionHarness()
        #expect(session.run(Self.bnForward))
        guard case .function(let f)? = session.variable("bn_forward") else { Issue.record("no function"); return }
        let here = SourcePosition(line: 1, column: 1)
        let x = Value.tensor(Tensor(vector: [1, 2, 3]))
        let y = try session.interpreter.call(function: f, arguments: [x, .number(2), .number(1)],
                                             labelled: ["eps": .number(0)], at: here)
        guard case .tensor(let t) = y else { Issue.record("not a tensor"); return }
        #expect(t.scalars == [-2, 1, 4])
        #expect(throws: LabError.self) {
            try session.interpreter.call(function: f, arguments: [], labelled: [:], at: here)
        }
    }

    @Test func helpVarsAndCompletion() {
        let session = SessionHarness()
        #expect(session.run(Self.bnForward + "\nhelp bn_forward\nhelp def\nhelp return\nvars"))
        #expect(session.text.contains("def bn_forward(x, gamma, beta, eps: 1e-05)\n  a function defined at <test>:1:1"))
        #expect(session.text.contains("def NAME(x, y, opt: 1) { … }: defines a function"))
        #expect(session.text.contains("return VALUE: ends the function's call"))
        #expect(session.output.last?.contains("bn_forward  def bn_forward(x, gamma, beta, eps: 1e-05)") == true)
        let completer = Completer(interpreter: session.interpreter)
        #expect(completer.candidates(line: "bn_f", wordStart: 0, prefix: "bn_f") == ["bn_forward"])
        #expect(completer.candidates(line: "de", wordStart: 0, prefix: "de").contains("def"))
    }

    /// Inside a call of a function written with def, Tab offers its labelled parameters, as for a command.
    @Test func tabCompletesAFunctionsLabels() {
        let session = SessionHarness()
        #expect(session.run("def f(x, gamma, eps: 1e-5, momentum: 0.1) { return x }"), "\(session.errors)")
        let completer = Completer(interpreter: session.interpreter)
        let line = "y = f(x, 2, ep"
        #expect(completer.candidates(line: line, wordStart: line.utf8.count - 2, prefix: "ep") == ["eps:"])
        let given = "y = f(x, 2, eps: 0, "
        let offered = completer.candidates(line: given, wordStart: given.utf8.count, prefix: "")
        #expect(offered.contains("momentum:") && !offered.contains("eps:"), "\(offered)")
        #expect(!completer.candidates(line: "y = g(x, ", wordStart: 9, prefix: "").contains { $0.hasSuffix(":") },
                "an unknown name offers no labels")
    }
}
