import BatchNormKit

/// One command of the language, declared once: its signature drives argument checking, `help`,
/// Tab completion and "did you mean"; its handler does the work by calling BatchNormKit.
public struct CommandSpec {
    /// What kind of value a parameter takes; binding converts and checks it before the handler runs.
    enum Kind {
        case integer, number, numberOrNone, bool, string, tensor, layer, any
        /// A BatchNorm layer: binding refuses any other layer, with one message for every command.
        case batchNorm
        /// A bare word taken as text, not evaluated: `help batchnorm`.
        case word
        /// Tensors written as a list, `concat([a, b])` (any shapes), or one tensor's axis-0 slices.
        case tensors

        var noun: String {
            switch self {
            case .integer: "a whole number"
            case .number: "a number"
            case .numberOrNone: "a number or none"
            case .bool: "true or false"
            case .string: "a string in quotes"
            case .tensor: "a tensor"
            case .layer: "a layer"
            case .batchNorm: "a batchnorm layer"
            case .any: "a value"
            case .word: "a name"
            case .tensors: "a list of tensors, as [a, b]"
            }
        }
    }

    /// A parameter as binding, help and completion see it, whatever the type its handler reads
    /// (the typed face is `Param<T>`).
    struct Parameter {
        /// What happens when a call leaves the parameter out.
        enum Absence {
            case required
            /// Left out, the handler sees nil; `none` written for it means the same.
            case optional
            /// Left out, the handler sees this value (help shows it).
            case defaultValue(Default)
        }

        /// A default as help writes it: `1e-05`, `"pytorch"`, `true`, `none`.
        enum Default {
            case number(Double), string(String), bool(Bool), none

            var text: String {
                switch self {
                case .number(let v): NumberFormat.shortest(v)
                case .string(let s): "\"\(s)\""
                case .bool(let b): b ? "true" : "false"
                case .none: "none"
                }
            }
        }

        let name: String
        let kind: Kind
        let absence: Absence
        let summary: String
        /// The words the parameter takes, for completion (`norm: "ba⇥`).
        let choices: [String]
        /// Binding refuses a string outside `choices` (else the handler checks it, with its own message).
        let checksChoices: Bool

        var isRequired: Bool { if case .required = absence { true } else { false } }
        var isOptional: Bool { if case .optional = absence { true } else { false } }

        /// The default as help writes it; nil when there is none, or when it is the empty string
        /// (a hint or claim left out is nothing, and help says `hint?` rather than `hint: ""`).
        var defaultText: String? {
            guard case .defaultValue(let value) = absence else { return nil }
            if case .string("") = value { return nil }
            return value.text
        }
    }

    public let name: String
    public let summary: String
    /// The line `help` lists the command with: the summary, or a shorter one when the summary
    /// would not fit 80 columns beside the names.
    let brief: String
    /// The heading `help` lists it under; set by the table section it is declared in.
    public private(set) var topic: CommandTopic = .session
    let example: String
    /// The PyTorch (or NumPy) line that does what `example` does, for a learner who knows PyTorch;
    /// nil where PyTorch has no one-line twin. `help NAME` prints it.
    let pytorch: String?
    let positional: [Parameter]
    /// Takes any number of further positional values of this kind (the sizes of `randn(64, 8)`).
    let variadic: Parameter?
    let options: [Parameter]
    /// May be written without parentheses: `help batchnorm`, `eval bn`.
    let allowsCommandForm: Bool
    /// False for the commands a lesson speaks with rather than computes with (check, expect,
    /// pause, exercise): a lesson does not echo them, since their own output says what they
    /// claim, and an exercise's line would give its answer away.
    let echoedInLessons: Bool
    let handler: (inout Invocation) throws(LabError) -> Value

    init(_ name: String, _ summary: String, brief: String? = nil, example: String, pytorch: String? = nil,
         positional: [any ParameterDeclaration] = [],
         variadic: (any ParameterDeclaration)? = nil, options: [any ParameterDeclaration] = [], commandForm: Bool = false,
         echoedInLessons: Bool = true, handler: @escaping (inout Invocation) throws(LabError) -> Value) {
        self.name = name
        self.summary = summary
        self.brief = brief ?? summary
        self.example = example
        self.pytorch = pytorch
        self.positional = positional.map(\.parameter)
        self.variadic = variadic?.parameter
        self.options = options.map(\.parameter)
        self.allowsCommandForm = commandForm
        self.echoedInLessons = echoedInLessons
        self.handler = handler
    }

    /// The same command under `topic` (the table's sections call this).
    func filed(under topic: CommandTopic) -> CommandSpec {
        var copy = self
        copy.topic = topic
        return copy
    }

    /// The call as help shows it: `hist(x, y?, bins: 20, range?, …)`. A required parameter is its
    /// name; one that may be left out with nothing assumed is `name?`, positional or labelled; a
    /// default is `n = 300` for a positional parameter and `bins: 20` for a labelled one, as written.
    public var usage: String {
        var parts = positional.map { p in p.isRequired ? p.name : p.defaultText.map { "\(p.name) = \($0)" } ?? "\(p.name)?" }
        if let variadic { parts.append("\(variadic.name)…") }
        parts += options.map { p in p.defaultText.map { "\(p.name): \($0)" } ?? "\(p.name)?" }
        return "\(name)(" + parts.joined(separator: ", ") + ")"
    }

}

/// One argument as written at a call: its label, value, place, and the variable it named (if any),
/// so a plot can title its panels "x" and "y"; also the expression itself and, for a comparison,
/// both sides' values, so a passing check can say what it measured.
struct CallArgument {
    var label: String?
    var value: Value
    var location: SourcePosition
    var sourceName: String?
    var expression: Expr?
    var comparison: ComparisonSides?
}

/// The arguments of one call after binding: checked against the command's signature, typed,
/// and located so a handler's error can point at the argument that caused it.
struct Invocation {
    let command: CommandSpec
    let location: SourcePosition
    var interpreter: Interpreter
    private(set) var values: [String: (value: Value, location: SourcePosition)] = [:]
    private(set) var rest: [(value: Value, location: SourcePosition)] = []
    /// The variable name each argument was written as (`hist(x, y)` → x, y), by parameter name.
    private(set) var sourceNames: [String: String] = [:]
    /// Each argument's expression, and the sides of those that were comparisons, by parameter name.
    private(set) var expressions: [String: Expr] = [:]
    private(set) var comparisons: [String: ComparisonSides] = [:]

    init(command: CommandSpec, location: SourcePosition, interpreter: Interpreter,
         arguments: [CallArgument]) throws(LabError) {
        self.command = command
        self.location = location
        self.interpreter = interpreter
        var positionalIndex = 0
        for argument in arguments {
            if let label = argument.label {
                guard let parameter = command.options.first(where: { $0.name == label })
                    ?? command.positional.first(where: { $0.name == label }) else {
                    let names = command.options.map(\.name) + command.positional.map(\.name)
                    let hint = Suggestions.closest(to: label, in: names).map { " — did you mean '\($0):'?" } ?? ""
                    throw LabError(.name, "\(command.name) has no option '\(label)'\(hint) (usage: \(command.usage))", at: argument.location)
                }
                guard values[label] == nil else {
                    throw LabError(.type, "\(command.name) got '\(label)' twice", at: argument.location)
                }
                if parameter.isOptional, case .none = argument.value { continue }
                values[label] = (try Self.check(argument.value, parameter, command, argument.location), argument.location)
                keepSource(of: argument, as: label)
            } else if positionalIndex < command.positional.count {
                let parameter = command.positional[positionalIndex]
                positionalIndex += 1
                if parameter.isOptional, case .none = argument.value { continue }
                values[parameter.name] = (try Self.check(argument.value, parameter, command, argument.location), argument.location)
                keepSource(of: argument, as: parameter.name)
            } else if let variadic = command.variadic {
                rest.append((try Self.check(argument.value, variadic, command, argument.location), argument.location))
            } else {
                let count = command.positional.count
                throw LabError(.type, "\(command.name) takes \(count == 0 ? "no" : "\(count)") positional argument\(count == 1 ? "" : "s"), "
                    + "got more (usage: \(command.usage))", at: argument.location)
            }
        }
        for parameter in command.positional where parameter.isRequired && values[parameter.name] == nil {
            throw LabError(.type, "\(command.name) needs \(parameter.name) (\(parameter.summary)); usage: \(command.usage)", at: location)
        }
    }

    private mutating func keepSource(of argument: CallArgument, as name: String) {
        sourceNames[name] = argument.sourceName
        expressions[name] = argument.expression
        comparisons[name] = argument.comparison
    }

    private static func check(_ value: Value, _ parameter: CommandSpec.Parameter, _ command: CommandSpec,
                              _ location: SourcePosition) throws(LabError) -> Value {
        let ok: Bool
        switch (parameter.kind, value) {
        case (.integer, .number(let v)):
            if v == v.rounded() && abs(v) >= 1e15 {
                throw LabError(.value, "\(command.name): \(parameter.name) must be below 10^15, got \(NumberFormat.shortest(v))", at: location)
            }
            ok = v == v.rounded()
        case (.number, .number), (.numberOrNone, .number), (.numberOrNone, .none), (.bool, .bool),
             (.string, .string), (.tensor, .tensor), (.layer, .layer), (.any, _), (.word, .string):
            ok = true
        case (.batchNorm, .layer(let layer)):
            ok = layer is BatchNorm
        case (.tensors, .list(let items)):
            ok = items.allSatisfy { if case .tensor = $0 { true } else { false } }
        case (.tensors, .tensor(let t)):
            ok = t.rank >= 2
        default: ok = false
        }
        guard ok else {
            let got = switch value {
            case .number(let v): NumberFormat.shortest(v)
            case .layer(let layer): layer.layerName
            default: value.typeName
            }
            throw LabError(.type, "\(command.name): \(parameter.name) must be \(parameter.kind.noun), got \(got)", at: location)
        }
        if parameter.checksChoices, case .string(let text) = value, !parameter.choices.contains(text.lowercased()) {
            let quoted = parameter.choices.map { "\"\($0)\"" }
            let list = quoted.count == 2 ? quoted.joined(separator: " or ") : quoted.joined(separator: ", ")
            let hint = Suggestions.closest(to: text, in: parameter.choices).map { " — did you mean \"\($0)\"?" } ?? ""
            throw LabError(.value, "\(parameter.name) must be \(list); got \"\(text)\"\(hint)", at: location)
        }
        return value
    }

    // MARK: - Typed access for handlers

    /// The argument for `parameter`, its default applied: `call[FitCommand.epochs]`.
    subscript<T>(_ parameter: Param<T>) -> T {
        given(parameter) ?? parameter.fallback()
    }

    /// The argument as written, nil when the call left it out (batchnorm's eps then follows the convention).
    func given<T>(_ parameter: Param<T>) -> T? {
        values[parameter.name].flatMap { parameter.convert($0.value) }
    }

    func locationOf<T>(_ parameter: Param<T>) -> SourcePosition { values[parameter.name]?.location ?? location }

    /// The argument's expression as written (`mean(y)`), nil when it was left out or is not one.
    func expression<T>(_ parameter: Param<T>) -> Expr? { expressions[parameter.name] }

    /// The argument's two sides when it was a comparison (`max(abs(m)) < 1e-6`).
    func comparison<T>(_ parameter: Param<T>) -> ComparisonSides? { comparisons[parameter.name] }

    /// How the argument was written when it was a plain variable, else `fallback`.
    func displayName<T>(_ parameter: Param<T>, fallback: String) -> String { sourceNames[parameter.name] ?? fallback }

    /// The variadic values as whole numbers (tensor sizes), each checked to be ≥ 0.
    func sizes() throws(LabError) -> [Int] {
        guard !rest.isEmpty else {
            throw LabError(.type, "\(command.name) needs at least one size, as in \(command.example)", at: location)
        }
        var result: [Int] = []
        for (value, location) in rest {
            guard case .number(let v) = value, v >= 0 else {
                throw LabError(.value, "\(command.name): sizes must be whole numbers ≥ 0, got \(NumberFormat.shortest({ if case .number(let v) = value { v } else { .nan } }()))", at: location)
            }
            result.append(Int(v))
        }
        return result
    }

    /// Runs an engine call, turning its typed error into a located LabError.
    func engine<T>(_ body: () throws(TensorError) -> T) throws(LabError) -> T {
        do { return try body() } catch { throw LabError(error, at: location) }
    }
}
