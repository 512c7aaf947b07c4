/// Reads and writes 2-D numeric CSV, the format a learner can open in a spreadsheet or produce
/// with `np.savetxt(path, a, delimiter=",")`.
///
/// Reading accepts comma-separated numbers with optional spaces around them, an optional header
/// row (the first row, if any of its fields is not a number), `#` comment lines (the reference
/// fixtures start with `# shape=...`), blank lines, CRLF line ends, and `nan`, `inf`, `-inf` in
/// any letter case. The result has shape (rows, columns). Numbers are read as float64 and then
/// rounded to float32, the same two steps `np.loadtxt(...).astype(np.float32)` takes.
///
/// Writing puts a rank-1 tensor one value per line and a rank-2 tensor one row per line, each
/// value in its shortest form that reads back to the same float32, so a save/load round trip is
/// exact and `np.loadtxt(path, delimiter=",")` reads the file.
public enum CSVFile {
    /// The largest CSV file bnlab reads (1 GiB); the tensor element cap applies as well.
    public static let maxFileBytes = 1 << 30

    /// `shouldStop` (Ctrl-C) is polled every 4096 lines; when it returns true, `interrupted` is thrown.
    public static func read(path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) -> Tensor {
        let bytes = try AtomicFile.readAll(path: path, limit: maxFileBytes)
        return try decode(bytes: bytes, path: path, shouldStop: shouldStop)
    }

    public static func write(_ t: Tensor, to path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) {
        let text = try encode(t, path: path)
        try AtomicFile.write(Array(text.utf8), to: path, shouldStop: shouldStop)
    }

    /// Parses CSV text; `path` is used only in error messages.
    public static func decode(_ text: String, path: String) throws(DataFileError) -> Tensor {
        try decode(bytes: Array(text.utf8), path: path)
    }

    /// The CSV text for a rank-1 or rank-2 tensor; other ranks throw `csvRank` naming `path`.
    public static func encode(_ t: Tensor, path: String) throws(DataFileError) -> String {
        guard t.rank <= 2 else { throw .csvRank(path: path, shape: t.shape) }
        let columns = t.rank == 2 ? t.shape[1] : 1
        var text = ""
        for (index, value) in t.scalars.enumerated() {
            text += format(value)
            text += (index + 1) % columns == 0 ? "\n" : ","
        }
        return text
    }

    /// Swift's shortest round-trip spelling, with two exceptions. Every NaN is written "nan":
    /// Swift spells a negative or signalling NaN "-nan" or "snan", which NumPy does not read.
    /// And readers (NumPy's and ours) parse through float64, where exactly two float32 values,
    /// ±7.038531e-26, round to a neighbour (a double-rounding case found by checking all 2³²
    /// floats); those get float64's spelling, which reads back exactly.
    static func format(_ value: Float) -> String {
        if value.isNaN { return "nan" }
        let shortest = "\(value)"
        if let wide = Double(shortest), Float(wide).bitPattern == value.bitPattern { return shortest }
        return "\(Double(value))"
    }

    public static func decode(bytes: [UInt8], path: String) throws(DataFileError) -> Tensor {
        try decode(bytes: bytes, path: path, shouldStop: { false })
    }

    /// Parses CSV bytes, polling `shouldStop` every 4096 lines.
    public static func decode(bytes: [UInt8], path: String,
                              shouldStop: () -> Bool) throws(DataFileError) -> Tensor {
        var values: [Float] = []
        var width: Int?
        var rows = 0
        var lineNumber = 0
        var lineStart = 0
        // A UTF-8 byte-order mark, as spreadsheet programs write, is not part of the first field.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { lineStart = 3 }

        while lineStart < bytes.count {
            lineNumber += 1
            if lineNumber % 4096 == 0 && shouldStop() { throw .interrupted(path: path, saving: false) }
            var lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let next = lineEnd + 1
            if lineEnd > lineStart && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            defer { lineStart = next }

            let line = bytes[lineStart..<lineEnd]
            let content = trimmed(line)
            if content.isEmpty || content.first == UInt8(ascii: "#") { continue }

            // Fields are counted before any are parsed, so a ragged row is reported as ragged and
            // an absurdly wide one is refused before its values are stored.
            let fieldCount = line.count(where: { $0 == UInt8(ascii: ",") }) + 1
            if let width, fieldCount != width {
                throw .csvRaggedRow(path: path, line: lineNumber, expected: width, got: fieldCount)
            }
            do { _ = try Tensor.checkedElementCount([rows + 1, fieldCount]) } catch {
                throw .tensor(path: path, error)
            }
            let rowStart = values.count
            var isHeader = false
            var fieldStart = line.startIndex
            while fieldStart <= line.endIndex {
                let fieldEnd = line[fieldStart...].firstIndex(of: UInt8(ascii: ",")) ?? line.endIndex
                let field = trimmed(line[fieldStart..<fieldEnd])
                fieldStart = fieldEnd + 1
                if let value = number(field) {
                    values.append(value)
                } else if width == nil {
                    isHeader = true
                    break
                } else {
                    throw .csvBadField(path: path, line: lineNumber, column: column(of: field.startIndex, in: line),
                                       text: String(decoding: field, as: UTF8.self))
                }
            }
            width = fieldCount
            if isHeader {
                values.removeSubrange(rowStart...)
            } else {
                rows += 1
            }
        }
        guard rows > 0, let width else { throw .csvEmpty(path: path) }
        return Tensor(uncheckedShape: [rows, width], scalars: values)
    }

    private static func trimmed(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = text
        while let first = result.first, first == 0x20 || first == 0x09 { result.removeFirst() }
        while let last = result.last, last == 0x20 || last == 0x09 { result.removeLast() }
        return result
    }

    /// The 1-based column of a byte, counting characters as an editor does, not UTF-8 bytes.
    private static func column(of index: Int, in line: ArraySlice<UInt8>) -> Int {
        line[line.startIndex..<index].reduce(1) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    /// A decimal number (`-1.5`, `.5`, `3.`, `2e-3`) or nan/inf/infinity with an optional sign.
    /// Anything else, including hex, underscores and empty text, is nil: Swift's own parser
    /// accepts forms that NumPy does not, so the grammar is checked here first.
    static func number(_ field: ArraySlice<UInt8>) -> Float? {
        var rest = field
        var negative = false
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            rest.removeFirst()
        }
        if let letter = rest.first, letter | 0x20 == UInt8(ascii: "n") || letter | 0x20 == UInt8(ascii: "i") {
            switch String(decoding: rest, as: UTF8.self).lowercased() {
            case "nan": return .nan
            case "inf", "infinity": return negative ? -.infinity : .infinity
            default: return nil
            }
        }

        func digits() -> Int {
            var count = 0
            while let byte = rest.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                rest.removeFirst()
                count += 1
            }
            return count
        }
        var mantissaDigits = digits()
        if rest.first == UInt8(ascii: ".") {
            rest.removeFirst()
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return nil }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest.removeFirst()
            if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest.removeFirst() }
            guard digits() > 0 else { return nil }
        }
        guard rest.isEmpty, let value = Double(String(decoding: field, as: UTF8.self)) else { return nil }
        return Float(value)
    }
}
