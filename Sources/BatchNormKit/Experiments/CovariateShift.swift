/// experiment("shift"): does BatchNorm reduce internal covariate shift? The input distribution of
/// every hidden block after the first, measured on a fixed probe batch after each epoch (mean over
/// features of |Δmean| + |Δstd|), summed over training; both networks tuned.
enum CovariateShift: Experiment {
    static let claim = "By reducing the internal covariate shift, Batch Normalization helps in stabilizing the training process."
    static let summary = "internal covariate shift: how far each hidden layer's input distribution moves, with and without BN"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let hidden = [64, 64, 64]
        let runs = try p.train([ArmSpec(name: "no norm", hidden: hidden, norm: .none, measureInputShift: true),
                                ArmSpec(name: "BatchNorm", hidden: hidden, norm: .batch, measureInputShift: true)],
                               rates: [grid, grid])
        let shift: (RunOutcome) -> Double = { totalShift($0) }
        let arms = (0..<2).map { p.arm(["no norm", "BatchNorm"][$0], runsByRate: runs[$0], rates: grid, metric: shift) }
        let main = Comparison(baseline: arms[0], treatment: arms[1], higherIsBetter: false, margin: 0.05)
        // At one shared rate too, so the comparison does not hinge on the rates chosen.
        let shared = grid.firstIndex(of: 0.01)!
        let same = Comparison(baseline: ArmResult(name: "no norm", learningRate: 0.01, values: runs[0][shared].map(shift)),
                              treatment: ArmResult(name: "BatchNorm", learningRate: 0.01, values: runs[1][shared].map(shift)),
                              higherIsBetter: false, margin: 0.05)
        var findings = [Findings.versus(main, metric: "input shift summed over \(p.options.epochs) epochs", higherIsBetter: false)]
        findings.append(Findings.versus(same, metric: "at the same rate 0.01 for both", higherIsBetter: false))
        if main.verdict == .doesNotHold {
            findings.append("BatchNorm's layers see their inputs move more, not less, yet it trains: as Santurkar et al. (2018) "
                + "found, reducing this shift is not how BatchNorm helps (see experiment(\"noise\") and experiment(\"smoothness\")).")
        } else if main.verdict == .holds {
            findings.append("Here BatchNorm's layers see their inputs move less; whether that is why it helps is what "
                + "experiment(\"noise\") tests.")
        }
        return p.result(for: Self.self,
            metric: "input shift of hidden blocks 2 and 3 summed over the epochs (lower is less shift)",
            higherIsBetter: false, margin: 0.05, marginText: "0.05", main: main,
            figures: [Figure("same_rate_plain", same.baseline.mean), Figure("same_rate_bn", same.treatment.mean),
                      Figure("same_rate_verdict_holds", same.verdict == .holds ? 1 : same.verdict == .doesNotHold ? -1 : 0)],
            findings: findings, grid: grid)
    }

    /// The mean over blocks 2… of each epoch's input shift, summed over the epochs (block 1's input is the data).
    static func totalShift(_ run: RunOutcome) -> Double {
        run.result.records.map { record in
            let inner = record.diagnostics.dropFirst().map(\.inputShift).filter(\.isFinite)
            return inner.isEmpty ? 0 : inner.reduce(0, +) / Double(inner.count)
        }.reduce(0, +)
    }
}
