import BatchNormKit

/// A lesson's exercise in writing code: `exercise("Write bn_forward…", write: "bn_forward", task:
/// "batchnorm_forward")`. On a terminal the learner types a `def` over as many lines as it takes;
/// it runs in the session and `grade` checks it at once, until it passes or the learner skips. The
/// lesson's own `def` of the same name follows in the file: when the learner's passed, the lesson
/// shows its version for comparison and keeps the learner's (`Interpreter.keptLearnerFunctions`).
/// From a pipe or a file there is no one to ask, so the lesson's version runs, as it always did.
struct CodeExercise {
    let call: Invocation
    let name: String

    func run() throws(LabError) -> Value {
        typealias P = LessonParameters
        let interpreter = call.interpreter, console = interpreter.console
        guard let taskName = call[P.task] else {
            throw LabError(.value, "exercise(…, write: \"\(name)\") needs task:, the grading task it is graded as, "
                           + "as in task: \"batchnorm_forward\"", at: call.location)
        }
        let task = try GradeCommand.task(named: taskName, at: call.locationOf(P.task))
        console.print("exercise: " + call[P.question])
        guard let ask = console.ask else {
            console.print("(piped, so the lesson's \(name) follows; at a terminal you write it first)")
            return .none
        }
        console.print("write def \(name)(…) { … } over as many lines as you need; when it runs, grade checks it "
                      + "as \(task.rawValue). hint, solution or skip: the lesson's version follows")
        let hint = call[P.hint].isEmpty ? "read the narration above again" : call[P.hint]
        // The answer runs as a little file of its own: errors say answer:LINE:COL, a def keeps its lines.
        let runner = ScriptRunner(interpreter: interpreter, sourceName: "answer")
        runner.echoesLessons = false
        // Each attempt, whole, goes to the line editor's history, so Up recalls it to fix it.
        var typed: [String] = []
        runner.entryComplete = {
            console.remember?(typed.joined(separator: "\n"))
            typed = []
        }
        while true {
            let before = interpreter.lookup(name)
            guard let line = ask(runner.isWaitingForMore ? "   ...> " : "answer> ") else {
                // Ctrl-C stops the lesson here; Ctrl-D only ends the exercise.
                if console.isInterrupted() { throw LabError.interrupted.located(at: call.location) }
                console.print("the lesson's \(name) follows")
                return .none
            }
            if !runner.isWaitingForMore {
                switch line.trimmingTrailingSpaces().drop(while: { $0 == " " }) {
                case "": continue
                case "hint": console.print("hint: " + hint); continue
                case "solution", "skip": console.print("the lesson's \(name) follows"); return .none
                default: break
                }
            }
            // An attempt recalled from history comes back whole, newlines and all: line by line.
            var result = ScriptRunner.FeedResult.needsMore
            for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
                typed.append(String(part))
                result = runner.feed(String(part))
            }
            guard case .ran(succeeded: true) = result else { continue }
            guard case .function(let function) = interpreter.lookup(name), !Self.same(before, function) else {
                continue   // a statement of the learner's own (`stats x`): it ran, the question stays
            }
            let setting: GradeCommand.SettingPassing
            do throws(LabError) { setting = try GradeCommand.settingPassing(function, task: task, at: nil) } catch {
                console.print(error.message)
                continue
            }
            let seed = interpreter.generator.next() % 1_000_000
            let grade = try GradeCommand.grade(function, as: task, setting: setting, seed: seed, in: interpreter, at: call.location)
            if case .record(let record) = grade, case .bool(true) = record["passed"] {
                interpreter.keptLearnerFunctions[name] = function
                console.print("right: your \(name) passes; the lesson's version follows for comparison, and yours stays")
                return .none
            }
            console.print("hint: \(hint) (type def \(name)(…) again to replace it, or skip)")
        }
    }

    private static func same(_ value: Value?, _ function: UserFunction) -> Bool {
        if case .function(let earlier) = value { return earlier === function }
        return false
    }
}

extension Interpreter {
    /// The lesson's `def` of a function the learner already wrote and passed: shown (the runner
    /// echoed it), and run only when its parameters differ from the learner's, since the lesson
    /// goes on to call it with its own; the learner's is then kept as `my_NAME`. True when
    /// the lesson's def should not replace the learner's.
    func keepsLearnerFunction(instead definition: FunctionDefinition) -> Bool {
        guard activeSource?.lesson != nil, let mine = keptLearnerFunctions.removeValue(forKey: definition.name) else { return false }
        let theirs = definition.parameters.map { "\($0.name)\($0.defaultValue == nil ? "" : ":")" }
        let yours = mine.parameters.map { "\($0.name)\($0.isPositional ? "" : ":")" }
        if theirs == yours {
            console.print("(the lesson's \(definition.name), for comparison: yours passed, so yours stays)")
            return true
        }
        variables["my_" + definition.name] = .function(mine)
        console.print("the lesson's \(definition.name) takes (\(theirs.joined(separator: ", "))) and yours "
                      + "(\(yours.joined(separator: ", "))), so the lesson's replaces it; yours is my_\(definition.name)")
        return false
    }
}
