import BatchNormKit

/// Anything a command's signature lists: a typed `Param`, seen by binding, help and completion
/// through its type-erased `CommandSpec.Parameter`.
protocol ParameterDeclaration: Sendable {
    var parameter: CommandSpec.Parameter { get }
}

/// One parameter of a command, declared once next to it: its name, kind, default (a real value
/// of the type the handler reads, which help renders) and summary. Handlers read it typed,
/// `call[FitCommand.epochs]`, so a misspelt name is a compile error rather than a silent default.
struct Param<T>: ParameterDeclaration, Sendable {
    let parameter: CommandSpec.Parameter
    /// The bound argument as T (binding has checked its kind).
    let convert: @Sendable (Value) -> T?
    /// What the handler sees when the call left the parameter out.
    let fallback: @Sendable () -> T

    var name: String { parameter.name }

    init(_ name: String, _ kind: CommandSpec.Kind, _ absence: CommandSpec.Parameter.Absence, _ summary: String,
         choices: [String] = [], checksChoices: Bool = false,
         convert: @escaping @Sendable (Value) -> T?, fallback: @escaping @Sendable () -> T) {
        parameter = CommandSpec.Parameter(name: name, kind: kind, absence: absence, summary: summary,
                                          choices: choices, checksChoices: checksChoices)
        self.convert = convert
        self.fallback = fallback
    }

    /// A required parameter: binding refuses a call without it, so the handler always has one.
    static func required(_ name: String, _ kind: CommandSpec.Kind, _ summary: String,
                         convert: @escaping @Sendable (Value) -> T?) -> Param {
        Param(name, kind, .required, summary, convert: convert,
              fallback: { preconditionFailure("binding checks that '\(name)' is given") })
    }
}

// MARK: - Conversions from bound values

private func asInteger(_ v: Value) -> Int? { if case .number(let n) = v { Int(n) } else { nil } }
private func asNumber(_ v: Value) -> Double? { if case .number(let n) = v { n } else { nil } }
private func asBool(_ v: Value) -> Bool? { if case .bool(let b) = v { b } else { nil } }
private func asString(_ v: Value) -> String? { if case .string(let s) = v { s } else { nil } }
private func asTensor(_ v: Value) -> Tensor? { if case .tensor(let t) = v { t } else { nil } }

// MARK: - Required and defaulted parameters, by type

extension Param where T == Int {
    static func integer(_ name: String, _ summary: String) -> Param { .required(name, .integer, summary, convert: asInteger) }
    static func integer(_ name: String, default value: Int, _ summary: String) -> Param {
        Param(name, .integer, .defaultValue(.number(Double(value))), summary, convert: asInteger, fallback: { value })
    }
}

extension Param where T == Double {
    static func number(_ name: String, _ summary: String) -> Param { .required(name, .number, summary, convert: asNumber) }
    static func number(_ name: String, default value: Double, _ summary: String) -> Param {
        Param(name, .number, .defaultValue(.number(value)), summary, convert: asNumber, fallback: { value })
    }
}

extension Param where T == Bool {
    static func bool(_ name: String, _ summary: String) -> Param { .required(name, .bool, summary, convert: asBool) }
    static func bool(_ name: String, default value: Bool, _ summary: String) -> Param {
        Param(name, .bool, .defaultValue(.bool(value)), summary, convert: asBool, fallback: { value })
    }
}

extension Param where T == String {
    static func string(_ name: String, _ summary: String) -> Param { .required(name, .string, summary, convert: asString) }
    static func string(_ name: String, default value: String, _ summary: String, choices: [String] = []) -> Param {
        Param(name, .string, .defaultValue(.string(value)), summary, choices: choices, convert: asString, fallback: { value })
    }
}

extension Param where T == Tensor {
    static func tensor(_ name: String, _ summary: String) -> Param { .required(name, .tensor, summary, convert: asTensor) }
}

extension Param where T == BatchNorm {
    static func batchNorm(_ name: String, _ summary: String) -> Param {
        .required(name, .batchNorm, summary) { if case .layer(let l as BatchNorm) = $0 { l } else { nil } }
    }
}

extension Param where T == any NormalizationLayer {
    static func layer(_ name: String, _ summary: String) -> Param {
        .required(name, .layer, summary) { if case .layer(let l) = $0 { l } else { nil } }
    }
}

/// A parameter of any kind (`abs(x)`: a number or a tensor), handed over as the value itself.
extension Param where T == Value {
    static func any(_ name: String, _ summary: String) -> Param { .required(name, .any, summary, convert: { $0 }) }
}

/// A parameter of any kind that may be left out (`sum(x, axis: 0)`): nil when it was.
extension Param where T == Value? {
    static func any(_ name: String, _ summary: String) -> Param {
        Param(name, .any, .optional, summary, convert: { .some($0) }, fallback: { nil })
    }
}

/// Tensors given as a list (`concat([a, b])`) or as one tensor, read as its axis-0 slices.
extension Param where T == [Tensor] {
    static func tensors(_ name: String, _ summary: String) -> Param {
        .required(name, .tensors, summary) { value in
            switch value {
            case .list(let items): items.compactMap { if case .tensor(let t) = $0 { t } else { nil } }
            case .tensor(let t):
                (0..<t.shape[0]).compactMap { i in
                    if case .tensor(let row)? = try? t.subscripted([.index(i)]) { row } else { nil }
                }
            default: nil
            }
        }
    }
}

/// One of a few words, read as the kit's enum: `mlp(…, norm: "batch")`. Binding refuses any other
/// word, listing the choices (and the closest, when one is).
extension Param where T: RawRepresentable & CaseIterable & Sendable, T.RawValue == String {
    static func choice(_ name: String, default value: T, _ summary: String) -> Param {
        Param(name, .string, .defaultValue(.string(value.rawValue)), summary,
              choices: T.allCases.map(\.rawValue), checksChoices: true,
              convert: { asString($0).flatMap { T(rawValue: $0.lowercased()) } }, fallback: { value })
    }
}

// MARK: - Optional parameters: nil when left out (or given as none)

extension Param where T == Int? {
    static func integer(_ name: String, _ summary: String) -> Param {
        Param(name, .integer, .optional, summary, convert: { asInteger($0).map(Optional.some) }, fallback: { nil })
    }
}

extension Param where T == Double? {
    static func number(_ name: String, _ summary: String) -> Param {
        Param(name, .number, .optional, summary, convert: { asNumber($0).map(Optional.some) }, fallback: { nil })
    }

    /// A number, or `none` written for it (batchnorm's momentum: none is the cumulative average).
    static func numberOrNone(_ name: String, default value: Double?, _ summary: String) -> Param {
        Param(name, .numberOrNone, .defaultValue(value.map { .number($0) } ?? .none), summary, convert: { v in
            switch v {
            case .number(let n): .some(n)
            case .none: .some(nil)
            default: nil
            }
        }, fallback: { value })
    }
}

extension Param where T == String? {
    static func string(_ name: String, _ summary: String) -> Param {
        Param(name, .string, .optional, summary, convert: { asString($0).map(Optional.some) }, fallback: { nil })
    }

    /// A bare word (`help batchnorm`, `experiment bn`), or nothing; `choices` feed completion.
    static func word(_ name: String, _ summary: String, choices: [String] = []) -> Param {
        Param(name, .word, .optional, summary, choices: choices, convert: { asString($0).map(Optional.some) }, fallback: { nil })
    }
}

extension Param where T == Tensor? {
    static func tensor(_ name: String, _ summary: String) -> Param {
        Param(name, .tensor, .optional, summary, convert: { asTensor($0).map(Optional.some) }, fallback: { nil })
    }
}

extension Param {
    /// A parameter read as an optional: `hist` treats its required x and optional y alike.
    init<Wrapped>(optional base: Param<Wrapped>) where T == Wrapped? {
        parameter = base.parameter
        convert = { base.convert($0).map(Optional.some) }
        fallback = { nil }
    }
}
