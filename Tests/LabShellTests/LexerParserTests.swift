@testable import LabShell
import Testing

@Suite struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.scan(text).tokens.map(\.kind)
    }

    @Test func numbersInEveryForm() throws {
        #expect(try kinds("1 1.5 .5 1e-5 2E3 1_000 3.") == [.number(1), .number(1.5), .number(0.5), .number(1e-5),
                                                               .number(2000), .number(1000), .number(3), .end])
    }

    @Test func fieldAccessIsNotADecimalPoint() throws {
        #expect(try kinds("bn.gamma") == [.identifier("bn"), .symbol(.dot), .identifier("gamma"), .end])
    }

    @Test func stringsWithEscapesAndBothQuotes() throws {
        #expect(try kinds(#""a\"b" 'c\n'"#) == [.string("a\"b"), .string("c\n"), .end])
    }

    @Test func unicodeNamesAreNames() throws {
        #expect(try kinds("γ = 2") == [.identifier("γ"), .symbol(.equals), .number(2), .end])
    }

    @Test func newlinesInsideParenthesesAreIgnoredButNotInsideBraces() throws {
        #expect(try kinds("f(1,\n2)") == [.identifier("f"), .symbol(.leftParen), .number(1), .symbol(.comma),
                                          .number(2), .symbol(.rightParen), .end])
        #expect(try kinds("{a\nb}").contains(.newline))
    }

    @Test func openBracketsAreReportedForContinuation() throws {
        let output = try Lexer.scan("x = [1,\n")
        #expect(output.openBrackets.count == 1 && output.openBrackets[0].location == SourcePosition(line: 1, column: 5))
    }

    @Test func badCharactersNameThemselvesAndTheirColumn() throws {
        #expect(throws: LabError(.syntax, "unexpected character NUL (U+0000)", at: SourcePosition(line: 1, column: 3))) {
            try Lexer.scan("a \u{0}")
        }
        #expect(throws: LabError(.syntax, "unexpected character '$' (U+0024)", at: SourcePosition(line: 2, column: 1))) {
            try Lexer.scan("a\n$")
        }
        #expect(throws: LabError.self) { try Lexer.scan("\"never closed") }
        #expect(throws: LabError(.syntax, "']' does not match '(' opened at 1:1", at: SourcePosition(line: 1, column: 2))) {
            try Lexer.scan("(]")
        }
    }

    @Test func nestingIsBoundedBeforeParsing() throws {
        let deep = String(repeating: "(", count: 100_000)
        #expect(throws: LabError.self) { try Lexer.scan(deep) }
    }
}

@Suite struct ParserTests {
    @Test func precedenceAndAssociativity() {
        let session = SessionHarness()
        session.run("a = 2 * 3 + 4 * 5 - 6 / 2\nb = 10 - 4 - 3\nc = -2 * -3\nd = (1 + 2) * 3")
        #expect(session.number("a") == 23)
        #expect(session.number("b") == 3)
        #expect(session.number("c") == 6)
        #expect(session.number("d") == 9)
    }

    @Test func statementsSplitOnSemicolonsAndNewlines() {
        let session = SessionHarness()
        #expect(session.run("a = 1; b = 2\n\n;; c = a + b # comment"))
        #expect(session.number("c") == 3)
    }

    @Test func labelledArgumentsMustComeLast() {
        let session = SessionHarness()
        #expect(!session.run("batchnorm(eps: 0.1, 8)"))
        #expect(session.lastError.contains("positional argument cannot follow a labelled one"))
    }

    @Test func onlyNamesAndFieldsCanBeAssigned() {
        let session = SessionHarness()
        #expect(!session.run("1 + 2 = 3"))
        #expect(session.lastError == "<test>:1:7: error: only a name or a field (like bn.gamma) can be assigned to")
    }

    @Test func twoStatementsOnALineNeedASeparator() {
        let session = SessionHarness()
        #expect(!session.run("a = 1 b = 2"))
        #expect(session.lastError.hasPrefix("<test>:1:7: error: unexpected 'b' after a complete statement"))
    }

    @Test func longOperatorChainsDoNotRecurse() {
        let session = SessionHarness()
        #expect(session.run("s = " + Array(repeating: "1", count: 200_000).joined(separator: " + ")))
        #expect(session.number("s") == 200_000)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let session = SessionHarness()
        #expect(!session.run(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)))
        #expect(session.lastError.contains("nested more than 200 levels deep"))
        #expect(!session.run("x = 1; x" + String(repeating: ".shape", count: 10_000)))
        #expect(session.lastError.contains("calls and fields in a row"))
        #expect(!session.run(String(repeating: "-", count: 10_000) + "1"))
        #expect(session.run("y = " + String(repeating: "-", count: 100) + "1"))
        #expect(session.number("y") == 1)
    }
}
