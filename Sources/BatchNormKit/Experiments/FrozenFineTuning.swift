/// experiment("freeze"): the fine-tuning pitfall. A tuned BatchNorm network is fine-tuned for one
/// epoch on inputs from a new distribution (×3 + 2) with γ and β frozen and a tiny learning rate,
/// so only the running statistics can change: left in training mode they move to the new data
/// (which is AdaBN), kept fixed (eval() on the frozen layers) they stay. Tested on both data.
enum FrozenFineTuning: Experiment {
    static let claim = "Freezing γ and β does not freeze BatchNorm: in training mode every batch still moves the running "
        + "statistics, so fine-tuning should keep them fixed (bn.eval() on the frozen layers)."
    static let summary = "fine-tuning with γ/β frozen: statistics moved by the new data or kept fixed, tested on old and new data"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let runs = try p.train([ArmSpec(name: "moved", norm: .batch), ArmSpec(name: "fixed", norm: .batch)], rates: [grid, grid])
        let chosen = ExperimentProtocol.bestRate(runs[0])
        var accuracy = (old: [[Double]](repeating: [], count: 2), new: [[Double]](repeating: [], count: 2))
        var drift: [Double] = []
        for arm in 0..<2 {
            for run in runs[arm][chosen] {
                let model = run.model
                let norms = model.blocks.compactMap { $0.norm as? BatchNorm }
                let before = norms.first?.runningMean.scalars ?? []
                model.freezeNormParameters(true)
                if arm == 1 { for bn in norms { bn.momentum = 0 } }
                var config = TrainingConfig()
                config.epochs = 1
                config.learningRate = 1e-6
                config.seed = run.result.records.isEmpty ? 0 : UInt64(run.split.train.count)
                _ = try Trainer.train(model, train: try shifted(run.split.train), test: run.split.test, config: config)
                if arm == 0 {
                    drift.append(zip(before, norms.first?.runningMean.scalars ?? []).map { abs(Double($1) - Double($0)) }.max() ?? 0)
                }
                let old = try Trainer.evaluate(model, on: run.split.test).accuracy
                let new = try Trainer.evaluate(model, on: try shifted(run.split.test)).accuracy
                accuracy.old[arm].append(run.diverged ? p.chanceAccuracy : old)
                accuracy.new[arm].append(run.diverged ? p.chanceAccuracy : new)
            }
        }
        let rate = grid[chosen]
        func comparison(_ values: [[Double]], setting: Double?) -> Comparison {
            Comparison(setting: setting,
                       baseline: ArmResult(name: "statistics moved (training mode)", learningRate: rate, values: values[0]),
                       treatment: ArmResult(name: "statistics fixed (eval())", learningRate: rate, values: values[1]),
                       higherIsBetter: true, margin: 0.01)
        }
        let oldData = comparison(accuracy.old, setting: 0), newData = comparison(accuracy.new, setting: 1)
        let main = comparison(accuracy.old, setting: nil)
        var findings = [Findings.versus(main, metric: "test accuracy on the original data", higherIsBetter: true, asPercent: true)]
        findings.append(Findings.versus(newData, metric: "test accuracy on the new data (×3 + 2)", higherIsBetter: true, asPercent: true))
        findings.append("One epoch moved the first layer's running mean by up to \(Findings.fixed(mean(drift), 3)) on average.")
        if newData.verdict == .doesNotHold {
            findings.append("On the new data, letting the statistics follow it is the right thing to do: that is AdaBN "
                + "(refreshing BatchNorm's statistics on the target domain). Keep them fixed only when the model must still "
                + "serve the old data.")
        }
        return p.result(for: Self.self,
            metric: "test accuracy on the original data", higherIsBetter: true,
            margin: 0.01, marginText: "1 percentage point", main: main, settings: [oldData, newData],
            settingName: "test data (0 original, 1 new)",
            figures: [Figure("drift", mean(drift)), Figure("new_data_moved", newData.baseline.mean),
                      Figure("new_data_fixed", newData.treatment.mean)],
            findings: findings, grid: grid)
    }

    /// The same samples from the new distribution: every feature × 3 + 2.
    static func shifted(_ data: Dataset) throws(TensorError) -> Dataset {
        try Dataset(x: data.x.combined(with: 3, .multiply).combined(with: 2, .add), labels: data.labels,
                    classes: data.classes, name: data.name + " ×3 + 2")
    }
}
