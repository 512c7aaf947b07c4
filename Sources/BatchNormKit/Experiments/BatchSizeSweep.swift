/// experiment("batch"): does BatchNorm suffer with small batches? BatchNorm against LayerNorm
/// (which uses no batch statistics) at four batch sizes, each tuned; the verdict compares how much
/// accuracy each loses going from the largest batch to the smallest. Beside it, the measured noise
/// of a batch's mean against the σ/√b that sampling theory predicts.
enum BatchSizeSweep: Experiment {
    static let sizes: [Double] = [2, 8, 32, 128]

    static let claim = "Smaller batch sizes can lead to inaccurate estimates of the mean and variance, which can degrade "
        + "the performance of the network."
    static let summary = "small batches: BN vs LayerNorm at batch 2 to 128, each at its best rate, and the noise of batch means"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let usable = sizes.filter { Int($0) <= p.data.count / 4 }
        // Small batches take the most steps, so they go first.
        let runs = try p.sweep(usable, rates: { _ in grid }) { size in
            [ArmSpec(name: "BatchNorm", norm: .batch, batchSize: Int(size)), ArmSpec(name: "LayerNorm", norm: .layer, batchSize: Int(size))]
        }
        let comparisons = zip(usable, runs).map { size, arms in
            Comparison(setting: size,
                       baseline: p.arm("BatchNorm", runsByRate: arms[0], rates: grid, metric: p.testAccuracy),
                       treatment: p.arm("LayerNorm", runsByRate: arms[1], rates: grid, metric: p.testAccuracy),
                       higherIsBetter: true, margin: 0.01)
        }
        let (small, large) = (comparisons.first!, comparisons.last!)
        let drop = { (arm: Int) in zip(large.arms[arm].values, small.arms[arm].values).map { $0 - $1 } }
        let main = Comparison(baseline: ArmResult(name: "BatchNorm", learningRate: small.baseline.learningRate, values: drop(0),
                                                  curves: small.baseline.curves),
                              treatment: ArmResult(name: "LayerNorm", learningRate: small.treatment.learningRate, values: drop(1),
                                                   curves: small.treatment.curves),
                              higherIsBetter: false, margin: 0.01)
        let noise = batchMeanNoise(p.data, sizes: usable.map(Int.init), seed: p.options.firstSeed &+ 1)
        let worst = noise.map { abs($0.measured / $0.predicted - 1) }.max() ?? 0
        var findings = [Findings.versus(main, metric: "accuracy lost from batch \(Findings.number(large.setting!)) to batch "
                                        + "\(Findings.number(small.setting!))", higherIsBetter: false, asPercent: true)]
        for c in comparisons {
            findings.append("batch \(Findings.number(c.setting!)): BatchNorm \(Findings.percent(c.baseline.mean)) (rate "
                + "\(Findings.number(c.baseline.learningRate))), LayerNorm \(Findings.percent(c.treatment.mean)) (rate "
                + "\(Findings.number(c.treatment.learningRate))); LayerNorm better by the rule: \(Findings.verdictPhrase(c.verdict)).")
        }
        findings.append("The spread of a batch's mean over 200 random batches "
            + (worst <= 0.15 ? "follows σ/√b (with the finite-population correction) to within \(Findings.percent(worst))"
                : "departs from σ/√b by up to \(Findings.percent(worst))")
            + (noise.count > 1 ? ": from \(Findings.fixed(noise.first!.measured, 4)) at batch \(noise.first!.size) to "
                + "\(Findings.fixed(noise.last!.measured, 4)) at batch \(noise.last!.size)." : "."))
        var figures: [Figure] = []
        for n in noise {
            figures.append(Figure("noise_\(n.size)", n.measured))
            figures.append(Figure("predicted_\(n.size)", n.predicted))
        }
        return p.result(for: Self.self,
            metric: "test accuracy lost going from the largest batch to the smallest (lower is better)",
            higherIsBetter: false, margin: 0.01, marginText: "1 percentage point", main: main, settings: comparisons,
            settingName: "batch size", figures: figures, findings: findings, grid: grid)
    }

    /// For each batch size b: the standard deviation of feature 0's mean over 200 batches drawn
    /// without replacement, and the theory's σ/√b · √((N − b)/(N − 1)).
    static func batchMeanNoise(_ data: Dataset, sizes: [Int], seed: UInt64) -> [(size: Int, measured: Double, predicted: Double)] {
        let column = stride(from: 0, to: data.x.count, by: data.features).map { Double(data.x.scalars[$0]) }
        let n = Double(column.count)
        let sigma = Moments.of(column).variance.squareRoot()
        var generator = SeededGenerator(seed: seed)
        return sizes.map { size in
            let means = (0..<200).map { _ in Moments.of(generator.sample(size, from: column.count).map { column[$0] }).mean }
            let spread = Moments.of(means).variance.squareRoot()
            let b = Double(size)
            return (size, spread, sigma / b.squareRoot() * ((n - b) / (n - 1)).squareRoot())
        }
    }
}
