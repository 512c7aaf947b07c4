/// Where an error raised inside user functions came from, beyond its line and column: the file
/// of the innermost function (the error's position is in that file, which need not be the one
/// being run), the text of that line for the caret, and the calls that led there, innermost
/// first. The runner prints it as `FILE:LINE:COL: error: … (in f, called at FILE:LINE:COL)`.
public struct CallTrace: Equatable, Sendable {
    /// One call of a user function: which, and where it was called from.
    public struct Call: Equatable, Sendable {
        public var function: String
        public var file: String
        public var position: SourcePosition
    }

    public var file: String
    /// The source line the error's position is on, when it is known.
    public var lineText: String?
    public var calls: [Call]

    /// ` (in g, called at a.bnl:5:3; in f, called at <stdin>:2:1)`. A deep recursion shows its
    /// innermost and outermost calls with the count between, as a traceback elides the middle.
    public var suffix: String {
        func text(_ call: Call) -> String { "in \(call.function), called at \(call.file):\(call.position)" }
        guard let innermost = calls.first, let outermost = calls.last else { return "" }
        let parts: [String] = switch calls.count {
        case 1: [text(innermost)]
        case 2: [text(innermost), text(outermost)]
        default: [text(innermost), "\(calls.count - 2) more call\(calls.count == 3 ? "" : "s")", text(outermost)]
        }
        return " (" + parts.joined(separator: "; ") + ")"
    }
}

extension LabError {
    /// The error as it leaves a call of `function` made at `call`: the first call it leaves
    /// says which file its position is in; every call adds itself. Interrupts and errors already
    /// printed pass unchanged.
    func leaving(_ function: UserFunction, call: CallTrace.Call) -> LabError {
        guard kind != .interrupted, kind != .reported else { return self }
        var copy = self
        if copy.trace == nil {
            copy.trace = CallTrace(file: function.file, lineText: location.flatMap { function.lineText($0.line) }, calls: [])
        }
        copy.trace?.calls.append(call)
        return copy
    }

    /// The message with the calls it came through, as the runner prints it.
    public var messageWithCalls: String { message + (trace?.suffix ?? "") }
}
