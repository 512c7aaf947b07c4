/// The parsed form of a statement or expression, each node carrying where it came from so
/// run-time errors can point at the right column.
indirect enum Expr {
    case number(Double, SourcePosition)
    case string(String, SourcePosition)
    case bool(Bool, SourcePosition)
    case none(SourcePosition)
    case variable(String, SourcePosition)
    case list([Expr], SourcePosition)
    case unary(Token.Symbol, Expr, SourcePosition)
    /// `a + b - c …` or `a * b / c …`: a left-to-right chain kept flat, so a megabyte of
    /// `1+1+…` is a loop to evaluate, not a tree deep enough to overflow the stack.
    case chain(Expr, [(op: Token.Symbol, operand: Expr, location: SourcePosition)])
    case call(Expr, [Argument], SourcePosition)
    case field(Expr, String, SourcePosition)
    /// `x[i, 1:3, ::2]`: one subscript per leading axis, as in NumPy.
    case index(Expr, [Subscript], SourcePosition)

    /// One entry between the brackets of an index: a position, or a slice `start:stop:step`
    /// whose parts may each be left out.
    enum Subscript {
        case at(Expr)
        case slice(start: Expr?, stop: Expr?, step: Expr?, SourcePosition)
    }

    struct Argument {
        var label: String?
        var value: Expr
        var location: SourcePosition
    }

    /// The variable this expression is, when it is just a name.
    var variableName: String? {
        if case .variable(let name, _) = self { return name }
        return nil
    }

    var location: SourcePosition {
        switch self {
        case .number(_, let l), .string(_, let l), .bool(_, let l), .none(let l), .variable(_, let l),
             .list(_, let l), .unary(_, _, let l), .call(_, _, let l), .field(_, _, let l), .index(_, _, let l):
            return l
        case .chain(let first, _):
            return first.location
        }
    }
}

/// One statement: what a line (or a `;`-separated part of one) asks the shell to do.
indirect enum Statement {
    /// `name = expr`
    case assign(String, Expr, SourcePosition)
    /// `a, b = expr`: each name takes one item of a list (or one row of a tensor), as in Python.
    case unpack([(name: String, location: SourcePosition)], Expr, SourcePosition)
    /// `target.field = expr`
    case assignField(Expr, String, Expr, SourcePosition)
    /// `repeat count { … }`
    case `repeat`(Expr, [Statement], SourcePosition)
    /// `if condition { … } else { … }`; `else if` nests another if in the else branch.
    case `if`(Expr, [Statement], [Statement], SourcePosition)
    /// A bare expression: evaluated, and its value printed unless it is `none`.
    case expression(Expr)
    /// Command form without parentheses, e.g. `help batchnorm`: words after a command name.
    case command(String, [Expr], SourcePosition)
    /// `def name(x, eps: 1e-5) { … }`, at the top level only.
    case def(FunctionDefinition)
    /// `return`, `return y` or `return y, cache` (several values make a list), inside a def.
    case `return`([Expr], SourcePosition)
}
