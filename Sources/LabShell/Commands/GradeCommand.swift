import BatchNormKit

extension CommandTable {
    /// Grading a learner's own implementation (CS231n's assignment 2) against the engine.
    static var gradingCommands: [CommandSpec] {
        [
            CommandSpec("grade", "run your own function on fresh random cases against the engine: ✓ per case, or the first wrong element, "
                        + "the stage that differs and the classic mistake when it is one; returns a record (passed, cases, first_failure)",
                        brief: "grade your own BatchNorm or LayerNorm function against the engine",
                        example: "g = grade(bn_forward, \"batchnorm_forward\")",
                        positional: [GradeCommand.function, GradeCommand.task], options: [GradeCommand.seed]) { call throws(LabError) in
                try GradeCommand(call: call).run()
            },
        ]
    }
}

/// `grade(fn, "batchnorm_forward")`: calls the learner's function on each case the kit makes,
/// prints one line per case, and returns the grade as a record a lesson can `check`.
struct GradeCommand {
    let call: Invocation

    static let function = Param.any("fn", "your function, written with def")
    static let task = Param.string("task", "what it computes: " + GradingTask.allCases.map(\.rawValue).joined(separator: ", "))
    static let seed = Param<Double?>.number("seed", "the cases' seed, to grade the same cases again (default: fresh ones)")

    func run() throws(LabError) -> Value {
        let interpreter = call.interpreter
        guard case .function(let function) = call[Self.function] else {
            throw LabError(.type, "grade needs a function written with def, got \(call[Self.function].typeName)", at: call.locationOf(Self.function))
        }
        let task = try Self.task(named: call[Self.task], at: call.locationOf(Self.task))
        let setting = try Self.settingPassing(function, task: task, at: call.locationOf(Self.function))
        let seed = try call[Self.seed].map { s throws(LabError) -> UInt64 in
            guard s >= 0, s < 1e15, s == s.rounded() else { throw LabError(.value, "seed must be a whole number ≥ 0", at: call.locationOf(Self.seed)) }
            return UInt64(s)
        } ?? (interpreter.generator.next() % 1_000_000)
        return try Self.grade(function, as: task, setting: setting, seed: seed, in: interpreter, at: call.location)
    }

    /// Grades `function` on the task's cases for `seed`, printing a line per case: what `grade` and
    /// a lesson's code exercise (`exercise(…, write:, task:)`) both do.
    static func grade(_ function: UserFunction, as task: GradingTask, setting: SettingPassing, seed: UInt64,
                      in interpreter: Interpreter, at location: SourcePosition) throws(LabError) -> Value {
        let console = interpreter.console
        let cases: [GradeCase]
        do throws(TensorError) { cases = try GradeCases.make(for: task, seed: seed) } catch { throw LabError(error, at: location) }
        console.print("grading \(function.name) as \(task.rawValue) on \(cases.count) cases (seed: \(seed)): \(task.summary)")
        var outcomes: [GradeOutcome] = []
        for gradeCase in cases {
            if console.isInterrupted() { throw LabError.interrupted.located(at: location) }
            var arguments = gradeCase.arguments.map(Value.tensor)
            var labelled: [String: Value] = [:]
            switch setting {
            case .labelled: labelled[task.settingName] = .number(gradeCase.setting)
            case .positional: arguments.append(.number(gradeCase.setting))
            }
            let outcome: GradeOutcome
            do throws(LabError) {
                let returned = try interpreter.call(function: function, arguments: arguments, labelled: labelled, at: location)
                outcome = Self.tensors(returned, task: task).map { Grader.check($0, task: task, against: gradeCase) }
                    ?? GradeOutcome(caseName: gradeCase.name, passed: false,
                                    message: "it returned \(returned.typeName); \(task.rawValue) returns \(task.outputNames.joined(separator: ", ")) as tensors")
            } catch where error.kind == .interrupted {
                throw error
            } catch {
                // The same error would stop every case: report it once, where it happened.
                let place = error.location.map { "\(error.trace?.file ?? function.file):\($0.line):\($0.column): " } ?? ""
                outcomes.append(GradeOutcome(caseName: gradeCase.name, passed: false, message: "it stopped with an error: \(place)\(error.message)"))
                console.print("✗ \(gradeCase.name): " + outcomes[outcomes.count - 1].message)
                let rest = cases.count - outcomes.count
                if rest > 0 { console.print("the other \(rest) case\(rest == 1 ? " was" : "s were") not run") }
                break
            }
            outcomes.append(outcome)
            console.print((outcome.passed ? interpreter.glyphs.checkMark : "✗") + " \(gradeCase.name): \(outcome.message)")
        }
        let failures = outcomes.filter { !$0.passed }
        let passed = failures.isEmpty && outcomes.count == cases.count
        console.print(passed ? "\(function.name) passes all \(cases.count) cases of \(task.rawValue)"
                      : "\(function.name) fails \(failures.count) of the \(outcomes.count) cases run; fix the first and grade again")
        return .record(Record([
            ("passed", .bool(passed)),
            ("task", .string(task.rawValue)),
            ("seed", .number(Double(seed))),
            ("cases", .list(outcomes.map { o in
                .record(Record([("name", .string(o.caseName)), ("passed", .bool(o.passed)), ("message", .string(o.message)),
                                ("mistake", o.mistake.map { .string($0) } ?? .none)]))
            })),
            ("failed", .number(Double(failures.count))),
            ("first_failure", failures.first.map { .string("\($0.caseName): \($0.message)") } ?? .none),
            ("mistake", failures.first?.mistake.map { .string($0) } ?? .none),
        ]))
    }

    enum SettingPassing { case labelled, positional }

    static func task(named name: String, at location: SourcePosition?) throws(LabError) -> GradingTask {
        if let task = GradingTask(rawValue: name) { return task }
        let names = GradingTask.allCases.map(\.rawValue)
        throw LabError(.value, Suggestions.message("no grading task named \"\(name)\"", closestTo: name, in: names, quote: "\"",
                                                   then: "the tasks: " + names.joined(separator: ", ")), at: location)
    }

    /// eps (or momentum) goes to a parameter of that name, else to one positional parameter
    /// more than the task's arguments; a function with neither could not honour the case's eps.
    static func settingPassing(_ function: UserFunction, task: GradingTask, at location: SourcePosition?) throws(LabError) -> SettingPassing {
        let wanted = task.argumentNames.count
        if function.labelled.contains(where: { $0.name == task.settingName }), function.positional.count == wanted { return .labelled }
        if function.positional.count == wanted + 1 { return .positional }
        throw LabError(.value, "\(function.signature) cannot be graded as \(task.rawValue): it is called with "
                       + "\(task.argumentNames.joined(separator: ", ")) and \(task.settingName), as in \(task.signature)", at: location)
    }

    /// What the function returned, as the task's outputs: one tensor, or a list of them.
    static func tensors(_ value: Value, task: GradingTask) -> [Tensor]? {
        switch value {
        case .tensor(let t): return [t]
        case .number(let n): return [Tensor(vector: [Float(n)])]
        case .list(let items):
            var result: [Tensor] = []
            for item in items {
                switch item {
                case .tensor(let t): result.append(t)
                case .number(let n): result.append(Tensor(vector: [Float(n)]))
                default: return nil
                }
            }
            return result
        default: return nil
        }
    }
}
