@testable import LabShell
import Testing

/// A claim that holds prints itself with what it measured: the comparison's sides, or the
/// value of an expect with its tolerance and target. Failing claims keep their message.
@Suite struct ClaimLineTests {
    private func lines(_ source: String, ascii: Bool = false) -> [String] {
        let s = SessionHarness()
        s.interpreter.console.ascii = ascii
        #expect(s.run(source), "\(s.errors)")
        return s.lines
    }

    @Test func aCheckShowsTheLeftSidesValueAndTheBound() {
        #expect(lines("m = [0.5, -0.25]\ncheck(max(abs(m)) < 1, \"every value is below 1\")")
                == ["✓ every value is below 1 (max(abs(m)) = 0.5 < 1)"])
    }

    @Test func bothSidesThatAreNotLiteralsShowTheirValues() {
        #expect(lines("a = 2\nb = 3\ncheck(a * 2 > b, \"twice a beats b\")") == ["✓ twice a beats b (a * 2 = 4 > b = 3)"])
    }

    /// 0.99999994 to 4 digits is 1, and "1 < 1" would read false: more digits are shown.
    @Test func enoughDigitsThatTheComparisonReadsTrue() {
        #expect(lines("x = 0.99999994\ncheck(x < 1, \"below one\")") == ["✓ below one (x = 0.9999999 < 1)"])
        #expect(lines("x = 3.0517578125e-08\ncheck(x < 1e-6, \"tiny\")") == ["✓ tiny (x = 3.052e-08 < 1e-06)"])
    }

    @Test func equalityWithALiteralAndPlainConditionsShowTheirSource() {
        #expect(lines("v = \"holds\"\ncheck(v == \"holds\", \"the verdict holds\")") == ["✓ the verdict holds (v == \"holds\")"])
        #expect(lines("bn = batchnorm(2)\ncheck(bn.training, \"a new layer trains\")") == ["✓ a new layer trains (bn.training is true)"])
        #expect(lines("a = 1\ncheck((a < 2) == true, \"nested\")") == ["✓ nested ((a < 2) == true)"])
    }

    @Test func anExpectShowsValueToleranceAndTarget() {
        #expect(lines("expect(mean([1, 2, 3.5]), 2.1, \"the mean is near 2.1\", within: 0.1)")
                == ["✓ the mean is near 2.1 (mean([1, 2, 3.5]) = 2.167, within 0.1 of 2.1)"])
        #expect(lines("t = 0.25\nexpect(0.5 / 2, t, \"a quarter\", within: 0)") == ["✓ a quarter (0.5 / 2 = 0.25, exactly 0.25)"])
    }

    @Test func asciiAndALongClaimWithinTheWidth() {
        let long = lines("x = 1\ncheck(x > 0, \"" + String(repeating: "a claim ", count: 12) + "\")", ascii: true)
        #expect(long.first?.hasPrefix("ok a claim") == true, "\(long)")
        #expect(long.count == 3 && long.allSatisfy { $0.count < 80 }, "\(long)")
        #expect(long[1].hasPrefix("  ") && long[1].contains("claim") && long.last == "  (x = 1 > 0)", "\(long)")
        #expect(lines("m = 0.000001\ncheck(m < 0.00001, \"every channel of the normalized output has a mean of zero, as promised\")")
                == ["✓ every channel of the normalized output has a mean of zero, as promised", "  (m = 1e-06 < 1e-05)"])
    }

    /// The sides are the values the condition was computed from, not a second evaluation: a
    /// check on random numbers leaves the generator where the condition left it.
    @Test func theConditionIsEvaluatedOnce() {
        let plain = SessionHarness(), checked = SessionHarness()
        #expect(plain.run("seed(3)\nq = sum(randn(4)) < 100\nr = randn(1)[0]"))
        #expect(checked.run("seed(3)\ncheck(sum(randn(4)) < 100, \"c\")\nr = randn(1)[0]"))
        #expect(plain.number("r") != nil && plain.number("r") == checked.number("r"))
    }

    @Test func failingClaimsKeepTheirMessages() {
        let s = SessionHarness(name: "lesson.bnl")
        s.run("x = 1\ncheck(x > 2, \"x is more than 2\")\nexpect(x, 2, \"x is 2\", within: 0.5)")
        #expect(s.errors == ["lesson.bnl:2: check failed: x is more than 2", "lesson.bnl:3: check failed: x is 2: got 1, expected 2 ± 0.5"])
        #expect(!s.text.contains("✓"))
    }

    @Test(arguments: [("a - (b - c)", "a - (b - c)"), ("(a - b) - c", "a - b - c"), ("-(a + b) * 2", "-(a + b) * 2"),
                      ("f(x, k: \"q\\\"t\")", "f(x, k: \"q\\\"t\")"), ("x[0].y + [1, 2.5]", "x[0].y + [1, 2.5]"),
                      ("(a+b)/(c*d) >= 1e-5", "(a + b) / (c * d) >= 1e-05")])
    func expressionsAreWrittenBackAsSource(_ written: String, _ shown: String) throws {
        let statements = try Parser.parse(written)
        guard case .expression(let expr)? = statements.first else { Issue.record("not an expression"); return }
        #expect(expr.sourceText == shown)
    }
}
