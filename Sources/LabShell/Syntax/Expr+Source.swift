/// An expression written back as source, so a passing check can name what it measured:
/// `max(abs(channel_means(y)))`. Spacing is the canonical one and parentheses appear only where
/// precedence needs them, since the parser keeps neither.
extension Expr {
    var sourceText: String { written(above: .comparison) }

    /// The text as one side of a comparison: a comparison itself comes in parentheses.
    var operandSourceText: String { written(above: .sum) }

    /// A number, string, true/false or none as written (also `-1`): its value needs no `= …`.
    var isLiteral: Bool {
        switch self {
        case .number, .string, .bool, .none: true
        case .unary(_, let operand, _): operand.isLiteral
        default: false
        }
    }

    /// How tightly a form binds, loosest first: `a < b`, `a + b`, `a * b`, `-a`, `a ** b`, `f(a)`.
    private enum Precedence: Int, Comparable {
        case comparison, sum, product, unary, power, postfix
        static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    private var precedence: Precedence {
        switch self {
        case .chain(_, let rest):
            guard let op = rest.first?.op else { return .postfix }
            if Parser.comparisons.contains(op) { return .comparison }
            if op == .power { return .power }
            return op == .plus || op == .minus ? .sum : .product
        case .unary: return .unary
        default: return .postfix
        }
    }

    /// The text, in parentheses when it binds more loosely than its place needs.
    private func written(above needed: Precedence) -> String {
        let text = bare
        return precedence < needed ? "(" + text + ")" : text
    }

    private var bare: String {
        switch self {
        case .number(let v, _): return NumberFormat.shortest(v)
        case .string(let s, _): return Self.quoted(s)
        case .bool(let b, _): return b ? "true" : "false"
        case .none: return "none"
        case .variable(let name, _): return name
        case .list(let items, _): return "[" + items.map { $0.written(above: .comparison) }.joined(separator: ", ") + "]"
        case .unary(let op, let operand, _): return op.rawValue + operand.written(above: .unary)
        case .chain(let first, let rest):
            // Chains are flat and left to right: an operand on the right that is itself a chain of
            // the same level was written in parentheses (a - (b - c)).
            // Two comparisons in a row do not parse, so a comparison's operands bind tighter still.
            // A power groups to the right: its base binds tighter than it, its exponent may be `-a`.
            let level = precedence
            let left = level == .comparison ? Precedence.sum : level == .power ? .postfix : level
            let right = level == .power ? .unary : Precedence(rawValue: level.rawValue + 1) ?? .postfix
            return rest.reduce(first.written(above: left)) { text, link in
                text + " \(link.op.rawValue) " + link.operand.written(above: right)
            }
        case .call(let callee, let arguments, _):
            let written = arguments.map { ($0.label.map { $0 + ": " } ?? "") + $0.value.written(above: .comparison) }
            return callee.written(above: .postfix) + "(" + written.joined(separator: ", ") + ")"
        case .field(let object, let name, _): return object.written(above: .postfix) + "." + name
        case .index(let object, let subscripts, _):
            let parts = subscripts.map { part -> String in
                switch part {
                case .at(let e): return e.written(above: .comparison)
                case .slice(let start, let stop, let step, _):
                    let text = (start?.written(above: .comparison) ?? "") + ":" + (stop?.written(above: .comparison) ?? "")
                    return step.map { text + ":" + $0.written(above: .comparison) } ?? text
                }
            }
            return object.written(above: .postfix) + "[" + parts.joined(separator: ", ") + "]"
        }
    }

    /// A string literal as the lexer reads it back: quotes, backslashes, newlines and tabs escaped.
    private static func quoted(_ s: String) -> String {
        var text = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            default: text.unicodeScalars.append(c)
            }
        }
        return text + "\""
    }
}
