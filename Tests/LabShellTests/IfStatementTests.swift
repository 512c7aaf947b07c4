@testable import LabShell
import Testing

/// `if … { } else { }`: the branch a function needs to take 2-D and 4-D input alike.
@Suite struct IfStatementTests {
    @Test func theTrueBranchRunsAndTheOtherDoesNot() {
        let s = SessionHarness()
        #expect(s.run("if 1 < 2 { a = 1 } else { a = 2; b = 3 }"))
        #expect(s.number("a") == 1)
        #expect(s.variable("b") == nil)
        #expect(s.run("if 0 { c = 1 } else if 2 > 1 { c = 2 } else { c = 3 }"))
        #expect(s.number("c") == 2)
    }

    @Test func aFunctionPicksItsAxesByTheInputsRank() {
        let s = SessionHarness()
        #expect(s.run("""
            def rank_word(x) {
              if x.ndim == 4 {
                return "image"
              } else if x.ndim == 2 { return "table" }
              return "other"
            }
            a = rank_word(zeros(2, 3, 4, 5))
            b = rank_word(zeros(2, 3))
            c = rank_word(zeros(3))
            """), "\(s.errors)")
        func text(_ name: String) -> String? {
            if case .string(let t)? = s.variable(name) { return t }
            return nil
        }
        #expect(text("a") == "image")
        #expect(text("b") == "table")
        #expect(text("c") == "other")
    }

    @Test func badConditionsAndAStrayElseAreOneLineErrors() {
        let s = SessionHarness()
        #expect(!s.run("if zeros(3) { a = 1 }"))
        #expect(s.lastError == "<test>:1:9: error: if needs one true or false; a comparison of tensors gives a 0/1 mask: "
                + "reduce it first, as in if max(x) > 0 { … }")
        #expect(!s.run("if \"yes\" { a = 1 }"))
        #expect(s.lastError.contains("if needs true or false, got"), "\(s.lastError)")
        #expect(!s.run("else { a = 1 }"))
        #expect(s.lastError == "<test>:3:1: error: 'else' without an if: write it on the line of the if's closing brace, as in } else {")
        #expect(!s.run("y = if"))
        #expect(s.lastError.contains("'if' starts a statement"), "\(s.lastError)")
    }

    @Test func helpExplainsTheKeyword() {
        let s = SessionHarness()
        s.run("help if")
        #expect(s.text.contains("if CONDITION { … } else { … }"), "\(s.text)")
    }
}
