/// Splits raw input bytes into lines of text for the runner, so that a pipe or a file full of
/// anything — NUL bytes, invalid UTF-8, a line of a gigabyte — becomes either a line or a clear
/// error about that line, and memory stays bounded by `maxLineBytes`.
public struct LineDecoder {
    public enum Line: Equatable {
        case text(String)
        /// The line could not be used; the message says why, the column where (if known).
        case unreadable(String, column: Int?)
    }

    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// True while skipping the rest of a line that was already reported as too long.
    private var discarding = false
    /// True until the first line is complete: only there may a UTF-8 byte-order mark stand.
    private var atStart = true

    public init(maxLineBytes: Int = LanguageLimits.maxStatementBytes) {
        self.maxLineBytes = maxLineBytes
    }

    /// Takes the next bytes of input and returns every line they complete.
    public mutating func push<Bytes: Sequence>(_ bytes: Bytes) -> [Line] where Bytes.Element == UInt8 {
        var lines: [Line] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discarding {
                    discarding = false
                } else {
                    lines.append(decode(buffer))
                }
                atStart = false
                buffer.removeAll(keepingCapacity: buffer.count < 1 << 16)
                continue
            }
            if discarding { continue }
            buffer.append(byte)
            if buffer.count > maxLineBytes {
                lines.append(.unreadable("line longer than \(maxLineBytes >> 20) MiB: the rest of it is skipped", column: nil))
                buffer.removeAll()
                discarding = true
            }
        }
        return lines
    }

    /// End of input: the last line, if it had no newline.
    public mutating func finish() -> [Line] {
        defer { buffer.removeAll(); discarding = false; atStart = true }
        guard !buffer.isEmpty, !discarding else { return [] }
        return [decode(buffer)]
    }

    private func decode(_ bytes: [UInt8]) -> Line {
        var bytes = bytes[...]
        // Editors on Windows start UTF-8 files with a byte-order mark; it is not part of the text.
        if atStart, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        var text = ""
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.unicodeScalars.append(scalar)
                column += 1
            case .emptyInput:
                return .text(text)
            case .error:
                return .unreadable("this line is not valid UTF-8 (bad byte at column \(column)); save the file as UTF-8", column: column)
            }
        }
    }
}
