/// Everything that can go wrong while loading or saving a `.npy` or `.csv` file, as a value the
/// shell can print on one line.
///
/// Every message names the file, says what is wrong and where (a byte offset for `.npy`, a
/// `line:column` for `.csv`), and where there is a usual fix in NumPy it names it, because the
/// file most likely came from a learner's own Python session.
public enum DataFileError: Error, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case notFound(path: String)
    case isDirectory(path: String)
    case tooLarge(path: String, bytes: Int, limit: Int)
    case malformed(path: String, detail: String)
    case unsupportedDType(path: String, descr: String)
    case fortranOrder(path: String)
    case unsupportedVersion(path: String, major: UInt8, minor: UInt8)
    /// `expectedBytes` is the file length the structure calls for, `gotBytes` the actual length.
    case truncated(path: String, expectedBytes: Int, gotBytes: Int)
    case trailingData(path: String, extraBytes: Int)
    case csvEmpty(path: String)
    case csvRaggedRow(path: String, line: Int, expected: Int, got: Int)
    case csvBadField(path: String, line: Int, column: Int, text: String)
    case csvRank(path: String, shape: [Int])
    case cannotWrite(path: String, reason: String)
    case unsupportedExtension(path: String)
    case tensor(path: String, TensorError)
    /// Ctrl-C stopped a save (`saving`: nothing was written, any old file is unchanged) or a load.
    case interrupted(path: String, saving: Bool)
    /// A path that leads outside the folder `load` and `save` are confined to (`FolderConfinement`).
    case outsideFolder(path: String, folder: String)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .cannotOpen(let path, _), .cannotRead(let path, _), .notFound(let path),
             .isDirectory(let path), .tooLarge(let path, _, _), .malformed(let path, _),
             .unsupportedDType(let path, _), .fortranOrder(let path),
             .unsupportedVersion(let path, _, _), .truncated(let path, _, _),
             .trailingData(let path, _), .csvEmpty(let path), .csvRaggedRow(let path, _, _, _),
             .csvBadField(let path, _, _, _), .csvRank(let path, _), .cannotWrite(let path, _),
             .unsupportedExtension(let path), .tensor(let path, _), .interrupted(let path, _),
             .outsideFolder(let path, _):
            return path
        }
    }

    /// The message, with any terminal control character from the file (a CSV field, an `.npy`
    /// header) or its name shown escaped (`\e`, `\x07`), so a file cannot clear the screen or
    /// retitle the window by being loaded.
    public var description: String { ControlCharacters.escaped(message) }

    private var message: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .cannotRead(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .notFound(let path):
            return "\(path): no such file (paths are relative to the folder bnlab was started in)"
        case .isDirectory(let path):
            return "\(path) is a folder, not a file"
        case .tooLarge(let path, let bytes, let limit):
            return "\(path) is \(bytes) bytes, larger than the \(limit)-byte limit for this format"
        case .malformed(let path, let detail):
            return "\(path) is not a valid file: \(detail)"
        case .unsupportedDType(let path, let descr):
            return "\(path) holds \(DataFileError.describe(descr: descr)) (dtype '\(descr)'); bnlab reads "
                + "little-endian float32 or float64: save a.astype(np.float32) instead"
        case .fortranOrder(let path):
            return "\(path) stores its array in Fortran (column-major) order; bnlab reads C order: "
                + "save np.ascontiguousarray(a) instead"
        case .unsupportedVersion(let path, let major, let minor):
            return "\(path) is .npy format version \(major).\(minor); bnlab reads versions 1.0, 2.0 and 3.0"
        case .truncated(let path, let expectedBytes, let gotBytes):
            return "\(path) is truncated: it ends at byte \(gotBytes), but its header calls for "
                + "\(expectedBytes) bytes (\(expectedBytes - gotBytes) missing); was it copied completely?"
        case .trailingData(let path, let extraBytes):
            return "\(path) has \(extraBytes) unexpected byte\(extraBytes == 1 ? "" : "s") after the "
                + "array data its header describes (the last \(extraBytes) of the file)"
        case .csvEmpty(let path):
            return "\(path) has no data rows (only blank lines, comments or a header)"
        case .csvRaggedRow(let path, let line, let expected, let got):
            return "\(path):\(line): this row has \(got) field\(got == 1 ? "" : "s"), but earlier rows "
                + "have \(expected); every row of a CSV matrix needs the same number of values"
        case .csvBadField(let path, let line, let column, let text):
            let shown = text.isEmpty ? "an empty field" : "'\(text)'"
            return "\(path):\(line):\(column): \(shown) is not a number (\(DataFileError.hint(field: text)))"
        case .csvRank(let path, let shape):
            return "cannot save a tensor of shape \(Tensor.describe(shape: shape)) as CSV \(path): "
                + "CSV holds 1-D or 2-D data; save it as .npy, or reshape it to 2-D first"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .unsupportedExtension(let path):
            return "\(path): unknown file type; bnlab reads and writes .npy and .csv files"
        case .tensor(let path, let error):
            return "\(path): \(error)"
        case .outsideFolder(let path, let folder):
            return "\(path) is outside the folder bnlab was started in (\(folder)): load and save reach "
                + "only files there and below it; start bnlab with --files-anywhere to lift this"
        case .interrupted(let path, let saving):
            return saving
                ? "interrupted: \(path) not saved (a file that was there is unchanged)"
                : "interrupted: \(path) not loaded"
        }
    }

    /// Why a CSV field is not a number, for the spellings NumPy's own reader refuses too.
    static func hint(field text: String) -> String {
        if text.contains("\u{2212}") { return "'−' is the Unicode minus sign; write the ASCII '-'" }
        if text.contains("#") { return "a # comment must be on a line of its own" }
        let lower = text.lowercased()
        if lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x") {
            return "hexadecimal is not read; write the number in decimal"
        }
        if lower.contains("d"), lower.allSatisfy({ "0123456789.+-d".contains($0) }) {
            return "write the exponent with e (1e5), not Fortran's d"
        }
        return "only the first row may be a header; nan, inf and -inf are accepted"
    }

    /// Names a NumPy type string the way a learner knows it ("int64" rather than "<i8").
    static func describe(descr: String) -> String {
        let bytes = Array(descr.utf8)
        guard bytes.count >= 3, let size = Int(String(decoding: bytes[2...], as: UTF8.self)),
              (1...64).contains(size) else {
            return "an unsupported data type"
        }
        let kind: String
        switch bytes[1] {
        case UInt8(ascii: "f"): kind = "float"
        case UInt8(ascii: "i"): kind = "int"
        case UInt8(ascii: "u"): kind = "uint"
        case UInt8(ascii: "c"): kind = "complex"
        case UInt8(ascii: "b"): return "booleans"
        default: return "an unsupported data type"
        }
        let order = bytes[0] == UInt8(ascii: ">") ? "big-endian " : ""
        return "\(order)\(kind)\(size * 8) values"
    }
}
