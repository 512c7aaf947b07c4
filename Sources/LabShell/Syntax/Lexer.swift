/// Turns source text into tokens, tracking open brackets so the shell knows when a statement
/// continues on the next line.
///
/// Inside `(…)` and `[…]` line breaks are insignificant, as in Python; inside `{…}` they separate
/// statements. Bracket depth is bounded (`LanguageLimits.maxNestingDepth`) right here, before the
/// recursive parser ever sees the input.
struct Lexer {
    struct Output {
        var tokens: [Token]
        /// Brackets still open at the end of the text: the statement needs more lines.
        var openBrackets: [(symbol: Token.Symbol, location: SourcePosition)]
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line: Int
    private var column = 1

    init(_ text: String, firstLine: Int = 1) {
        scalars = Array(text.unicodeScalars)
        line = firstLine
    }

    typealias OpenBracket = (symbol: Token.Symbol, location: SourcePosition)

    /// Scans `text`; `open` holds brackets left open by earlier lines of the same statement, so
    /// a long multi-line statement is scanned one new line at a time, not all again per line.
    static func scan(_ text: String, firstLine: Int = 1, open: [OpenBracket] = []) throws(LabError) -> Output {
        var lexer = Lexer(text, firstLine: firstLine)
        return try lexer.scanAll(open: open)
    }

    private var here: SourcePosition { SourcePosition(line: line, column: column) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func scanAll(open initiallyOpen: [OpenBracket]) throws(LabError) -> Output {
        var tokens: [Token] = []
        var open = initiallyOpen
        while let c = peek() {
            let start = here
            // Each token becomes a syntax node and a value later: the count bounds parsing's memory.
            guard tokens.count < LanguageLimits.maxStatementTokens else {
                throw LabError(.limit, "a statement of more than \(LanguageLimits.maxStatementTokens) tokens (numbers, "
                    + "names, symbols) is refused, which bounds the memory parsing takes; put large data in a "
                    + ".npy or .csv file and load it", at: start)
            }
            switch c {
            case " ", "\t", "\r", "\u{0C}":
                advance()
            case "#":
                while let d = peek(), d != "\n" { advance() }
            case "\n":
                advance()
                let insideParens = open.last.map { $0.symbol != .leftBrace } ?? false
                if !insideParens { tokens.append(Token(kind: .newline, location: start)) }
            case "0"..."9":
                tokens.append(Token(kind: .number(try scanNumber()), location: start))
            case "." where peek(1).map { ("0"..."9").contains($0) } ?? false:
                tokens.append(Token(kind: .number(try scanNumber()), location: start))
            case "\"", "'":
                tokens.append(Token(kind: .string(try scanString(quote: c)), location: start))
            case _ where Lexer.startsName(c):
                var name = ""
                while let d = peek(), Lexer.startsName(d) || ("0"..."9").contains(d) {
                    name.unicodeScalars.append(d)
                    advance()
                }
                let kind: Token.Kind = Token.Keyword(rawValue: name).map { .keyword($0) } ?? .identifier(name)
                tokens.append(Token(kind: kind, location: start))
            case _ where "<>=!".unicodeScalars.contains(c) && peek(1) == "=":
                // Two-character comparisons: <=, >=, ==, !=.
                advance(); advance()
                tokens.append(Token(kind: .symbol(Token.Symbol(rawValue: String(c) + "=") ?? .equalEqual), location: start))
            case "*" where peek(1) == "*":
                advance(); advance()
                tokens.append(Token(kind: .symbol(.power), location: start))
            case "^":
                throw LabError(.syntax, "'^' is not an operator here: write ** for a power, as in Python (10 ** 20)", at: start)
            default:
                guard let symbol = Token.Symbol(rawValue: String(c)) else {
                    throw LabError(.syntax, "unexpected character \(Lexer.describe(c))", at: start)
                }
                advance()
                switch symbol {
                case .leftParen, .leftBracket, .leftBrace:
                    guard open.count < LanguageLimits.maxNestingDepth else {
                        throw LabError(.limit, "brackets nested more than \(LanguageLimits.maxNestingDepth) levels deep", at: start)
                    }
                    open.append((symbol, start))
                case .rightParen, .rightBracket, .rightBrace:
                    let expected: Token.Symbol = symbol == .rightParen ? .leftParen : symbol == .rightBracket ? .leftBracket : .leftBrace
                    guard let last = open.last else {
                        throw LabError(.syntax, "'\(symbol.rawValue)' has no matching opening bracket", at: start)
                    }
                    guard last.symbol == expected else {
                        throw LabError(.syntax, "'\(symbol.rawValue)' does not match '\(last.symbol.rawValue)' opened at \(last.location)", at: start)
                    }
                    open.removeLast()
                default:
                    break
                }
                tokens.append(Token(kind: .symbol(symbol), location: start))
            }
        }
        tokens.append(Token(kind: .end, location: here))
        return Output(tokens: tokens, openBrackets: open)
    }

    private mutating func scanNumber() throws(LabError) -> Double {
        let start = here
        var text = ""
        func take(_ lexer: inout Lexer) {
            text.unicodeScalars.append(lexer.scalars[lexer.index])
            lexer.advance()
        }
        while let d = peek(), ("0"..."9").contains(d) || d == "_" { if d != "_" { take(&self) } else { advance() } }
        // `1.e5` is a number (as in Python and NumPy); `1.name` would be a field of a number.
        func isDigit(_ offset: Int) -> Bool { peek(offset).map { ("0"..."9").contains($0) } ?? false }
        let exponentAfterPoint = (peek(1) == "e" || peek(1) == "E")
            && (isDigit(2) || ((peek(2) == "+" || peek(2) == "-") && isDigit(3)))
        if peek() == ".", exponentAfterPoint || !(peek(1).map { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" } ?? false) {
            take(&self)
            while let d = peek(), ("0"..."9").contains(d) { take(&self) }
        }
        if let e = peek(), e == "e" || e == "E" {
            let sign = peek(1)
            let digitAt = (sign == "+" || sign == "-") ? 2 : 1
            if let d = peek(digitAt), ("0"..."9").contains(d) {
                take(&self)
                if digitAt == 2 { take(&self) }
                while let d = peek(), ("0"..."9").contains(d) { take(&self) }
            }
        }
        if let next = peek(), ("a"..."z").contains(next) || ("A"..."Z").contains(next) {
            throw LabError(.syntax, "a number cannot run into a name: '\(text)\(Character(next))…'", at: start)
        }
        guard let value = Double(text) else {
            throw LabError(.syntax, "'\(text)' is not a number", at: start)
        }
        guard value.isFinite else {
            throw LabError(.syntax, "\(text) is too large: the largest number is about 1.8e308", at: start)
        }
        return value
    }

    private mutating func scanString(quote: Unicode.Scalar) throws(LabError) -> String {
        let start = here
        advance()
        var text = ""
        while let c = peek() {
            switch c {
            case quote:
                advance()
                return text
            case "\n":
                throw LabError(.syntax, "this string is never closed: add \(quote) before the end of the line", at: start)
            case "\\":
                advance()
                guard let escaped = peek(), escaped != "\n" else { continue }
                switch escaped {
                case "n": text += "\n"
                case "t": text += "\t"
                default: text.unicodeScalars.append(escaped)
                }
                advance()
            default:
                text.unicodeScalars.append(c)
                advance()
            }
        }
        throw LabError(.syntax, "this string is never closed: add \(quote) before the end of the line", at: start)
    }

    /// Names may use any letters (a learner can write `γ = 2`), digits after the first, and '_'.
    static func startsName(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    static func describe(_ c: Unicode.Scalar) -> String {
        let hex = String(c.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if c == "\0" { return "NUL (\(code))" }
        if c.properties.generalCategory == .control || c == "\u{FFFD}" { return "\(code)" }
        return "'\(c)' (\(code))"
    }
}
