import BatchNormKit

/// Runs parsed statements: keeps the variables, the random generator and the command table,
/// and turns every failure into a located `LabError`. It prints only through its `Console`.
public final class Interpreter {
    public var console: Console
    var variables: [String: Value] = [:]
    var generator = SeededGenerator()
    let commands: [String: CommandSpec]
    let commandList: [CommandSpec]
    /// Set by `exit`/`quit`: the runner stops reading input.
    public internal(set) var exitRequested = false
    /// How values print; its width and glyphs follow the console (a window can be resized).
    var formatter: ValueFormatter {
        get {
            var formatter = storedFormatter
            formatter.ascii = glyphs.ascii
            formatter.width = console.width
            return formatter
        }
        set { storedFormatter = newValue }
    }
    private var storedFormatter = ValueFormatter()
    /// `ascii(true)` for this session; the console's own setting (flag or locale) also counts.
    var asciiRequested = false
    /// Where `digits()` and `lessons` find their files, as the executable (or a test) decided.
    public let configuration: SessionConfiguration
    /// The runner whose statement is running now (a lesson's, inside the prompt's): it reports
    /// warnings with its file name and holds the lesson's pause steps.
    var activeSource: ScriptRunner?
    /// The lesson and script files running now (`lesson`, `run`), outermost first, by canonical
    /// path: a file that runs itself, or two that run each other, is stopped at once instead of
    /// recursing until the stack runs out.
    var runningFiles: [String] = []
    /// The variables whose value a lesson assigned and nobody has changed since: a lesson run
    /// later replaces these silently, and keeps a copy of any other (`LessonVariables`).
    var madeByLessons: Set<String> = []
    /// Functions the learner wrote at a lesson's code exercise and passed, until the lesson's own
    /// def of the name comes (`keepsLearnerFunction(instead:)`).
    var keptLearnerFunctions: [String: UserFunction] = [:]
    var glyphs: Glyphs { Glyphs(ascii: asciiRequested || console.ascii) }
    /// The user-function calls running now, innermost last: each holds its local variables.
    var frames: [CallFrame] = []
    /// Set while user functions run on the big `CallStack`: the lowest address a call may reach.
    var callStackFloor: Int?
    var onCallStack = false

    public init(console: Console, configuration: SessionConfiguration) {
        self.console = console
        self.configuration = configuration
        commandList = CommandTable.all
        // Two commands with one name is a mistake in the table: say which, rather than drop one.
        commands = Dictionary(commandList.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in
            preconditionFailure("the command table declares '\(first.name)' twice")
        })
    }

    /// Names that may be written in command form (`help batchnorm`).
    var commandFormNames: Set<String> { Set(commandList.filter(\.allowsCommandForm).map(\.name)) }

    /// Every variable name, sorted: for `vars` and Tab completion.
    public var variableNames: [String] { variables.keys.filter { $0 != Self.lastValueName }.sorted() }
    /// The name that holds the last value shown.
    static let lastValueName = "_"
    public var commandNames: [String] { commandList.map(\.name) }

    /// Parses and runs one complete chunk of source text, starting at `firstLine`.
    public func run(_ source: String, firstLine: Int = 1) throws(LabError) {
        try run(try parse(source, firstLine: firstLine))
    }

    /// One complete chunk of source text as statements, with this session's command-form names.
    func parse(_ source: String, firstLine: Int = 1) throws(LabError) -> [Statement] {
        try Parser.parse(source, firstLine: firstLine, commandNames: commandFormNames)
    }

    /// Runs parsed statements in order, until one fails or asks to exit.
    func run(_ statements: [Statement]) throws(LabError) {
        for statement in statements {
            guard !exitRequested, !isReturning else { return }
            try execute(statement)
        }
    }

    // MARK: - Statements

    func execute(_ statement: Statement) throws(LabError) {
        if console.isInterrupted() { throw LabError.interrupted }
        switch statement {
        case .assign(let name, let expr, let location):
            guard commands[name] == nil else {
                throw LabError(.name, "'\(name)' is a command; pick another name for the variable", at: location)
            }
            assign(name, try evaluate(expr))
        case .unpack(let names, let expr, let location):
            try unpack(try evaluate(expr), into: names, at: location)
        case .assignField(let objectExpr, let field, let expr, let location):
            let object = try evaluate(objectExpr)
            let value = try evaluate(expr)
            try Fields.set(field, of: object, to: value, at: location)
            // `bn.momentum = 0.5` typed at the prompt makes a lesson's bn the learner's own.
            if let name = objectExpr.variableName { noteWhoMade(name) }
        case .repeat(let countExpr, let body, let location):
            let count = try evaluate(countExpr)
            guard case .number(let n) = count, n == n.rounded(), n >= 0, n <= Double(LanguageLimits.maxRepeatCount) else {
                throw LabError(.value, "repeat needs a whole number of times from 0 to \(LanguageLimits.maxRepeatCount), "
                    + "got \(formatter.brief(count))", at: countExpr.location)
            }
            for _ in 0..<Int(n) {
                for inner in body {
                    try execute(inner)
                    if exitRequested || isReturning { return }
                }
                if console.isInterrupted() { throw LabError.interrupted.located(at: location) }
            }
        case .if(let conditionExpr, let body, let otherwise, _):
            let condition = try evaluate(conditionExpr)
            let holds: Bool
            switch condition {
            case .bool(let b): holds = b
            case .number(let n): holds = n != 0 && !n.isNaN
            case .tensor:
                throw LabError(.type, "if needs one true or false; a comparison of tensors gives a 0/1 mask: "
                    + "reduce it first, as in if max(x) > 0 { … }", at: conditionExpr.location)
            default:
                throw LabError(.type, "if needs true or false, got \(condition.typeName)", at: conditionExpr.location)
            }
            for inner in holds ? body : otherwise {
                try execute(inner)
                if exitRequested || isReturning { return }
            }
        case .expression(let expr):
            // A command named on its own with nothing required runs (`help`, `vars`, `quit`).
            if case .variable(let name, let location) = expr, lookup(name) == nil, let command = commands[name],
               !command.positional.contains(where: \.isRequired), command.variadic == nil {
                show(try invoke(command, arguments: [], at: location))
                return
            }
            show(try evaluate(expr))
        case .command(let name, let words, let location):
            guard let command = commands[name] else { throw LabError(.name, "unknown command '\(name)'", at: location) }
            var arguments: [CallArgument] = []
            for (index, word) in words.enumerated() {
                let takesWord = index < command.positional.count && command.positional[index].kind == .word
                if takesWord, case .variable(let text, let l) = word {
                    arguments.append(CallArgument(label: nil, value: .string(text), location: l, sourceName: nil))
                } else {
                    arguments.append(CallArgument(label: nil, value: try evaluate(word), location: word.location,
                                                  sourceName: word.variableName))
                }
            }
            show(try invoke(command, arguments: arguments, at: location))
        case .def(let definition):
            try define(definition)
        case .return(let exprs, _):
            try returnFromCall(exprs)
        }
    }

    func noteWhoMade(_ name: String) {
        if activeSource?.lesson != nil { madeByLessons.insert(name) } else { madeByLessons.remove(name) }
    }

    private func show(_ value: Value) {
        if case .none = value { return }
        // Inside a function a value is shown (there is no print), but the session's `_` stays.
        guard frames.isEmpty else { return console.print(formatter.format(value)) }
        // `_` is the last value shown, as in Python's and IPython's prompts.
        variables[Self.lastValueName] = value
        console.print(formatter.format(value))
    }

    // MARK: - Expressions

    func evaluate(_ expr: Expr) throws(LabError) -> Value {
        switch expr {
        case .number(let v, _): return .number(v)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .variable(let name, let location):
            if let value = lookup(name) { return value }
            if let command = commands[name] { return .command(command) }
            throw unknownName(name, at: location)
        case .list(let items, let location):
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return .tensor(try TensorLiteral.build(values, at: location))
        case .unary(_, let operand, let location):
            switch try evaluate(operand) {
            case .number(let v): return .number(-v)
            case .tensor(let t): return .tensor(-t)
            case let other: throw LabError(.type, "cannot negate \(other.typeName)", at: location)
            }
        case .chain(let first, let rest):
            var value = try evaluate(first)
            for link in rest {
                value = try Arithmetic.apply(link.op, value, try evaluate(link.operand), at: link.location,
                                             shouldStop: console.isInterrupted)
            }
            return value
        case .index(let objectExpr, let subscripts, let location):
            let object = try evaluate(objectExpr)
            var parts: [Indexing.Part] = []
            for part in subscripts {
                switch part {
                case .at(let e): parts.append(.at(try evaluate(e), e.location))
                case .slice(let start, let stop, let step, let l):
                    parts.append(.slice(start: try start.map { (e) throws(LabError) in try evaluate(e) },
                                        stop: try stop.map { (e) throws(LabError) in try evaluate(e) },
                                        step: try step.map { (e) throws(LabError) in try evaluate(e) }, l))
                }
            }
            return try Indexing.apply(object, parts, at: location)
        case .field(let objectExpr, let name, let location):
            return try Fields.get(name, of: try evaluate(objectExpr), at: location)
        case .call(let calleeExpr, let argumentExprs, let location):
            var arguments: [CallArgument] = []
            let callee = try evaluate(calleeExpr)
            for argument in argumentExprs {
                let (value, comparison) = try evaluateArgument(argument, for: callee)
                arguments.append(CallArgument(label: argument.label, value: value, location: argument.location,
                                              sourceName: argument.value.variableName, expression: argument.value,
                                              comparison: comparison))
            }
            return try call(callee, arguments, at: location)
        }
    }

    /// `help(batchnorm)`: a bare word naming a command is taken as its name, not evaluated.
    /// A comparison argument keeps its sides, for the line a passing `check` prints.
    private func evaluateArgument(_ argument: Expr.Argument, for callee: Value) throws(LabError) -> (Value, ComparisonSides?) {
        if case .command(let command) = callee, command.positional.first?.kind == .word,
           case .variable(let name, _) = argument.value, lookup(name) == nil {
            return (.string(name), nil)
        }
        // concat([a, b]) and stack([a, b]): the tensors as a list, whatever their shapes.
        if case .command(let command) = callee, command.positional.first?.kind == .tensors,
           argument.label == nil || argument.label == command.positional.first?.name, case .list(let items, _) = argument.value {
            var values: [Value] = []
            for item in items { values.append(try evaluate(item)) }
            return (.list(values), nil)
        }
        return try evaluateKeepingComparison(argument.value)
    }

    func call(_ callee: Value, _ arguments: [CallArgument],
              at location: SourcePosition) throws(LabError) -> Value {
        switch callee {
        case .command(let command):
            return try invoke(command, arguments: arguments, at: location)
        case .model, .linear, .module:
            return try callNetwork(callee, arguments, at: location)
        case .function(let function):
            return try call(function, arguments, at: location)
        case .layer(let layer):
            guard arguments.count == 1, arguments[0].label == nil, case .tensor(let x) = arguments[0].value else {
                let got = arguments.count == 1 ? arguments[0].value.typeName : "\(arguments.count) arguments"
                throw LabError(.type, "a layer is called with one tensor, as in y = bn(x); got \(got)", at: location)
            }
            warnAboutNonFinite(x, what: "the input to \(layer.layerName)", consequence: .layerInput, at: arguments[0].location)
            let y: Tensor
            do { y = try layer.forward(x) } catch { throw LabError(error, at: location) }
            warnAboutZeroOverZero(layer, input: x, output: y, at: location)
            return .tensor(y)
        default:
            throw LabError(.type, "\(callee.typeName) cannot be called like a function", at: location)
        }
    }

    func invoke(_ command: CommandSpec, arguments: [CallArgument],
                at location: SourcePosition) throws(LabError) -> Value {
        var invocation = try Invocation(command: command, location: location, interpreter: self, arguments: arguments)
        return try command.handler(&invocation)
    }

    func unknownName(_ name: String, at location: SourcePosition) -> LabError {
        let candidates = variableNames + commandNames + Token.Keyword.allCases.map(\.rawValue)
        let hint = Suggestions.closest(to: name, in: candidates).map { " — did you mean '\($0)'?" } ?? ""
        return LabError(.name, "unknown name '\(name)'\(hint)", at: location)
    }

    /// Reports through the statement's runner (with its place), or straight to the console.
    func warn(_ message: String, at location: SourcePosition?) {
        let trace = runningTrace(at: location)
        if let activeSource { activeSource.reportWarning(message, at: location, trace: trace) } else {
            console.printError("warning: \(message)\(trace?.suffix ?? "")")
        }
    }
}
