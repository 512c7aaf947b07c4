extension PseudoTerminal {
    /// Removes terminal control sequences so tests can match plain text: CSI
    /// (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC \`), charset designations
    /// (`ESC ( B`), other two-byte escapes (`ESC =`, `ESC 7`), and C0 controls except
    /// newline and tab (\r, BEL, backspace). Works on bytes, so UTF-8 is untouched;
    /// an escape cut off at the end of the buffer is dropped until the rest arrives.
    static func clean(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        let escape: UInt8 = 0x1b
        while index < raw.count {
            let byte = raw[index]
            if byte == escape {
                let next = index + 1
                guard next < raw.count else { break }
                switch raw[next] {
                case UInt8(ascii: "["):
                    // Parameters and intermediates are 0x20–0x3F; the final byte is 0x40–0x7E.
                    var end = next + 1
                    while end < raw.count && !(0x40...0x7e).contains(raw[end]) { end += 1 }
                    index = end + 1
                case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"):
                    // String sequences end with BEL or ESC \.
                    var end = next + 1
                    while end < raw.count {
                        if raw[end] == 0x07 { end += 1; break }
                        if raw[end] == escape && end + 1 < raw.count && raw[end + 1] == UInt8(ascii: "\\") {
                            end += 2; break
                        }
                        end += 1
                    }
                    index = end
                case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"),
                     UInt8(ascii: "#"), UInt8(ascii: "%"):
                    index = next + 2
                default:
                    index = next + 1
                }
                continue
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte >= 0x20 && byte != 0x7f {
                out.append(byte)
            }
            index += 1
        }
        return out
    }
}
