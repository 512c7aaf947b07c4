/// Reads and writes 2-D numeric CSV, the format a learner can open in a spreadsheet or produce
/// with `np.savetxt(path, a, delimiter=",")`.
///
/// Reading accepts comma-separated numbers with optional spaces around them, an optional header
/// row (the first row, if it has a name in it: see `isHeaderRow`), `#` comment lines (the
/// reference fixtures start with `# shape=...`), blank lines, LF, CRLF or CR line ends, and `nan`,
/// `inf`, `-inf` in any letter case. The result has shape (rows, columns). Numbers are read as float64 and then
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

    /// Streams the text to the file in chunks of about 1 MiB, so saving needs no copy of the
    /// tensor as text. A CSV that `load` would refuse — no values, or larger than `maxFileBytes`
    /// — is refused before anything reaches the target.
    public static func write(_ t: Tensor, to path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) {
        try write(t, to: path, limit: maxFileBytes, shouldStop: shouldStop)
    }

    /// `write` with another size limit, so a test can reach it without a gigabyte.
    static func write(_ t: Tensor, to path: String, limit: Int, shouldStop: () -> Bool) throws(DataFileError) {
        guard t.rank <= 2 else { throw .csvRank(path: path, shape: t.shape) }
        guard t.count > 0 else {
            throw .cannotWrite(path: path, reason: "a tensor of shape \(Tensor.describe(shape: t.shape)) has no values, "
                + "and a CSV without data rows cannot be loaded back; save it as .npy")
        }
        let size = try textBytes(t, path: path, limit: limit, shouldStop: shouldStop)
        let columns = t.rank == 2 ? t.shape[1] : 1
        try AtomicFile.write(to: path, reserving: size, shouldStop: shouldStop) { (emit) throws(DataFileError) in
            var chunk: [UInt8] = []
            chunk.reserveCapacity(chunkBytes + 64)
            for (index, value) in t.scalars.enumerated() {
                chunk += format(value).utf8
                chunk.append((index + 1) % columns == 0 ? UInt8(ascii: "\n") : UInt8(ascii: ","))
                if chunk.count >= chunkBytes {
                    let result = chunk.withUnsafeBytes { raw in Result { () throws(DataFileError) in try emit(raw) } }
                    try result.get()
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            let result = chunk.withUnsafeBytes { raw in Result { () throws(DataFileError) in try emit(raw) } }
            try result.get()
        }
    }

    /// Text is written and measured in pieces of this size.
    static let chunkBytes = 1 << 20
    /// The longest value with its separator: "-7.038530691851209e-26," (float64's spelling, see
    /// `format`); float32's own are at most 16 ("-1.23456789e-38,").
    static let longestValueBytes = 23

    /// The exact size of `t`'s CSV text, refusing one larger than `limit`. Most tensors are
    /// known to fit without measuring (nil): no value takes more than `longestValueBytes`.
    private static func textBytes(_ t: Tensor, path: String, limit: Int, shouldStop: () -> Bool) throws(DataFileError) -> Int? {
        let (most, overflow) = t.count.multipliedReportingOverflow(by: longestValueBytes)
        var total = 0
        if !overflow && most <= limit { return nil }
        for (index, value) in t.scalars.enumerated() {
            if index % (1 << 16) == 0 && shouldStop() { throw .interrupted(path: path, saving: true) }
            total += format(value).utf8.count + 1
            if total > limit {
                throw .cannotWrite(path: path, reason: "as CSV it would be more than \(limit) bytes, the largest "
                    + "CSV load reads; save it as .npy (4 bytes a value, exact)")
            }
        }
        return total
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
        if value.magnitude.bitPattern == doubleRoundingBits { return Double(value).description }
        return value.description
    }

    /// The bits of 7.038531e-26, the one float32 magnitude whose shortest spelling reads back
    /// through float64 as its neighbour (found by checking all 2³² floats).
    static let doubleRoundingBits: UInt32 = 363_742_205

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
            // A line ends at LF, CRLF or a lone CR (old Mac files), as Python's universal newlines
            // read them for np.loadtxt.
            let lineEnd = bytes[lineStart...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.count
            var next = lineEnd + 1
            if lineEnd < bytes.count, bytes[lineEnd] == UInt8(ascii: "\r"), next < bytes.count, bytes[next] == UInt8(ascii: "\n") {
                next += 1
            }
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
            if width == nil { reserveValues(&values, width: fieldCount, bytes: bytes[lineStart...]) }
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
                } else if width == nil, isHeaderRow(line) {
                    isHeader = true
                    break
                } else {
                    throw badField(field, line: line, lineNumber: lineNumber, path: path)
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

    /// Room for every value the rest of the file can hold, so the array is not regrown by
    /// doubling (a 732 MB file once peaked at 1.5 GB that way): the lines left times the width,
    /// and never more than one value per two bytes ("1,") or the element cap.
    private static func reserveValues(_ values: inout [Float], width: Int, bytes: ArraySlice<UInt8>) {
        let lines = bytes.count(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) + 1
        let (product, overflow) = lines.multipliedReportingOverflow(by: width)
        values.reserveCapacity(min(overflow ? Int.max : product, (bytes.count + 1) / 2, TensorLimits.maxElements))
    }

    /// The first row is a header when it has a name in it (text that does not start like a
    /// number) and no field that starts like a number but is not one: `x,2` is a header, while
    /// `1,,2` (no name) and `1,2 # c` are data with a bad field, and so is a lone `−1`, `1d5`, `0x10`.
    private static func isHeaderRow(_ line: ArraySlice<UInt8>) -> Bool {
        var hasName = false
        for raw in line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let field = trimmed(raw)
            if number(field) != nil { continue }
            if looksNumeric(field) { return false }
            if !field.isEmpty { hasName = true }
        }
        return hasName
    }

    /// Starts like a number: a digit, a sign or '.' and a digit, or the Unicode minus sign.
    private static func looksNumeric(_ field: ArraySlice<UInt8>) -> Bool {
        if field.starts(with: [0xE2, 0x88, 0x92]) { return true }
        var rest = field
        if let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { rest.removeFirst() }
        if rest.first == UInt8(ascii: ".") { rest.removeFirst() }
        guard let first = rest.first else { return false }
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
    }

    /// A field that is not a number, quoted in the error up to 40 characters.
    private static func badField(_ field: ArraySlice<UInt8>, line: ArraySlice<UInt8>, lineNumber: Int,
                                 path: String) -> DataFileError {
        var text = String(decoding: field.prefix(160), as: UTF8.self)
        if text.count > 40 || field.count > 160 { text = String(text.prefix(40)) + "…" }
        return .csvBadField(path: path, line: lineNumber, column: column(of: field.startIndex, in: line), text: text)
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
