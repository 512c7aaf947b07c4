/// The sentences an experiment prints about its result, built from the figures so that each
/// says what the numbers say (and changes when they change).
enum Findings {
    /// "BatchNorm 0.123 against no norm 0.200 (mean of 5 seeds), better in 4 of 5 — holds."
    static func versus(_ c: Comparison, metric: String, higherIsBetter: Bool, decimals: Int = 3, asPercent: Bool = false,
                       label: String? = nil) -> String {
        let show: (Double) -> String = { asPercent ? percent($0) : fixed($0, decimals) }
        let seeds = c.baseline.values.count
        let lead = label.map { "\($0): " } ?? ""
        let better = c.treatmentWins >= c.baselineWins ? c.treatment.name : c.baseline.name
        let wins = max(c.treatmentWins, c.baselineWins)
        return lead + "\(metric), mean of \(seeds) seed\(seeds == 1 ? "" : "s"): \(c.treatment.name) \(show(c.treatment.mean)) "
            + "against \(c.baseline.name) \(show(c.baseline.mean)); \(better) is better in \(wins) of \(seeds) — "
            + verdictPhrase(c.verdict) + "."
    }

    static func verdictPhrase(_ verdict: Verdict) -> String {
        switch verdict {
        case .holds: "holds"
        case .doesNotHold: "does not hold"
        case .inconclusive: "inconclusive"
        }
    }

    /// A number with `decimals` digits after the point.
    static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale), fraction = Int(scaled - Double(whole) * scale)
        let sign = x < 0 && scaled != 0 ? "-" : ""
        guard decimals > 0 else { return sign + String(whole) }
        let digits = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: decimals - digits.count) + digits
    }

    /// 0.9583 → "95.8%".
    static func percent(_ x: Double) -> String { fixed(100 * x, 1) + "%" }

    /// A rate or setting as written: 0.001, 0.3, 24.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        for decimals in 1...6 {
            let text = fixed(x, decimals)
            if let back = Double(text), abs(back - x) <= 1e-9 * abs(x) { return text }
        }
        return "\(x)"
    }

    /// "0.003–0.1" for a list of rates, "none" when empty.
    static func range(_ values: [Double]) -> String {
        guard let low = values.first, let high = values.last else { return "none" }
        return low == high ? number(low) : number(low) + "–" + number(high)
    }
}
