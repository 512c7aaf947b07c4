import BatchNormKit

extension CommandTable {
    /// What lesson files are written with (check, expect, pause, exercise) and how they are run.
    static var lessonCommands: [CommandSpec] {
        typealias P = LessonParameters
        return [
            CommandSpec("check", "a lesson's claim: stop with FILE:LINE: check failed: … when the condition is false", brief: "a lesson's claim: stop with check failed when false",
                        example: "check(max(abs(channel_means(y))) < 1e-6, \"every channel of y has mean 0\")",
                        positional: [P.condition, P.claim], echoedInLessons: false) { call throws(LabError) in
                guard call[P.condition] else {
                    throw LabError(.check, call[P.claim], at: call.location)
                }
                call.interpreter.console.print(call.interpreter.claimLine.check(call[P.claim], comparison: call.comparison(P.condition),
                                                                                 condition: call.expression(P.condition)))
                return .none
            },
            CommandSpec("expect", "a lesson's claim about a number: |value − target| ≤ within, or stop with check failed", brief: "a lesson's claim about a number, within a tolerance",
                        example: "expect(mean(y), 0, \"y has mean 0\", within: 1e-6)",
                        positional: [P.value, P.target, P.expectClaim], options: [P.expectWithin], echoedInLessons: false) { call throws(LabError) in
                let value = call[P.value], target = call[P.target]
                let tolerance = call[P.expectWithin]
                guard abs(value - target) <= tolerance else {
                    let claim = call[P.expectClaim].flatMap { $0.isEmpty ? nil : $0 } ?? "expected \(NumberFormat.shortest(target))"
                    throw LabError(.check, "\(claim): got \(NumberFormat.shortest(value)), expected \(NumberFormat.shortest(target)) ± \(NumberFormat.shortest(tolerance))", at: call.location)
                }
                call.interpreter.console.print(call.interpreter.claimLine.expect(call[P.expectClaim], value: value, source: call.expression(P.value),
                                                                                  target: target, targetSource: call.expression(P.target), within: tolerance))
                return .none
            },
            CommandSpec("pause", "in a lesson on a terminal, wait for Enter (skipped from a pipe, a file run, or --no-pause)", brief: "a lesson's pause: wait for a key on a terminal",
                        example: "pause", echoedInLessons: false) { call throws(LabError) in
                let interpreter = call.interpreter
                // The lesson's runner, when this pause is a lesson's (nil at the prompt or in a pipe).
                let source = interpreter.activeSource
                defer { source?.lesson?.step += 1 }
                guard let wait = interpreter.console.waitForContinue, !interpreter.console.skipPauses else { return .none }
                let place = source?.lesson.map { "\($0.title) · step \($0.step)/\($0.steps)" } ?? "paused"
                if !wait("[\(place)] Enter to go on, q to stop the lesson ") {
                    // Say where, and how to go on: the variables stay, the lesson starts over.
                    let again = source?.lesson.map { " (type lesson \($0.title.dropFirst(7).prefix { $0 != "/" }) to start it again)" } ?? ""
                    interpreter.console.print("stopped at \(place); the lesson's variables so far are yours\(again)")
                    throw LabError(.interrupted, "lesson stopped", at: call.location)
                }
                return .none
            },
            CommandSpec("exercise", "ask the learner to compute something; hints on a wrong answer, the solution after three tries; "
                        + "with write: and task:, to write a function that grade checks", brief: "ask the learner to compute something, with hints",
                        example: "exercise(\"What is the mean of y?\", answer: mean(y), hint: \"use mean(y)\", solution: \"mean(y)\")",
                        positional: [P.question], options: [P.answer, P.exerciseWithin, P.hint, P.solution, P.write, P.task],
                        echoedInLessons: false) { call throws(LabError) in
                if let name = call[P.write] { return try CodeExercise(call: call, name: name).run() }
                return try Exercise(call: call).run()
            },
            CommandSpec("lessons", "list the lessons with their summaries", example: "lessons", commandForm: true) { call throws(LabError) in
                let catalog = LessonCatalog(call.interpreter.configuration)
                let entries = catalog.entries
                guard !entries.isEmpty else {
                    throw LabError(.file, "no lessons found in \(catalog.folder) (set BNLAB_LESSONS to the lessons folder)", at: call.location)
                }
                var table = TextTable(alignNumbers: false)
                for entry in entries { table.rows.append(["  \(entry.number)", entry.title, entry.summary]) }
                call.interpreter.console.print("lessons (lesson N to run one; its variables stay for you to explore):\n"
                                               + table.render(width: call.interpreter.console.width))
                return .none
            },
            CommandSpec("lesson", "run a lesson in this session, by number or name: lesson 3",
                        example: "lesson 3", positional: [LessonRunner.which], commandForm: true) { call throws(LabError) in
                try LessonRunner(call: call).run()
            },
        ]
    }
}

/// One exercise: on a terminal, up to three tries with a hint; elsewhere the solution at once.
struct Exercise {
    let call: Invocation

    func run() throws(LabError) -> Value {
        let console = call.interpreter.console
        typealias P = LessonParameters
        let question = call[P.question]
        let answer = call[P.answer]
        let solution = call[P.solution]
        let precision = call.interpreter.formatter.precision
        let shown = answer.map { NumberFormat.value($0, precision: precision) }
        let reveal = solution.isEmpty && shown == nil ? "(this exercise gives no solution: work it out at the prompt)"
            : "solution: " + [solution.isEmpty ? nil : solution, shown].compactMap { $0 }.joined(separator: " = ")
        console.print("exercise: " + question)
        guard let ask = console.ask, let answer else {
            console.print(reveal)
            return .none
        }
        let tolerance = call[P.exerciseWithin]
        let hint = call[P.hint].isEmpty ? "try again" : call[P.hint]
        var tries = 0
        // Only a wrong number costs a try; `hint`, `solution`/`skip`, an empty line, a statement
        // (`stats x`) or something that is not a number are answered and the question stays.
        while tries < 3 {
            guard let line = ask("answer> ") else {
                if console.isInterrupted() { throw LabError.interrupted.located(at: call.location) }
                console.print(reveal)
                return .none
            }
            let word = line.trimmingTrailingSpaces().drop { $0 == " " }
            switch word {
            case "": console.print("type a number or an expression like mean(y); or hint, solution, skip"); continue
            case "hint": console.print("hint: " + hint); continue
            case "solution", "skip": console.print(reveal); return .none
            default: console.remember?(String(word))
            }
            // The learner may type a number or any expression (`mean(y)`), evaluated in the session.
            switch answerValue(String(word)) {
            case .number(let given):
                if abs(given - answer) <= tolerance * max(1, abs(answer)) {
                    console.print("right: \(NumberFormat.value(given, precision: precision))")
                    return .none
                }
                tries += 1
                let why = "\(NumberFormat.value(given, precision: precision)) is not it"
                console.print(tries < 3 ? "\(why). hint: " + hint : "\(why). " + reveal)
            case .ranStatement:
                continue
            case .notANumber(let reason):
                console.print("\(reason): that is not a number, so it does not count; type a number or an expression like mean(y)")
            }
        }
        return .none
    }

    enum AnswerValue {
        case number(Double)
        /// A statement (a command, an assignment) ran in the session and showed its output.
        case ranStatement
        case notANumber(String)
    }

    private func answerValue(_ line: String) -> AnswerValue {
        let interpreter = call.interpreter
        do throws(LabError) {
            let statements = try Parser.parse(line, commandNames: interpreter.commandFormNames)
            if statements.count == 1, case .expression(let expr) = statements[0] {
                let value = try interpreter.evaluate(expr)
                if case .number(let v) = value { return .number(v) }
                return .notANumber("it is \(value.typeName)")
            }
            try interpreter.run(line)
            return .ranStatement
        } catch {
            return .notANumber(error.message)
        }
    }
}

/// The parameters of the commands lessons are written with.
enum LessonParameters {
    static let condition = Param.bool("condition", "a comparison, like a < b")
    static let claim = Param.string("claim", "what the check shows")
    static let value = Param.number("value", "the number computed")
    static let target = Param.number("target", "what it should be")
    static let expectClaim = Param<String?>.string("claim", "what the check shows")
    static let expectWithin = Param.number("within", default: 1e-6, "the tolerance")
    static let question = Param.string("question", "what to compute")
    static let answer = Param<Double?>.number("answer", "the right number")
    static let exerciseWithin = Param.number("within", default: 1e-3, "how close counts as right")
    static let hint = Param.string("hint", default: "", "shown after a wrong answer")
    static let solution = Param.string("solution", default: "", "how to get it, shown at the end")
    static let write = Param<String?>.string("write", "a function the learner writes with def, graded at once (a code exercise)")
    static let task = Param<String?>.string("task", "the grading task a written function is graded as, as in grade")
}

extension Interpreter {
    /// How a claim that held is printed, in this session's glyphs, precision and width.
    var claimLine: ClaimLine { ClaimLine(glyphs: glyphs, digits: formatter.precision, width: console.width) }
}

extension LessonRunner {
    static let which = Param.any("which", "a number, or part of the file name")
}
