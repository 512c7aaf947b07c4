/// How a lesson shows each statement before its output: as the prompt would, `bnlab> ` before
/// the first line and `  ...> ` before each further line, so a learner sees what ran and can
/// type it again. A line wider than the console is wrapped at spaces under an indent.
///
/// The lesson's own voice is not echoed: narration (printed as prose), and the commands that
/// say `echoedInLessons: false` (check, expect, pause, exercise), whose output states the claim.
enum StatementEcho {
    /// Lines cut by the console's width continue this far right of the prompt.
    static let wrapIndent = String(repeating: " ", count: Prompt.primary.count + 4)

    /// The statement's lines behind their prompts, fitted to `width`.
    static func text(of source: String, width: Int) -> String {
        source.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
            LineWrap.wrap((index == 0 ? Prompt.primary : Prompt.continuation) + String(line).trimmingTrailingSpaces(),
                          width: width, indent: wrapIndent)
        }.joined(separator: "\n")
    }

    /// False when there is nothing to show (a blank line) or every statement is the lesson
    /// speaking: `check(…)`, `expect(…)`, `pause`, `exercise(…)`. `statements` is nil when the
    /// text did not parse; it is shown then, and the error follows it.
    static func shows(_ source: String, _ statements: [Statement]?, in interpreter: Interpreter) -> Bool {
        guard !source.allSatisfy(\.isWhitespace) else { return false }
        guard let statements, !statements.isEmpty else { return true }
        return !statements.allSatisfy { isLessonVoice($0, interpreter) }
    }

    private static func isLessonVoice(_ statement: Statement, _ interpreter: Interpreter) -> Bool {
        let name: String
        switch statement {
        case .expression(.call(.variable(let called, _), _, _)), .expression(.variable(let called, _)), .command(let called, _, _):
            name = called
        default:
            return false
        }
        // A variable of that name would be what runs, not the command.
        return interpreter.variables[name] == nil && interpreter.commands[name]?.echoedInLessons == false
    }
}
