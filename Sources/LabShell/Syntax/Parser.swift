/// A recursive-descent parser for bnlab's small language:
///
///     statement := 'repeat' expr block | NAME '=' expr | postfix '.' NAME '=' expr
///                | COMMAND word* | expr
///                | 'def' NAME '(' (NAME ','?)* (NAME ':' literal ','?)* ')' block   (top level only)
///                | 'return' (expr (',' expr)*)?                                  (inside a def)
///                | 'if' expr block ('else' (block | if-statement))?
///     expr      := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
///     sum       := term (('+' | '-') term)*           (kept flat: see Expr.chain)
///     term      := unary (('*' | '/' | '@') unary)*
///     unary     := ('-' | '+') unary | power
///     power     := postfix ('**' unary)?              (right to left, tighter than '-': -2**2 is -4)
///     postfix   := primary ('(' arguments ')' | '.' NAME | '[' subscript (',' subscript)* ']')*
///     subscript := expr | expr? ':' expr? (':' expr?)?
///     primary   := NUMBER | STRING | NAME | none | true | false | '(' expr ')' | '[' expr, … ']'
///
/// Recursion depth is counted and bounded, so no input can overflow the stack.
struct Parser {
    let tokens: [Token]
    var position = 0
    var depth = 0
    /// How many `def` bodies enclose the current token: `return` is only allowed inside one.
    var functionDepth = 0
    /// Names that may be used in command form (`help batchnorm`); the rest must use parentheses.
    let commandNames: Set<String>

    init(tokens: [Token], commandNames: Set<String>) {
        self.tokens = tokens
        self.commandNames = commandNames
    }

    static func parse(_ text: String, firstLine: Int = 1, commandNames: Set<String> = []) throws(LabError) -> [Statement] {
        let scanned = try Lexer.scan(text, firstLine: firstLine)
        if let open = scanned.openBrackets.last {
            throw LabError(.syntax, "'\(open.symbol.rawValue)' is never closed", at: open.location)
        }
        var parser = Parser(tokens: scanned.tokens, commandNames: commandNames)
        return try parser.parseProgram()
    }

    // MARK: - Token helpers

    var current: Token { tokens[position] }

    func peekKind(_ offset: Int = 1) -> Token.Kind {
        tokens[min(position + offset, tokens.count - 1)].kind
    }

    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func check(_ symbol: Token.Symbol) -> Bool { current.kind == .symbol(symbol) }

    mutating func match(_ symbol: Token.Symbol) -> Bool {
        guard check(symbol) else { return false }
        _ = advance()
        return true
    }

    mutating func expect(_ symbol: Token.Symbol, _ context: String) throws(LabError) -> Token {
        guard check(symbol) else {
            throw LabError(.syntax, "expected '\(symbol.rawValue)' \(context), found \(current.quoted)", at: current.location)
        }
        return advance()
    }

    mutating func nested<T>(_ body: (inout Parser) throws(LabError) -> T) throws(LabError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= LanguageLimits.maxNestingDepth else {
            throw LabError(.limit, "expression nested more than \(LanguageLimits.maxNestingDepth) levels deep", at: current.location)
        }
        return try body(&self)
    }

    var atStatementEnd: Bool {
        switch current.kind {
        case .newline, .end, .symbol(.semicolon), .symbol(.rightBrace): true
        default: false
        }
    }
}
