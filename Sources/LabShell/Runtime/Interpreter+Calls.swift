/// One running call of a user function: its local variables and, once `return` ran, its value.
struct CallFrame {
    let function: UserFunction
    /// Where it was called from, for warnings raised inside it.
    let call: CallTrace.Call
    var locals: [String: Value]
    var returnValue: Value?
}

// MARK: - Scope

extension Interpreter {
    /// A name's value: a local of the running call first, then the session's variables (as
    /// Python reads globals from inside a function).
    func lookup(_ name: String) -> Value? {
        if let frame = frames.last, let value = frame.locals[name] { return value }
        return variables[name]
    }

    /// `name = value`: a local inside a call, so a function never changes the session's variables.
    func assign(_ name: String, _ value: Value) {
        if frames.isEmpty {
            variables[name] = value
            noteWhoMade(name)
        } else {
            frames[frames.count - 1].locals[name] = value
        }
    }

    /// True once `return` ran in the innermost call: the statements and loops around it stop.
    var isReturning: Bool { frames.last?.returnValue != nil }

    /// The calls running now as a trace (nil outside a function): a warning at `location` inside one.
    func runningTrace(at location: SourcePosition?) -> CallTrace? {
        guard let frame = frames.last else { return nil }
        return CallTrace(file: frame.function.file, lineText: location.flatMap { frame.function.lineText($0.line) },
                         calls: frames.reversed().map(\.call))
    }

    /// The source the running statement was read from: the innermost function's file, or the runner's.
    var currentFile: String { frames.last?.function.file ?? activeSource?.sourceName ?? "<input>" }
}

// MARK: - def and return

extension Interpreter {
    /// Runs a `def`: the function becomes a session variable of its name, replacing what was there.
    func define(_ definition: FunctionDefinition) throws(LabError) {
        for name in [definition.name] + definition.parameters.map(\.name) where commands[name] != nil {
            let location = definition.parameters.first { $0.name == name }?.location ?? definition.nameLocation
            throw LabError(.name, "'\(name)' is a command; pick another name for the "
                + (name == definition.name ? "function" : "parameter"), at: location)
        }
        if keepsLearnerFunction(instead: definition) { return }
        var parameters: [UserFunction.Parameter] = []
        for parameter in definition.parameters {
            let value = try parameter.defaultValue.map { (expr: Expr) throws(LabError) in try evaluate(expr) }
            parameters.append(.init(name: parameter.name, defaultValue: value, location: parameter.location))
        }
        let lines = activeSource?.runningLines(definition.location.line...definition.endLine) ?? []
        let function = UserFunction(name: definition.name, parameters: parameters, body: definition.body,
                                    file: currentFile, definedAt: definition.location, lines: lines)
        // A def runs at the top level (the parser sees to it), so this is always the session's.
        variables[definition.name] = .function(function)
        noteWhoMade(definition.name)
    }

    /// `return a, b`: several values come back as one list.
    func returnFromCall(_ exprs: [Expr]) throws(LabError) {
        var values: [Value] = []
        for expr in exprs { values.append(try evaluate(expr)) }
        let value: Value = values.count == 1 ? values[0] : values.isEmpty ? .none : .list(values)
        frames[frames.count - 1].returnValue = value
    }
}

// MARK: - Calls

extension Interpreter {
    /// Calls a user function from Swift (grading a learner's function, say): `arguments` fill
    /// its positional parameters in order, `labelled` its parameters by name; what it returns
    /// comes back. An error inside it carries its position in the function's file and a trace
    /// ending at `location`, as for a call written in the language.
    public func call(function: UserFunction, arguments: [Value], labelled: [String: Value],
                     at location: SourcePosition) throws(LabError) -> Value {
        let given = arguments.map { CallArgument(label: nil, value: $0, location: location, sourceName: nil) }
            + labelled.sorted { $0.key < $1.key }.map { CallArgument(label: $0.key, value: $0.value, location: location, sourceName: nil) }
        return try call(function, given, at: location)
    }

    /// `f(x, g, b, eps: 1e-3)`: binds the arguments, runs the body in a fresh local scope.
    func call(_ function: UserFunction, _ arguments: [CallArgument], at location: SourcePosition) throws(LabError) -> Value {
        let locals = try bind(arguments, to: function, at: location)
        guard onCallStack else {
            return try CallStack.run { (floor: Int?) throws(LabError) -> Value in
                onCallStack = true
                callStackFloor = floor
                defer { onCallStack = false; callStackFloor = nil }
                return try run(function, locals, at: location)
            }
        }
        return try run(function, locals, at: location)
    }

    /// The call itself, on the big stack: its frame, its body, and the trace of an error leaving it.
    private func run(_ function: UserFunction, _ locals: [String: Value], at location: SourcePosition) throws(LabError) -> Value {
        guard frames.count < LanguageLimits.maxCallDepth else {
            throw LabError(.limit, "recursion deeper than \(LanguageLimits.maxCallDepth) calls", at: location)
        }
        if let callStackFloor, CallStack.here() < callStackFloor {
            throw LabError(.limit, "recursion too deep for the stack after \(frames.count) calls", at: location)
        }
        if console.isInterrupted() { throw LabError.interrupted }
        let call = CallTrace.Call(function: function.name, file: currentFile, position: location)
        frames.append(CallFrame(function: function, call: call, locals: locals))
        defer { frames.removeLast() }
        do {
            try run(function.body)
        } catch {
            throw error.leaving(function, call: call)
        }
        return frames[frames.count - 1].returnValue ?? .none
    }

    /// The arguments as the function's locals, checked the way a built-in command's are: positional
    /// ones in order, labelled ones by name, a labelled default for each left out.
    private func bind(_ arguments: [CallArgument], to function: UserFunction,
                      at location: SourcePosition) throws(LabError) -> [String: Value] {
        var locals: [String: Value] = [:]
        let positional = function.positional
        var next = 0
        for argument in arguments {
            if let label = argument.label {
                guard function.parameters.contains(where: { $0.name == label }) else {
                    let hint = Suggestions.closest(to: label, in: function.parameters.map(\.name)).map { " — did you mean '\($0):'?" } ?? ""
                    throw LabError(.name, "\(function.name) has no parameter '\(label)'\(hint) (\(function.signature))",
                                   at: argument.location)
                }
                guard locals[label] == nil else {
                    throw LabError(.type, "\(function.name) got '\(label)' twice", at: argument.location)
                }
                locals[label] = argument.value
            } else {
                // Positional arguments cannot follow labelled ones (the parser sees to it).
                guard next < positional.count else {
                    let count = positional.count
                    throw LabError(.type, "\(function.name) takes \(count == 0 ? "no" : "\(count)") positional argument"
                        + "\(count == 1 ? "" : "s"), got more (\(function.signature))", at: argument.location)
                }
                locals[positional[next].name] = argument.value
                next += 1
            }
        }
        for parameter in function.parameters where locals[parameter.name] == nil {
            guard let value = parameter.defaultValue else {
                throw LabError(.type, "\(function.name) needs \(parameter.name) (\(function.signature))", at: location)
            }
            locals[parameter.name] = value
        }
        return locals
    }
}
