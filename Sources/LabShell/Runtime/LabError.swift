import BatchNormKit

/// A place in the learner's input: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// Every error the language reports: a sentence for the learner and, where known, the place in
/// the input it is about. The shell prints it as `FILE:LINE:COL: error: MESSAGE`.
public struct LabError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case syntax, name, type, value, file, interrupted, limit
        /// A lesson's `check` or `expect` found its claim false: reported as `FILE:LINE: check failed: …`.
        case check
        /// Already printed (by a lesson's own runner); only stops the enclosing statement.
        case reported
    }

    public var kind: Kind
    public var message: String
    public var location: SourcePosition?
    /// Set when the error came out of a user function: which file `location` is in, and the calls.
    public var trace: CallTrace?

    public init(_ kind: Kind, _ message: String, at location: SourcePosition? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String { message }

    static let interrupted = LabError(.interrupted, "interrupted")

    /// Attaches a location to an error that has none yet (inner locations are more precise).
    func located(at location: SourcePosition) -> LabError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }

    init(_ error: TensorError, at location: SourcePosition? = nil) {
        if case .interrupted = error {
            self = LabError.interrupted
            self.location = location
            return
        }
        let kind: Kind = switch error {
        case .tooLarge, .layerTooLarge: .limit
        default: .value
        }
        self.init(kind, error.description, at: location)
    }

    init(_ error: DataFileError, at location: SourcePosition? = nil) {
        self.init(.file, error.description, at: location)
    }
}

/// Bounds that keep pathological input from crashing the shell, each with a clear error.
public enum LanguageLimits {
    /// Deepest nesting of brackets, braces and unary operators the parser accepts. The parser is
    /// recursive, so this bound is what keeps 100,000 '(' from overflowing the stack.
    public static let maxNestingDepth = 200
    /// Longest statement (in bytes) the shell will assemble from input lines.
    public static let maxStatementBytes = 8 << 20
    /// Most tokens one statement may have: an 8 MiB `zeros(1,1,…)` once took 2.6 GB to parse.
    public static let maxStatementTokens = 1 << 20
    /// Largest `repeat` count.
    public static let maxRepeatCount = 1_000_000_000
    /// Deepest chain of user-function calls (recursion included) before an error.
    public static let maxCallDepth = 200
}
