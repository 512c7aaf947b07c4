/// experiment("calibrate"): what recomputing BatchNorm's statistics after training buys. Each
/// seed's tuned BatchNorm network is tested in eval mode twice: with the running averages
/// training left, then after `Calibration.recalibrate` (one pass over the training data, the
/// final weights, a cumulative average). Both arms are the same network, so the pair differs
/// only in the statistics. Swept over BatchNorm's momentum: PyTorch's 0.1, and 0.001, the stale
/// averages of lesson 12.
enum Recalibration: Experiment {
    static let momenta = [0.1, 0.001]

    static let claim = "After training, BatchNorm's running statistics can be recomputed with one pass over the training "
        + "data (a cumulative average, momentum None), which gives better eval-mode accuracy than the moving averages."
    static let summary = "after training: test accuracy with the moving averages or statistics recomputed from the training data"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let arms = momenta.map { momentum in
            ArmSpec(name: "momentum \(Findings.number(momentum))", norm: .batch, prepare: { model in
                for block in model.blocks { (block.norm as? BatchNorm)?.momentum = momentum }
            })
        }
        let runs = try p.train(arms, rates: arms.map { _ in grid })
        var comparisons: [Comparison] = [], changes: [Double] = []
        for (arm, momentum) in momenta.enumerated() {
            let chosen = ExperimentProtocol.bestRate(runs[arm])
            var calibrated: [Double] = []
            for run in runs[arm][chosen] {
                let norms = run.model.blocks.compactMap { $0.norm as? BatchNorm }
                let before = norms.flatMap(\.runningMean.scalars)
                try Calibration.recalibrate(run.model, on: run.split.train, batchSize: arms[arm].batchSize)
                let after = norms.flatMap(\.runningMean.scalars)
                if arm == 0 { changes.append(mean(zip(before, after).map { abs(Double($1) - Double($0)) })) }
                let accuracy = try Trainer.evaluate(run.model, on: run.split.test).accuracy
                calibrated.append(run.diverged || !accuracy.isFinite ? p.chanceAccuracy : accuracy)
            }
            let rate = grid[chosen]
            comparisons.append(Comparison(
                setting: momentum,
                baseline: ArmResult(name: "moving averages", learningRate: rate, values: runs[arm][chosen].map(p.testAccuracy)),
                treatment: ArmResult(name: "recalibrated", learningRate: rate, values: calibrated),
                higherIsBetter: true, margin: 0.01))
        }
        let first = comparisons[0]
        let main = Comparison(baseline: first.baseline, treatment: first.treatment, higherIsBetter: true, margin: 0.01)
        var findings = comparisons.map { c in
            Findings.versus(c, metric: "test accuracy", higherIsBetter: true, asPercent: true,
                            label: "momentum \(Findings.number(c.setting ?? .nan))")
        }
        findings.append("At momentum 0.1 recalibrating moved the running means by \(Findings.fixed(mean(changes), 3)) "
            + "on average (over channels, layers and seeds).")
        return p.result(for: Self.self,
            metric: "test accuracy at momentum 0.1", higherIsBetter: true, margin: 0.01,
            marginText: "1 percentage point", main: main, settings: comparisons, settingName: "BatchNorm momentum",
            figures: [Figure("mean_change", mean(changes))], findings: findings, grid: grid)
    }
}
