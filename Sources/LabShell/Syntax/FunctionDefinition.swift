/// A `def` as the parser reads it: the name, the parameters (positional ones first, then
/// labelled ones with a literal default) and the body. Running it makes a `UserFunction`.
struct FunctionDefinition {
    struct Parameter {
        var name: String
        /// The default of a labelled parameter, always a literal (a number, string, true/false
        /// or none), like a built-in command's option: help can show it as written.
        var defaultValue: Expr?
        var location: SourcePosition
    }

    var name: String
    var parameters: [Parameter]
    var body: [Statement]
    /// Where `def` stands.
    var location: SourcePosition
    var nameLocation: SourcePosition
    /// The line of the closing brace: the function's source is lines `location.line...endLine`.
    var endLine: Int
}
