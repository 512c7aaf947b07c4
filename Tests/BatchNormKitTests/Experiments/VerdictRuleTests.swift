@testable import BatchNormKit
import Testing

/// The one verdict rule, on hand-made figures: the share of seeds, the margin, the direction.
@Suite struct VerdictRuleTests {
    @Test func requiredWinsIsTheCeilingOfFourFifths() {
        #expect([1, 2, 3, 4, 5, 6, 10, 50].map(VerdictRule.requiredWins) == [1, 2, 3, 4, 4, 5, 8, 40])
    }

    @Test func holdsNeedsEnoughSeedsAndTheMargin() {
        // Treatment better in 4 of 5 seeds by 0.05 on average.
        let base = [0.90, 0.90, 0.90, 0.90, 0.90], treat = [0.96, 0.95, 0.97, 0.95, 0.87]
        #expect(VerdictRule.decide(baseline: base, treatment: treat, higherIsBetter: true, margin: 0.01).verdict == .holds)
        // Same seeds, but the margin is larger than the mean advantage (0.04).
        #expect(VerdictRule.decide(baseline: base, treatment: treat, higherIsBetter: true, margin: 0.05).verdict == .inconclusive)
        // Only 3 of 5 seeds better: inconclusive however large the mean.
        let three = [0.99, 0.99, 0.99, 0.80, 0.80]
        let d = VerdictRule.decide(baseline: base, treatment: three, higherIsBetter: true, margin: 0.001)
        #expect(d.verdict == .inconclusive && d.treatmentWins == 3 && d.baselineWins == 2)
    }

    @Test func lowerIsBetterFlipsTheDirection() {
        let plain = [0.30, 0.31, 0.29, 0.33, 0.30], bn = [0.20, 0.21, 0.19, 0.22, 0.20]
        #expect(VerdictRule.decide(baseline: plain, treatment: bn, higherIsBetter: false, margin: 0.02).verdict == .holds)
        #expect(VerdictRule.decide(baseline: plain, treatment: bn, higherIsBetter: true, margin: 0.02).verdict == .doesNotHold)
        #expect(VerdictRule.decide(baseline: bn, treatment: plain, higherIsBetter: false, margin: 0.02).verdict == .doesNotHold)
    }

    @Test func tiesCountForNeither() {
        let d = VerdictRule.decide(baseline: [1, 1, 1], treatment: [1, 1, 1], higherIsBetter: true, margin: 0)
        #expect(d.verdict == .inconclusive && d.treatmentWins == 0 && d.baselineWins == 0)
    }

    @Test func ruleInWordsNamesTheNumbers() {
        let text = VerdictRule.describe(seeds: 10, margin: "0.02", treatment: "BatchNorm", baseline: "no norm")
        #expect(text.contains("at least 8 of 10 paired seeds") && text.contains("more than 0.02"))
    }
}
