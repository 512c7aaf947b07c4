@testable import LabShell
import Testing

/// Runs source text through the same runner the executable uses and captures everything it
/// prints, in order: a whole session as text.
final class SessionHarness {
    private(set) var transcript: [String] = []
    private(set) var output: [String] = []
    private(set) var errors: [String] = []
    let interpreter: Interpreter
    let runner: ScriptRunner
    let keepGoing: Bool

    init(name: String = "<test>", keepGoing: Bool = true, terminal: Bool = false, width: Int = 80,
         waitForContinue: ((String) -> Bool)? = nil, configuration: SessionConfiguration = SessionHarness.checkout) {
        var sink: SessionHarness?
        interpreter = Interpreter(console: Console(
            print: { sink?.output.append($0); sink?.transcript.append($0) },
            printError: { sink?.errors.append($0); sink?.transcript.append($0) },
            isTerminal: terminal, width: width, waitForContinue: waitForContinue),
            configuration: configuration)
        runner = ScriptRunner(interpreter: interpreter, sourceName: name, stopsAtFirstError: !keepGoing)
        self.keepGoing = keepGoing
        sink = self
    }

    /// Feeds `source` as a pipe would, through the runner the executable uses; returns true when
    /// nothing failed.
    @discardableResult
    func run(_ source: String) -> Bool {
        runner.run(source.utf8)
    }

    /// The checkout's own data/ and lessons/, as `swift run bnlab` finds them.
    static let checkout: SessionConfiguration = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // SessionHarness.swift, LabShellTests, Tests
        let root = parts.joined(separator: "/")
        return SessionConfiguration(dataFolder: root + "/data", lessonsFolder: root + "/lessons")
    }()

    var text: String { transcript.joined(separator: "\n") }
    var lastError: String { errors.last ?? "" }

    func variable(_ name: String) -> Value? { interpreter.variables[name] }

    func tensor(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Float] {
        guard case .tensor(let t)? = variable(name) else {
            Issue.record("\(name) is not a tensor", sourceLocation: sourceLocation)
            return []
        }
        return t.scalars
    }

    func number(_ name: String) -> Double? {
        if case .number(let v)? = variable(name) { return v }
        return nil
    }
}
