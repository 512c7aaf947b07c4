/// Makes text from a file safe to show on a terminal: a CSV field or an `.npy` header can hold
/// ESC sequences that clear the screen or set the window title, and an error message quoting them
/// must show them, not obey them.
public enum ControlCharacters {
    /// `text` with every C0 control (and DEL, and the C1 controls U+0080–U+009F) written as an
    /// escape: ESC as `\e`, tab, newline and carriage return as `\t`, `\n`, `\r`, the rest as
    /// `\x07` or `\u{9b}`. Everything else, including other Unicode, is unchanged.
    /// `keepingLayout` lets newline and tab through, for output that is laid out in lines.
    public static func escaped(_ text: String, keepingLayout: Bool = false) -> String {
        func escapes(_ scalar: Unicode.Scalar) -> Bool {
            isControl(scalar) && !(keepingLayout && (scalar == "\n" || scalar == "\t"))
        }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard escapes(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x1B: result += "\\e"
            case 0x09: result += "\\t"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0..<0x80: result += "\\x" + hex(scalar.value)
            default: result += "\\u{" + hex(scalar.value) + "}"
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }
}
