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
    private let tokens: [Token]
    private var position = 0
    private var depth = 0
    /// How many `def` bodies enclose the current token: `return` is only allowed inside one.
    private var functionDepth = 0
    /// Names that may be used in command form (`help batchnorm`); the rest must use parentheses.
    private let commandNames: Set<String>

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

    private var current: Token { tokens[position] }

    private func peekKind(_ offset: Int = 1) -> Token.Kind {
        tokens[min(position + offset, tokens.count - 1)].kind
    }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func check(_ symbol: Token.Symbol) -> Bool { current.kind == .symbol(symbol) }

    private mutating func match(_ symbol: Token.Symbol) -> Bool {
        guard check(symbol) else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ symbol: Token.Symbol, _ context: String) throws(LabError) -> Token {
        guard check(symbol) else {
            throw LabError(.syntax, "expected '\(symbol.rawValue)' \(context), found \(current.quoted)", at: current.location)
        }
        return advance()
    }

    private mutating func nested<T>(_ body: (inout Parser) throws(LabError) -> T) throws(LabError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= LanguageLimits.maxNestingDepth else {
            throw LabError(.limit, "expression nested more than \(LanguageLimits.maxNestingDepth) levels deep", at: current.location)
        }
        return try body(&self)
    }

    private var atStatementEnd: Bool {
        switch current.kind {
        case .newline, .end, .symbol(.semicolon), .symbol(.rightBrace): true
        default: false
        }
    }

    // MARK: - Statements

    mutating func parseProgram() throws(LabError) -> [Statement] {
        let statements = try parseStatements(until: .end)
        return statements
    }

    private mutating func skipSeparators() {
        while current.kind == .newline || check(.semicolon) { _ = advance() }
    }

    private mutating func parseStatements(until terminator: Token.Kind) throws(LabError) -> [Statement] {
        var statements: [Statement] = []
        skipSeparators()
        while current.kind != terminator && current.kind != .end {
            statements.append(try parseStatement())
            guard atStatementEnd else {
                throw LabError(.syntax, "unexpected \(current.quoted) after a complete statement "
                    + "(separate statements with ';' or a new line)", at: current.location)
            }
            skipSeparators()
        }
        return statements
    }

    /// `if cond { … }`, then `else { … }` or `else if …` on the closing brace's line.
    private mutating func parseIf() throws(LabError) -> Statement {
        let start = advance().location
        let condition = try parseExpression()
        _ = try expect(.leftBrace, "after the condition, as in if x.ndim == 4 { … }")
        let body = try nested { (p: inout Parser) throws(LabError) in try p.parseStatements(until: .symbol(.rightBrace)) }
        _ = try expect(.rightBrace, "to close the if block")
        var otherwise: [Statement] = []
        if current.kind == .keyword(.else) {
            _ = advance()
            if current.kind == .keyword(.if) {
                otherwise = [try nested { (p: inout Parser) throws(LabError) in try p.parseIf() }]
            } else {
                _ = try expect(.leftBrace, "after else, as in } else { … }")
                otherwise = try nested { (p: inout Parser) throws(LabError) in try p.parseStatements(until: .symbol(.rightBrace)) }
                _ = try expect(.rightBrace, "to close the else block")
            }
        }
        return .if(condition, body, otherwise, start)
    }

    private mutating func parseStatement() throws(LabError) -> Statement {
        let start = current.location
        if current.kind == .keyword(.def) { return try parseDefinition() }
        if current.kind == .keyword(.return) { return try parseReturn() }
        if current.kind == .keyword(.if) { return try parseIf() }
        if current.kind == .keyword(.else) {
            throw LabError(.syntax, "'else' without an if: write it on the line of the if's closing brace, as in } else {", at: start)
        }
        if current.kind == .keyword(.repeat) {
            _ = advance()
            let count = try parseExpression()
            _ = try expect(.leftBrace, "after the repeat count, as in repeat 10 { … }")
            let body = try nested { (p: inout Parser) throws(LabError) in try p.parseStatements(until: .symbol(.rightBrace)) }
            _ = try expect(.rightBrace, "to close the repeat block")
            return .repeat(count, body, start)
        }
        // `help repeat`: a keyword after `help` is the word to explain, not a statement.
        if case .identifier("help") = current.kind, commandNames.contains("help"), case .keyword(let keyword) = peekKind() {
            _ = advance()
            let word = advance()
            guard atStatementEnd else { throw LabError(.syntax, "help takes one name, as in help repeat", at: current.location) }
            return .command("help", [.string(keyword.rawValue, word.location)], start)
        }
        if case .identifier(let name) = current.kind, commandNames.contains(name), startsCommandWord(peekKind()) {
            _ = advance()
            var words: [Expr] = []
            while !atStatementEnd { words.append(try parsePostfix()) }
            return .command(name, words, start)
        }
        let target = try parseExpression()
        if check(.comma), case .variable(let first, let firstLocation) = target { return try parseUnpacking(first, at: firstLocation) }
        guard check(.equals) else { return .expression(target) }
        let equals = advance()
        let value = try parseExpression()
        switch target {
        case .variable(let name, _):
            return .assign(name, value, start)
        case .field(let object, let field, _):
            return .assignField(object, field, value, start)
        default:
            throw LabError(.syntax, "only a name or a field (like bn.gamma) can be assigned to", at: equals.location)
        }
    }

    /// `m, v = running_update(…)`: names separated by commas, then `=` and one expression.
    private mutating func parseUnpacking(_ first: String, at start: SourcePosition) throws(LabError) -> Statement {
        var names = [(name: first, location: start)]
        while check(.comma) {
            _ = advance()
            guard case .identifier(let name) = current.kind else {
                throw LabError(.syntax, "expected a name after ',': a, b = f(x) gives each name one value", at: current.location)
            }
            names.append((name, advance().location))
        }
        _ = try expect(.equals, "after the names, as in a, b = f(x)")
        return .unpack(names, try parseExpression(), start)
    }

    // MARK: - Functions

    /// `def name(x, gamma, eps: 1e-5) { … }`. Only at the top level: a def inside a block would
    /// define the function again on every turn, and functions do not capture local variables.
    private mutating func parseDefinition() throws(LabError) -> Statement {
        let start = advance().location
        guard depth == 0 else {
            throw LabError(.syntax, "def belongs at the top level, not inside a block or another def", at: start)
        }
        guard case .identifier(let name) = current.kind else {
            throw LabError(.syntax, "expected the function's name after def, found \(current.quoted): "
                + "def f(x) { return 2 * x }", at: current.location)
        }
        let nameToken = advance()
        _ = try expect(.leftParen, "after the function's name, as in def \(name)(x) { … }")
        var parameters: [FunctionDefinition.Parameter] = []
        while !check(.rightParen) {
            guard case .identifier(let parameter) = current.kind else {
                throw LabError(.syntax, "expected a parameter name, found \(current.quoted)", at: current.location)
            }
            let token = advance()
            guard !parameters.contains(where: { $0.name == parameter }) else {
                throw LabError(.syntax, "\(name) names the parameter '\(parameter)' twice", at: token.location)
            }
            var defaultValue: Expr?
            if match(.colon) {
                let value = try parseUnary()
                guard value.isLiteral else {
                    throw LabError(.syntax, "the default of '\(parameter)' must be a number, a string, true/false "
                        + "or none, as in eps: 1e-5", at: value.location)
                }
                defaultValue = value
            } else if parameters.last?.defaultValue != nil {
                throw LabError(.syntax, "'\(parameter)' has no default, so it goes before the labelled parameters "
                    + "(name: value)", at: token.location)
            }
            parameters.append(.init(name: parameter, defaultValue: defaultValue, location: token.location))
            guard match(.comma) else { break }
        }
        _ = try expect(.rightParen, "to close the parameter list")
        _ = try expect(.leftBrace, "to open the body of \(name), on the same line: def \(name)(…) {")
        functionDepth += 1
        defer { functionDepth -= 1 }
        let body = try nested { (p: inout Parser) throws(LabError) in try p.parseStatements(until: .symbol(.rightBrace)) }
        let close = try expect(.rightBrace, "to close the body of \(name)")
        return .def(FunctionDefinition(name: name, parameters: parameters, body: body, location: start,
                                       nameLocation: nameToken.location, endLine: close.location.line))
    }

    /// `return`, `return y` or `return y, cache`.
    private mutating func parseReturn() throws(LabError) -> Statement {
        let start = advance().location
        guard functionDepth > 0 else {
            throw LabError(.syntax, "return belongs inside a function: def f(x) { return 2 * x }", at: start)
        }
        var values: [Expr] = []
        if !atStatementEnd {
            values.append(try parseExpression())
            while match(.comma) { values.append(try parseExpression()) }
        }
        return .return(values, start)
    }

    /// `help batchnorm`: a command name followed on the same line by a word, number or string.
    private func startsCommandWord(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .identifier, .number, .string, .keyword(.true), .keyword(.false), .keyword(.none): true
        default: false
        }
    }

    // MARK: - Expressions

    mutating func parseExpression() throws(LabError) -> Expr {
        try nested { (p: inout Parser) throws(LabError) in
            let left = try p.parseSum()
            // One comparison at most (a < b < c is an error, not Python's chain).
            guard case .symbol(let s) = p.current.kind, Self.comparisons.contains(s) else { return left }
            let op = p.advance()
            let right = try p.parseSum()
            if case .symbol(let next) = p.current.kind, Self.comparisons.contains(next) {
                throw LabError(.syntax, "compare two values at a time: write (a < b) and (b < c) as two checks", at: p.current.location)
            }
            return .chain(left, [(s, right, op.location)])
        }
    }

    static let comparisons: [Token.Symbol] = [.less, .greater, .lessOrEqual, .greaterOrEqual, .equalEqual, .notEqual]

    private mutating func parseSum() throws(LabError) -> Expr {
        try parseChain(of: [.plus, .minus]) { (p: inout Parser) throws(LabError) in
            try p.parseChain(of: [.star, .slash, .at]) { (p: inout Parser) throws(LabError) in try p.parseUnary() }
        }
    }

    /// operand (op operand)*, for one precedence level.
    private mutating func parseChain(of operators: [Token.Symbol],
                                     operand: (inout Parser) throws(LabError) -> Expr) throws(LabError) -> Expr {
        let first = try operand(&self)
        var rest: [(op: Token.Symbol, operand: Expr, location: SourcePosition)] = []
        while case .symbol(let s) = current.kind, operators.contains(s) {
            let op = advance()
            rest.append((s, try operand(&self), op.location))
        }
        return rest.isEmpty ? first : .chain(first, rest)
    }

    private mutating func parseUnary() throws(LabError) -> Expr {
        if case .symbol(let s) = current.kind, s == .minus || s == .plus {
            let op = advance()
            let operand = try nested { (p: inout Parser) throws(LabError) in try p.parseUnary() }
            return s == .minus ? .unary(.minus, operand, op.location) : operand
        }
        return try parsePower()
    }

    /// `base ** exponent`, the exponent itself a unary (so `2 ** -1` and `2 ** 3 ** 2` read as Python's).
    private mutating func parsePower() throws(LabError) -> Expr {
        let base = try parsePostfix()
        guard check(.power) else { return base }
        let op = advance()
        let exponent = try nested { (p: inout Parser) throws(LabError) in try p.parseUnary() }
        return .chain(base, [(.power, exponent, op.location)])
    }

    private mutating func parsePostfix() throws(LabError) -> Expr {
        var expr = try parsePrimary()
        // Each call or field wraps the expression once more; bound the chain like nesting.
        var links = 0
        while true {
            if check(.leftParen) || check(.dot) || check(.leftBracket) {
                links += 1
                guard links + depth <= LanguageLimits.maxNestingDepth else {
                    throw LabError(.limit, "more than \(LanguageLimits.maxNestingDepth) calls and fields in a row", at: current.location)
                }
            }
            if check(.leftParen) {
                let open = advance()
                expr = .call(expr, try parseArguments(), open.location)
            } else if check(.leftBracket) {
                let open = advance()
                var subscripts: [Expr.Subscript] = []
                repeat {
                    if check(.rightBracket) && !subscripts.isEmpty { break }  // x[1,] is x[1], as in NumPy
                    subscripts.append(try parseSubscript())
                } while match(.comma)
                _ = try expect(.rightBracket, "to close the index")
                expr = .index(expr, subscripts, open.location)
            } else if check(.dot) {
                _ = advance()
                guard case .identifier(let name) = current.kind else {
                    throw LabError(.syntax, "expected a field name after '.', found \(current.quoted)", at: current.location)
                }
                let nameToken = advance()
                expr = .field(expr, name, nameToken.location)
            } else {
                return expr
            }
        }
    }

    /// `i`, or a slice with any of its parts left out: `1:3`, `:`, `::2`, `-1::-1`.
    private mutating func parseSubscript() throws(LabError) -> Expr.Subscript {
        let start = current.location
        let first = check(.colon) ? nil : try parseExpression()
        guard match(.colon) else { return .at(first!) }
        func endsPart(_ p: Parser) -> Bool { p.check(.colon) || p.check(.comma) || p.check(.rightBracket) }
        let stop = endsPart(self) ? nil : try parseExpression()
        var step: Expr?
        if match(.colon), !endsPart(self) { step = try parseExpression() }
        return .slice(start: first, stop: stop, step: step, start)
    }

    private mutating func parseArguments() throws(LabError) -> [Expr.Argument] {
        var arguments: [Expr.Argument] = []
        var sawLabel = false
        while !check(.rightParen) {
            let start = current.location
            var label: String?
            if case .identifier(let name) = current.kind, peekKind() == .symbol(.colon) {
                _ = advance(); _ = advance()
                label = name
                sawLabel = true
            } else if sawLabel {
                throw LabError(.syntax, "a positional argument cannot follow a labelled one (name: value)", at: start)
            }
            arguments.append(Expr.Argument(label: label, value: try parseExpression(), location: start))
            guard match(.comma) else { break }
        }
        _ = try expect(.rightParen, "to close the argument list")
        return arguments
    }

    private mutating func parsePrimary() throws(LabError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let v):
            _ = advance()
            return .number(v, token.location)
        case .string(let s):
            _ = advance()
            return .string(s, token.location)
        case .identifier(let name):
            _ = advance()
            return .variable(name, token.location)
        case .keyword(.none):
            _ = advance()
            return .none(token.location)
        case .keyword(.true), .keyword(.false):
            _ = advance()
            return .bool(token.kind == .keyword(.true), token.location)
        case .symbol(.leftParen):
            _ = advance()
            let inner = try parseExpression()
            _ = try expect(.rightParen, "to close '(' opened at \(token.location)")
            return inner
        case .symbol(.leftBracket):
            _ = advance()
            var items: [Expr] = []
            while !check(.rightBracket) {
                items.append(try parseExpression())
                guard match(.comma) else { break }
            }
            _ = try expect(.rightBracket, "to close '[' opened at \(token.location)")
            return .list(items, token.location)
        case .keyword(.repeat):
            throw LabError(.syntax, "'repeat' starts a statement (repeat 10 { … }); it cannot be used inside an expression", at: token.location)
        case .keyword(.if), .keyword(.else):
            throw LabError(.syntax, "'\(token.kind == .keyword(.if) ? "if" : "else")' starts a statement (if a < b { … } else { … }); "
                + "it cannot be used inside an expression", at: token.location)
        case .keyword(.def), .keyword(.return):
            throw LabError(.syntax, "'\(token.kind == .keyword(.def) ? "def" : "return")' starts a statement; "
                + "it cannot be used inside an expression", at: token.location)
        case .end, .newline:
            throw LabError(.syntax, "the expression is incomplete: expected a value, found \(token.quoted)", at: token.location)
        default:
            throw LabError(.syntax, "expected a value, found \(token.quoted)", at: token.location)
        }
    }
}
