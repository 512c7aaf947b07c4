/// The smallest pieces of bnlab's language, as the lexer finds them.
struct Token: Equatable {
    enum Kind: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case keyword(Keyword)
        case symbol(Symbol)
        case newline
        case end
    }

    enum Keyword: String, CaseIterable {
        case `repeat`, none, `true`, `false`
        /// `def NAME(…) { … }` and `return`: user functions (UserFunction).
        case def, `return`
        /// `if CONDITION { … } else { … }`: a branch, so one function can handle 2-D and 4-D input.
        case `if`, `else`
    }

    enum Symbol: String {
        case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
        case leftBrace = "{", rightBrace = "}", comma = ",", colon = ":", semicolon = ";"
        case dot = ".", equals = "=", plus = "+", minus = "-", star = "*", slash = "/"
        case power = "**", at = "@"
        case less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">=", equalEqual = "==", notEqual = "!="
    }

    let kind: Kind
    let location: SourcePosition

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .number(let v): "number \(NumberFormat.shortest(v))"
        case .string: "a string"
        case .identifier(let name): "'\(name)'"
        case .keyword(let k): "'\(k.rawValue)'"
        case .symbol(let s): "'\(s.rawValue)'"
        case .newline: "end of line"
        case .end: "end of input"
        }
    }
}
