/// The statement half of the parser: programs, blocks, `if`, `repeat`, assignments, unpacking,
/// command form, and `def`/`return`.
extension Parser {
    mutating func parseProgram() throws(LabError) -> [Statement] {
        let statements = try parseStatements(until: .end)
        return statements
    }

    mutating func skipSeparators() {
        while current.kind == .newline || check(.semicolon) { _ = advance() }
    }

    mutating func parseStatements(until terminator: Token.Kind) throws(LabError) -> [Statement] {
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
    mutating func parseIf() throws(LabError) -> Statement {
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

    mutating func parseStatement() throws(LabError) -> Statement {
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
    mutating func parseUnpacking(_ first: String, at start: SourcePosition) throws(LabError) -> Statement {
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
    mutating func parseDefinition() throws(LabError) -> Statement {
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
    mutating func parseReturn() throws(LabError) -> Statement {
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
    func startsCommandWord(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .identifier, .number, .string, .keyword(.true), .keyword(.false), .keyword(.none): true
        default: false
        }
    }
}
