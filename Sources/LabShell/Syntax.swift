/// The parsed form of a statement or expression, each node carrying where it came from so
/// run-time errors can point at the right column.
indirect enum Expr {
    case number(Double, SourceLocation)
    case string(String, SourceLocation)
    case bool(Bool, SourceLocation)
    case none(SourceLocation)
    case variable(String, SourceLocation)
    case list([Expr], SourceLocation)
    case unary(Token.Symbol, Expr, SourceLocation)
    /// `a + b - c …` or `a * b / c …`: a left-to-right chain kept flat, so a megabyte of
    /// `1+1+…` is a loop to evaluate, not a tree deep enough to overflow the stack.
    case chain(Expr, [(op: Token.Symbol, operand: Expr, location: SourceLocation)])
    case call(Expr, [Argument], SourceLocation)
    case field(Expr, String, SourceLocation)

    struct Argument {
        var label: String?
        var value: Expr
        var location: SourceLocation
    }

    var location: SourceLocation {
        switch self {
        case .number(_, let l), .string(_, let l), .bool(_, let l), .none(let l), .variable(_, let l),
             .list(_, let l), .unary(_, _, let l), .call(_, _, let l), .field(_, _, let l):
            return l
        case .chain(let first, _):
            return first.location
        }
    }
}

/// One statement: what a line (or a `;`-separated part of one) asks the shell to do.
indirect enum Statement {
    /// `name = expr`
    case assign(String, Expr, SourceLocation)
    /// `target.field = expr`
    case assignField(Expr, String, Expr, SourceLocation)
    /// `repeat count { … }`
    case `repeat`(Expr, [Statement], SourceLocation)
    /// A bare expression: evaluated, and its value printed unless it is `none`.
    case expression(Expr)
    /// Command form without parentheses, e.g. `help batchnorm`: words after a command name.
    case command(String, [Expr], SourceLocation)
}
