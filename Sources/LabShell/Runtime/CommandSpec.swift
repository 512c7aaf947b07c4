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
            }
        }
    }

    struct Parameter {
        let name: String
        let kind: Kind
        /// Shown in help; nil means the parameter is required.
        let defaultText: String?
        let summary: String

        init(_ name: String, _ kind: Kind, default defaultText: String? = nil, _ summary: String) {
            self.name = name
            self.kind = kind
            self.defaultText = defaultText
            self.summary = summary
        }

        var isRequired: Bool { defaultText == nil }
    }

    public let name: String
    public let summary: String
    let example: String
    let positional: [Parameter]
    /// Takes any number of further positional values of this kind (the sizes of `randn(64, 8)`).
    let variadic: Parameter?
    let options: [Parameter]
    /// May be written without parentheses: `help batchnorm`, `eval bn`.
    let allowsCommandForm: Bool
    let handler: (inout Invocation) throws(LabError) -> Value

    init(_ name: String, _ summary: String, example: String, positional: [Parameter] = [],
         variadic: Parameter? = nil, options: [Parameter] = [], commandForm: Bool = false,
         handler: @escaping (inout Invocation) throws(LabError) -> Value) {
        self.name = name
        self.summary = summary
        self.example = example
        self.positional = positional
        self.variadic = variadic
        self.options = options
        self.allowsCommandForm = commandForm
        self.handler = handler
    }

    /// The call as help shows it: `batchnorm(C, eps: 1e-05, momentum: 0.1, …)`.
    public var usage: String {
        var parts = positional.map { $0.isRequired ? $0.name : "\($0.name) = \($0.defaultText ?? "")" }
        if let variadic { parts.append("\(variadic.name)…") }
        parts += options.map { "\($0.name): \($0.defaultText ?? "…")" }
        return "\(name)(" + parts.joined(separator: ", ") + ")"
    }

}

/// One argument as written at a call: its label, value, place, and the variable it named (if any),
/// so a plot can title its panels "x" and "y".
struct CallArgument {
    var label: String?
    var value: Value
    var location: SourcePosition
    var sourceName: String?
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
                values[label] = (try Self.check(argument.value, parameter, command, argument.location), argument.location)
                sourceNames[label] = argument.sourceName
            } else if positionalIndex < command.positional.count {
                let parameter = command.positional[positionalIndex]
                values[parameter.name] = (try Self.check(argument.value, parameter, command, argument.location), argument.location)
                sourceNames[parameter.name] = argument.sourceName
                positionalIndex += 1
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

    private static func check(_ value: Value, _ parameter: CommandSpec.Parameter, _ command: CommandSpec,
                              _ location: SourcePosition) throws(LabError) -> Value {
        let ok: Bool
        switch (parameter.kind, value) {
        case (.integer, .number(let v)):
            if v == v.rounded() && abs(v) >= 1e15 {
                throw LabError(.value, "\(command.name): \(parameter.name) must be below 10^15, got \(Value.format(number: v))", at: location)
            }
            ok = v == v.rounded()
        case (.number, .number), (.numberOrNone, .number), (.numberOrNone, .none), (.bool, .bool),
             (.string, .string), (.tensor, .tensor), (.layer, .layer), (.any, _), (.word, .string):
            ok = true
        case (.batchNorm, .layer(let layer)):
            ok = layer is BatchNorm
        default: ok = false
        }
        guard ok else {
            let got = switch value {
            case .number(let v): Value.format(number: v)
            case .layer(let layer): layer.layerName
            default: value.typeName
            }
            throw LabError(.type, "\(command.name): \(parameter.name) must be \(parameter.kind.noun), got \(got)", at: location)
        }
        return value
    }

    // MARK: - Typed access for handlers

    func value(_ name: String) -> Value? { values[name]?.value }

    func locationOf(_ name: String) -> SourcePosition { values[name]?.location ?? location }

    /// How the argument was written when it was a plain variable, else `fallback`.
    func displayName(_ name: String, fallback: String) -> String { sourceNames[name] ?? fallback }

    func integer(_ name: String, default fallback: Int = 0) -> Int {
        if case .number(let v)? = value(name) { return Int(v) }
        return fallback
    }

    func number(_ name: String, default fallback: Double? = nil) -> Double? {
        if case .number(let v)? = value(name) { return v }
        return fallback
    }

    func bool(_ name: String, default fallback: Bool) -> Bool {
        if case .bool(let b)? = value(name) { return b }
        return fallback
    }

    func string(_ name: String) -> String? {
        if case .string(let s)? = value(name) { return s }
        return nil
    }

    func tensor(_ name: String) -> Tensor? {
        if case .tensor(let t)? = value(name) { return t }
        return nil
    }

    func layer(_ name: String) -> (any NormalizationLayer)? {
        if case .layer(let l)? = value(name) { return l }
        return nil
    }

    /// A required tensor argument (binding has already checked it is there and is a tensor).
    func requireTensor(_ name: String) throws(LabError) -> Tensor {
        guard let t = tensor(name) else { throw LabError(.type, "\(command.name) needs a tensor for \(name)", at: location) }
        return t
    }

    /// A BatchNorm argument (binding has checked the kind).
    func batchNorm(_ name: String) throws(LabError) -> BatchNorm {
        guard case .layer(let l as BatchNorm)? = value(name) else {
            throw LabError(.type, "\(command.name) needs a batchnorm layer for \(name)", at: location)
        }
        return l
    }

    /// A required layer argument.
    func requireLayer(_ name: String) throws(LabError) -> any NormalizationLayer {
        guard let l = layer(name) else { throw LabError(.type, "\(command.name) needs a layer for \(name)", at: location) }
        return l
    }

    /// The variadic values as whole numbers (tensor sizes), each checked to be ≥ 0.
    func sizes() throws(LabError) -> [Int] {
        guard !rest.isEmpty else {
            throw LabError(.type, "\(command.name) needs at least one size, as in \(command.example)", at: location)
        }
        var result: [Int] = []
        for (value, location) in rest {
            guard case .number(let v) = value, v >= 0 else {
                throw LabError(.value, "\(command.name): sizes must be whole numbers ≥ 0, got \(Value.format(number: { if case .number(let v) = value { v } else { .nan } }()))", at: location)
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
