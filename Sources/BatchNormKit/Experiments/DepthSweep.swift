/// experiment("depth"): does BatchNorm let deeper networks train? tanh networks of 2 to 24 hidden
/// layers, each arm tuned at each depth, with the range of rates that trains, so the learner can
/// tell "deeper" from "tolerates a higher rate at depth".
enum DepthSweep: Experiment {
    static let depths: [Double] = [2, 8, 16, 24]

    static let claim = "Batch Normalization enables the training of deeper neural networks."
    static let summary = "depth: test accuracy of tanh networks with 2 to 24 hidden layers, each at its best rate"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        // Deepest first: the longest runs start at once and the short ones fill in behind them.
        let order = Array(depths.reversed())
        let runs = try p.sweep(order, rates: { _ in grid }) { depth in
            let hidden = Array(repeating: 32, count: Int(depth))
            return [ArmSpec(name: "no norm", hidden: hidden, norm: .none, activation: .tanh),
                    ArmSpec(name: "BatchNorm", hidden: hidden, norm: .batch, activation: .tanh)]
        }
        let comparisons = zip(order, runs).map { depth, arms in
            Comparison(setting: depth,
                       baseline: p.arm("no norm", runsByRate: arms[0], rates: grid, metric: p.testAccuracy),
                       treatment: p.arm("BatchNorm", runsByRate: arms[1], rates: grid, metric: p.testAccuracy),
                       higherIsBetter: true, margin: 0.01)
        }.reversed()
        let deepest = comparisons.last!
        let main = Comparison(baseline: deepest.baseline, treatment: deepest.treatment, higherIsBetter: true, margin: 0.01)
        var findings = [Findings.versus(main, metric: "test accuracy at \(Findings.number(depths.last!)) hidden layers",
                                        higherIsBetter: true, asPercent: true)]
        for c in comparisons {
            findings.append("\(Findings.number(c.setting ?? 0)) layers: rates that train — no norm \(Findings.range(c.baseline.ratesThatTrain)), "
                + "BatchNorm \(Findings.range(c.treatment.ratesThatTrain)); chosen \(Findings.number(c.baseline.learningRate)) "
                + "and \(Findings.number(c.treatment.learningRate)); \(Findings.verdictPhrase(c.verdict)).")
        }
        let plainTop = deepest.baseline.ratesThatTrain.last ?? 0, bnTop = deepest.treatment.ratesThatTrain.last ?? 0
        if bnTop > plainTop {
            findings.append("At the greatest depth BatchNorm still trains at rates up to \(Findings.number(bnTop)), no norm only up to "
                + (plainTop > 0 ? Findings.number(plainTop) : "none of the grid") + ": what BatchNorm buys at depth is a wider range of "
                + "usable rates — evidence for the learning-rate claim as much as for depth.")
        } else {
            findings.append("At the greatest depth no norm trains at rates up to \(plainTop > 0 ? Findings.number(plainTop) : "none of the grid"), "
                + "BatchNorm up to \(bnTop > 0 ? Findings.number(bnTop) : "none of the grid").")
        }
        return p.result(for: Self.self,
            metric: "test accuracy at the greatest depth (tanh, 32 units per layer)",
            higherIsBetter: true, margin: 0.01, marginText: "1 percentage point", main: main, settings: Array(comparisons),
            settingName: "hidden layers", findings: findings, grid: grid)
    }
}
