/// The dictionary at the start of a `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`, parsed without evaluating
/// anything: a tiny reader for the Python literals NumPy writes.
struct NpyHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// A parsed Python literal; `text` is its source, kept for error messages.
    private indirect enum Literal {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case none
        case sequence([Literal])

        var isInteger: Bool { if case .integer = self { return true } else { return false } }
    }

    private let bytes: [UInt8]
    private let end: Int
    private let path: String
    private var position: Int

    init(bytes: [UInt8], range: Range<Int>, path: String) throws(DataFileError) {
        self.bytes = bytes
        self.end = range.upperBound
        self.path = path
        self.position = range.lowerBound
        self.descr = ""
        self.fortranOrder = false
        self.shape = []
        try parse()
    }

    private mutating func parse() throws(DataFileError) {
        var entries: [String: (value: Literal, text: String)] = [:]
        skipSpace()
        try expect(UInt8(ascii: "{"), what: "the header to start with '{'")
        while true {
            skipSpace()
            if peek == UInt8(ascii: "}") { position += 1; break }
            guard peek == UInt8(ascii: "'") || peek == UInt8(ascii: "\"") else {
                throw fail("expected a quoted key such as 'shape'")
            }
            guard case .string(let key) = try value(depth: 0) else { throw fail("expected a key") }
            skipSpace()
            try expect(UInt8(ascii: ":"), what: "':' after the key '\(key)'")
            skipSpace()
            let start = position
            let parsed = try value(depth: 0)
            entries[key] = (parsed, String(decoding: bytes[start..<position], as: UTF8.self))
            skipSpace()
            if peek == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"), what: "',' or '}' after the value of '\(key)'")
            break
        }
        skipSpace()
        guard position == end else { throw fail("unexpected text after the closing '}'") }

        for key in entries.keys.sorted() where !["descr", "fortran_order", "shape"].contains(key) {
            throw malformed("the header has an unexpected key '\(key)'")
        }
        guard let descr = entries["descr"] else { throw malformed("the header has no 'descr' entry") }
        guard case .string(let text) = descr.value else {
            // A list here describes a structured (record) dtype.
            throw .unsupportedDType(path: path, descr: descr.text)
        }
        self.descr = text
        guard let fortran = entries["fortran_order"] else {
            throw malformed("the header has no 'fortran_order' entry")
        }
        guard case .boolean(let flag) = fortran.value else {
            throw malformed("'fortran_order' must be True or False, not \(fortran.text)")
        }
        fortranOrder = flag
        guard let shape = entries["shape"] else { throw malformed("the header has no 'shape' entry") }
        guard case .sequence(let sizes) = shape.value, sizes.allSatisfy(\.isInteger) else {
            throw malformed("'shape' must be a tuple of integers, not \(shape.text)")
        }
        self.shape = []
        for case .integer(let size) in sizes { self.shape.append(size) }
    }

    private var peek: UInt8? { position < end ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8, what: String) throws(DataFileError) {
        guard peek == byte else { throw fail("expected \(what)") }
        position += 1
    }

    /// Nesting is capped so a header of 60,000 '(' cannot exhaust the stack.
    private mutating func value(depth: Int) throws(DataFileError) -> Literal {
        guard depth < 16 else { throw fail("values nested too deeply") }
        guard let first = peek else { throw fail("the header ends in the middle of a value") }
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return .string(try string(quote: first))
        case UInt8(ascii: "("), UInt8(ascii: "["):
            let close = first == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "]")
            position += 1
            var items: [Literal] = []
            while true {
                skipSpace()
                if peek == close { position += 1; return .sequence(items) }
                items.append(try value(depth: depth + 1))
                skipSpace()
                if peek == UInt8(ascii: ",") { position += 1; continue }
                try expect(close, what: "',' or '\(UnicodeScalar(close))' in a tuple")
                return .sequence(items)
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"):
            return .integer(try integer())
        default:
            let start = position
            while let byte = peek, (UInt8(ascii: "A")...UInt8(ascii: "z")).contains(byte) { position += 1 }
            switch String(decoding: bytes[start..<position], as: UTF8.self) {
            case "True": return .boolean(true)
            case "False": return .boolean(false)
            case "None": return .none
            default:
                position = start
                throw fail("unexpected text")
            }
        }
    }

    private mutating func string(quote: UInt8) throws(DataFileError) -> String {
        let start = position
        position += 1
        var content: [UInt8] = []
        while let byte = peek {
            position += 1
            if byte == quote { return String(decoding: content, as: UTF8.self) }
            if byte == UInt8(ascii: "\\") {
                guard let escaped = peek else { break }
                position += 1
                content.append(escaped)
            } else {
                content.append(byte)
            }
        }
        position = start
        throw fail("a string is never closed")
    }

    private mutating func integer() throws(DataFileError) -> Int {
        let start = position
        var negative = false
        if let sign = peek, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            position += 1
        }
        var magnitude = 0
        var digits = 0
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else {
                position = start
                throw fail("an integer too large to be a size")
            }
            magnitude = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            position = start
            throw fail("expected digits")
        }
        // Python 2 wrote longs as 3L; NumPy still reads such files.
        if let suffix = peek, suffix == UInt8(ascii: "L") || suffix == UInt8(ascii: "l") { position += 1 }
        return negative ? -magnitude : magnitude
    }

    private func malformed(_ detail: String) -> DataFileError {
        .malformed(path: path, detail: detail)
    }

    /// An error pointing at the current byte, with a little of the header for context.
    private func fail(_ detail: String) -> DataFileError {
        let shownEnd = min(end, position + 20)
        let near = String(decoding: bytes[position..<shownEnd], as: UTF8.self)
            .map { $0.isASCII && !$0.isWhitespace || $0 == " " ? String($0) : "?" }.joined()
        let context = position < end ? " near '\(near)'" : " at the end of the header"
        return malformed("bad header at byte \(position): \(detail)\(context)")
    }
}
