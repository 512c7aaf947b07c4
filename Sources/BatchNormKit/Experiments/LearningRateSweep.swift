/// experiment("lr"): does BatchNorm allow higher learning rates? Both networks at each rate of a
/// wide sweep; the verdict counts, per seed, the rates at which each gets within 5 points of the
/// best test accuracy any network reached on that seed.
enum LearningRateSweep: Experiment {
    static let rates = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]
    static let tolerance = 0.05

    static let claim = "This allows for the use of higher learning rates."
    static let summary = "higher learning rates: test accuracy at eight rates from 0.001 to 3, with and without BN"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let runs = try p.sweep(rates, rates: { [$0] }) { _ in
            [ArmSpec(name: "no norm", norm: .none), ArmSpec(name: "BatchNorm", norm: .batch)]
        }
        let comparisons = zip(rates, runs).map { rate, arms in
            Comparison(setting: rate,
                       baseline: p.arm("no norm", runsByRate: arms[0], rates: [rate], tuned: false, metric: p.testAccuracy),
                       treatment: p.arm("BatchNorm", runsByRate: arms[1], rates: [rate], tuned: false, metric: p.testAccuracy),
                       higherIsBetter: true, margin: 0.01)
        }
        let counts = p.usableCounts(comparisons, tolerance: tolerance)
        // Each arm's own best rate on validation, to show beside the counts.
        let best = [0, 1].map { arm in ExperimentProtocol.bestRate(runs.map { $0[arm][0] }) }
        let curves = [0, 1].map { arm in runs[best[arm]][arm][0].map { p.lossCurve($0) } }
        let main = Comparison(baseline: ArmResult(name: "no norm", learningRate: rates[best[0]], values: counts.baseline, curves: curves[0]),
                              treatment: ArmResult(name: "BatchNorm", learningRate: rates[best[1]], values: counts.treatment, curves: curves[1]),
                              higherIsBetter: true, margin: 0.5)
        let highest = p.settingsNearBest(comparisons, tolerance: tolerance)
        var findings = [Findings.versus(main, metric: "rates within 5 points of the best", higherIsBetter: true, decimals: 1)]
        findings.append("On average over the seeds, no norm is near the best at rates \(Findings.range(highest[0])), BatchNorm at "
            + "\(Findings.range(highest[1])).")
        let wins = comparisons.filter { $0.verdict == .holds }.compactMap(\.setting)
        let losses = comparisons.filter { $0.verdict == .doesNotHold }.compactMap(\.setting)
        findings.append("Rate by rate, BatchNorm's test accuracy is better by the rule at "
            + (wins.isEmpty ? "no rate" : wins.map(Findings.number).joined(separator: ", "))
            + " and worse at " + (losses.isEmpty ? "no rate" : losses.map(Findings.number).joined(separator: ", ")) + ".")
        return p.result(for: Self.self,
            metric: "number of rates (of 8) within 5 points of the seed's best test accuracy",
            higherIsBetter: true, margin: 0.5, marginText: "0.5 rates", main: main, settings: comparisons,
            settingName: "learning rate", findings: findings, grid: [])
    }
}
