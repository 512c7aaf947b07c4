/// experiment("init"): is BatchNorm less sensitive to the initial weight scale? Seven scales of
/// the Kaiming initialization, each arm tuned at each scale; the verdict counts, per seed, the
/// scales at which each gets within 5 points of the best test accuracy of that seed.
enum InitializationSweep: Experiment {
    static let scales = [0.01, 0.1, 0.5, 1, 2, 5, 10]
    static let tolerance = 0.05

    static let claim = "Batch Normalization reduces the sensitivity of the network to the choice of initialization."
    static let summary = "initialization: test accuracy at seven weight scales (× Kaiming), each network at its best rate"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let runs = try p.sweep(scales, rates: { _ in grid }) { scale in
            [ArmSpec(name: "no norm", norm: .none, initScale: scale), ArmSpec(name: "BatchNorm", norm: .batch, initScale: scale)]
        }
        let comparisons = zip(scales, runs).map { scale, arms in
            Comparison(setting: scale,
                       baseline: p.arm("no norm", runsByRate: arms[0], rates: grid, metric: p.testAccuracy),
                       treatment: p.arm("BatchNorm", runsByRate: arms[1], rates: grid, metric: p.testAccuracy),
                       higherIsBetter: true, margin: 0.01)
        }
        let counts = p.usableCounts(comparisons, tolerance: tolerance)
        let kaiming = comparisons[scales.firstIndex(of: 1)!]
        let main = Comparison(baseline: ArmResult(name: "no norm", learningRate: kaiming.baseline.learningRate, values: counts.baseline,
                                                  curves: kaiming.baseline.curves),
                              treatment: ArmResult(name: "BatchNorm", learningRate: kaiming.treatment.learningRate, values: counts.treatment,
                                                   curves: kaiming.treatment.curves),
                              higherIsBetter: true, margin: 0.5)
        let near = p.settingsNearBest(comparisons, tolerance: tolerance)
        var findings = [Findings.versus(main, metric: "scales within 5 points of the best", higherIsBetter: true, decimals: 1)]
        findings.append("On average over the seeds, no norm is near the best at scales \(Findings.range(near[0])), "
            + "BatchNorm at \(Findings.range(near[1])) (each at its own tuned rate).")
        let extremes = [comparisons.first!, comparisons.last!]
        findings.append("At the extremes: scale \(Findings.number(scales.first!)) — no norm \(Findings.percent(extremes[0].baseline.mean)), "
            + "BatchNorm \(Findings.percent(extremes[0].treatment.mean)); scale \(Findings.number(scales.last!)) — no norm "
            + "\(Findings.percent(extremes[1].baseline.mean)), BatchNorm \(Findings.percent(extremes[1].treatment.mean)).")
        return p.result(for: Self.self,
            metric: "number of init scales (of 7) within 5 points of the seed's best test accuracy",
            higherIsBetter: true, margin: 0.5, marginText: "0.5 scales", main: main, settings: comparisons,
            settingName: "init scale", findings: findings, grid: grid)
    }
}
