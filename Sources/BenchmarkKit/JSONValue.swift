/// A JSON value and its text: the encoder behind `bnlab bench --json`. Strings are escaped as
/// RFC 8259 requires — quotation mark, backslash and every control character below U+0020 —
/// and everything else (non-ASCII included) is written as UTF-8; object keys keep their order.
public enum JSONValue: Sendable {
    case string(String)
    case integer(Int)
    /// A finite number as Swift prints it (`6.41`, `1e-05`); NaN and ±∞, which JSON cannot
    /// write, become null.
    case number(Double)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])
    case null

    /// The value on one line, with no spaces.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .string(let s): Self.writeString(s, to: &out)
        case .integer(let i): out += String(i)
        case .number(let x): out += x.isFinite ? "\(x)" : "null"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, field) in fields.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(field.key, to: &out)
                out += ":"
                field.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// `s` as a JSON string literal. Works on Unicode scalars, not characters: "\r\n" is one
    /// Character in Swift but two escapes in JSON.
    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
