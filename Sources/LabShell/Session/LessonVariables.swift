/// What a lesson run at the prompt does to the learner's variables. A lesson assigns names a
/// learner may already use (`x`, `y`, `bn`); before it starts, each value the learner made
/// themselves is kept under `NAME_before` and one line says so, so nothing typed is lost and
/// nothing is replaced unannounced. Values an earlier lesson made are replaced without a word:
/// running that lesson again makes them again.
enum LessonVariables {
    /// The names the lesson's code assigns (in `repeat` bodies too), in order, each once. The
    /// narration lines are blanked so the code parses as the runner will run it, line numbers
    /// and all; a lesson that does not parse as a whole is read line by line.
    static func assigned(in source: String, interpreter: Interpreter) -> [String] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Narration.text(of: String(line)) == nil ? String(line) : ""
        }
        let statements = (try? interpreter.parse(lines.joined(separator: "\n")))
            ?? lines.flatMap { (try? interpreter.parse($0)) ?? [] }
        var names: [String] = []
        var seen: Set<String> = []
        func collect(_ statements: [Statement]) {
            for statement in statements {
                switch statement {
                case .assign(let name, _, _) where !seen.contains(name):
                    seen.insert(name)
                    names.append(name)
                case .unpack(let targets, _, _):
                    for target in targets where !seen.contains(target.name) {
                        seen.insert(target.name)
                        names.append(target.name)
                    }
                case .repeat(_, let body, _):
                    collect(body)
                case .if(_, let body, let otherwise, _):
                    collect(body + otherwise)
                default:
                    break
                }
            }
        }
        collect(statements)
        return names
    }

    /// Keeps the learner's own values among `names` under free `NAME_before` names (never one
    /// that exists or that the lesson assigns) and returns the line that says so; nil when the
    /// lesson replaces nothing of the learner's.
    static func keepLearnersValues(of names: [String], lesson: Int, in interpreter: Interpreter) -> String? {
        let theirs = names.filter { interpreter.variables[$0] != nil && !interpreter.madeByLessons.contains($0) }
        guard !theirs.isEmpty else { return nil }
        let taken = Set(names)
        var kept: [String] = []
        for name in theirs {
            var copy = name + "_before", n = 2
            while interpreter.variables[copy] != nil || taken.contains(copy) {
                copy = name + "_before\(n)"
                n += 1
            }
            interpreter.variables[copy] = interpreter.variables[name]
            kept.append(copy)
        }
        return "lesson \(lesson) will replace your \(theirs.joined(separator: ", ")) (kept as \(kept.joined(separator: ", ")))"
    }
}
