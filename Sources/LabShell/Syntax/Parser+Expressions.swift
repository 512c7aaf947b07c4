/// The expression half of the parser: precedence climbing from comparisons down to postfix
/// calls, fields and subscripts, and the literals at the bottom.
extension Parser {
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

    mutating func parseSum() throws(LabError) -> Expr {
        try parseChain(of: [.plus, .minus]) { (p: inout Parser) throws(LabError) in
            try p.parseChain(of: [.star, .slash, .at]) { (p: inout Parser) throws(LabError) in try p.parseUnary() }
        }
    }

    /// operand (op operand)*, for one precedence level.
    mutating func parseChain(of operators: [Token.Symbol],
                                     operand: (inout Parser) throws(LabError) -> Expr) throws(LabError) -> Expr {
        let first = try operand(&self)
        var rest: [(op: Token.Symbol, operand: Expr, location: SourcePosition)] = []
        while case .symbol(let s) = current.kind, operators.contains(s) {
            let op = advance()
            rest.append((s, try operand(&self), op.location))
        }
        return rest.isEmpty ? first : .chain(first, rest)
    }

    mutating func parseUnary() throws(LabError) -> Expr {
        if case .symbol(let s) = current.kind, s == .minus || s == .plus {
            let op = advance()
            let operand = try nested { (p: inout Parser) throws(LabError) in try p.parseUnary() }
            return s == .minus ? .unary(.minus, operand, op.location) : operand
        }
        return try parsePower()
    }

    /// `base ** exponent`, the exponent itself a unary (so `2 ** -1` and `2 ** 3 ** 2` read as Python's).
    mutating func parsePower() throws(LabError) -> Expr {
        let base = try parsePostfix()
        guard check(.power) else { return base }
        let op = advance()
        let exponent = try nested { (p: inout Parser) throws(LabError) in try p.parseUnary() }
        return .chain(base, [(.power, exponent, op.location)])
    }

    mutating func parsePostfix() throws(LabError) -> Expr {
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
    mutating func parseSubscript() throws(LabError) -> Expr.Subscript {
        let start = current.location
        let first = check(.colon) ? nil : try parseExpression()
        guard match(.colon) else { return .at(first!) }
        func endsPart(_ p: Parser) -> Bool { p.check(.colon) || p.check(.comma) || p.check(.rightBracket) }
        let stop = endsPart(self) ? nil : try parseExpression()
        var step: Expr?
        if match(.colon), !endsPart(self) { step = try parseExpression() }
        return .slice(start: first, stop: stop, step: step, start)
    }

    mutating func parseArguments() throws(LabError) -> [Expr.Argument] {
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

    mutating func parsePrimary() throws(LabError) -> Expr {
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
