/// What a fair comparison of two arms says about a claim: the three answers a careful reader
/// can sign, decided by one rule for every experiment (`VerdictRule`).
public enum Verdict: String, Sendable, CaseIterable {
    /// The arm the claim favours is better in most seeds and by more than the margin on average.
    case holds = "holds"
    /// The baseline is better in the same way.
    case doesNotHold = "does not hold"
    /// Neither: the seeds disagree, or the difference is within the margin.
    case inconclusive = "inconclusive"
}

/// The one verdict rule: with S paired seeds, `holds` when the treatment is better than the
/// baseline in at least ⌈0.8·S⌉ seeds *and* its mean is better by more than the margin;
/// `does not hold` when the baseline is better in the same way; otherwise `inconclusive`.
public enum VerdictRule {
    /// ⌈0.8·S⌉ in whole numbers (0.8·5 is 4.000000000000001 in binary, whose ceiling is 5).
    public static func requiredWins(seeds: Int) -> Int { (4 * seeds + 4) / 5 }

    /// Seeds won by each side (a tie counts for neither) and the verdict.
    public static func decide(baseline: [Double], treatment: [Double], higherIsBetter: Bool,
                              margin: Double) -> (verdict: Verdict, treatmentWins: Int, baselineWins: Int) {
        // Each seed's advantage of the treatment, oriented so that positive means better.
        let oriented = zip(baseline, treatment).map { higherIsBetter ? $1 - $0 : $0 - $1 }
        let seeds = oriented.count
        guard seeds > 0 else { return (.inconclusive, 0, 0) }
        let treatmentWins = oriented.count { $0 > 0 }, baselineWins = oriented.count { $0 < 0 }
        let advantage = oriented.reduce(0, +) / Double(seeds)
        let needed = requiredWins(seeds: seeds)
        if treatmentWins >= needed && advantage > margin { return (.holds, treatmentWins, baselineWins) }
        if baselineWins >= needed && -advantage > margin { return (.doesNotHold, treatmentWins, baselineWins) }
        return (.inconclusive, treatmentWins, baselineWins)
    }

    /// The rule in words, with this experiment's numbers filled in.
    public static func describe(seeds: Int, margin: String, treatment: String, baseline: String) -> String {
        let needed = requiredWins(seeds: seeds)
        return "holds if \(treatment) is better than \(baseline) in at least \(needed) of \(seeds) paired seeds "
            + "and better on average by more than \(margin); does not hold if \(baseline) is better in the same "
            + "way; inconclusive otherwise"
    }
}
