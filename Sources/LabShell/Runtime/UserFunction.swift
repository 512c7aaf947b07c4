/// A function a learner wrote with `def`: its signature, its body, and where it was written, so
/// an error inside it names its own file and line wherever it is called from (a function defined
/// in a lesson and called at the prompt still points into the lesson). Shared like a layer:
/// `f = bn_forward` names the same function.
public final class UserFunction {
    /// One parameter: positional when it has no default, labelled (`eps: 1e-5`) when it has one.
    public struct Parameter {
        public let name: String
        /// The literal default of a labelled parameter; nil for a positional one.
        public let defaultValue: Value?
        let location: SourcePosition

        public var isPositional: Bool { defaultValue.map { _ in false } ?? true }
    }

    public let name: String
    public let parameters: [Parameter]
    let body: [Statement]
    /// The source the def came from, as errors name it: a file, `<stdin>`, a lesson.
    public let file: String
    public let definedAt: SourcePosition
    /// The def's own lines, from `definedAt.line` on: the caret under an error inside the body.
    private let lines: [String]

    init(name: String, parameters: [Parameter], body: [Statement], file: String, definedAt: SourcePosition,
         lines: [String]) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.file = file
        self.definedAt = definedAt
        self.lines = lines
    }

    public var positional: [Parameter] { parameters.filter(\.isPositional) }
    public var labelled: [Parameter] { parameters.filter { !$0.isPositional } }

    /// `def bn_forward(x, gamma, beta, eps: 1e-05)`: what printing the function shows, and help.
    public var signature: String {
        let parts = parameters.map { p in p.defaultValue.map { "\(p.name): \(Self.literal($0))" } ?? p.name }
        return "def \(name)(" + parts.joined(separator: ", ") + ")"
    }

    /// The text of source line `line`, if it is one of the def's lines.
    func lineText(_ line: Int) -> String? {
        let index = line - definedAt.line
        return lines.indices.contains(index) ? lines[index] : nil
    }

    /// A default as it reads back: defaults are literals, so this is the source, canonically spaced.
    private static func literal(_ value: Value) -> String {
        switch value {
        case .number(let v): NumberFormat.shortest(v)
        case .string(let s): "\"\(s)\""
        case .bool(let b): b ? "true" : "false"
        default: "none"
        }
    }
}
