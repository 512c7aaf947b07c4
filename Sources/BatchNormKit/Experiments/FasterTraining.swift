/// experiment("bn"): does BatchNorm make training faster? Both networks tuned, the training loss
/// measured in eval mode on the whole training set after every epoch, "faster" read as the area
/// under that curve (a network that gets low early has a small area).
enum FasterTraining: Experiment {
    static let claim = "By reducing the internal covariate shift, Batch Normalization helps in stabilizing the training "
        + "process. This allows for faster convergence."
    static let summary = "faster training: eval-mode training loss per epoch with and without BN, each at its best rate"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let specs = [ArmSpec(name: "no norm", norm: .none), ArmSpec(name: "BatchNorm", norm: .batch)]
        let runs = try p.train(specs, rates: [grid, grid])
        // The rate that learns fastest on held-out data: the lowest mean validation loss over the epochs.
        let score: (RunOutcome) -> Double = { run in
            run.diverged ? -1e9 : -mean(run.result.records.map { $0.validationLoss.flatMap { $0.isFinite ? $0 : nil } ?? p.chanceLoss })
        }
        let area: (RunOutcome) -> Double = { mean(p.lossCurve($0)) }
        let arms = specs.indices.map { p.arm(specs[$0].name, runsByRate: runs[$0], rates: grid, metric: area, score: score) }
        let main = Comparison(baseline: arms[0], treatment: arms[1], higherIsBetter: false, margin: 0.02)
        let chosen = specs.indices.map { runs[$0][ExperimentProtocol.bestRate(runs[$0], score: score)] }
        let accuracy = chosen.map { $0.map(p.testAccuracy) }
        let finalLoss = chosen.map { $0.map { p.lossCurve($0).last ?? p.chanceLoss } }
        let batchLoss = chosen.map { $0.map { $0.last?.trainLoss ?? .nan } }
        let accuracyComparison = VerdictRule.decide(baseline: accuracy[0], treatment: accuracy[1], higherIsBetter: true, margin: 0.01)
        var findings = [Findings.versus(main, metric: "the area under the training-loss curve", higherIsBetter: false, decimals: 3)]
        findings.append("Final eval-mode training loss: no norm \(Findings.fixed(mean(finalLoss[0]), 3)), BatchNorm "
            + "\(Findings.fixed(mean(finalLoss[1]), 3)). The training-mode batch average that a training loop prints "
            + "would say \(Findings.fixed(mean(batchLoss[0]), 3)) and \(Findings.fixed(mean(batchLoss[1]), 3)): for BatchNorm "
            + "it mixes batch statistics and earlier weights, so it is not the yardstick here.")
        findings.append("Test accuracy: BatchNorm \(Findings.percent(mean(accuracy[1]))) against \(Findings.percent(mean(accuracy[0]))) "
            + "without, higher in \(accuracyComparison.treatmentWins) of \(accuracy[0].count) seeds — by the same rule, "
            + "\(Findings.verdictPhrase(accuracyComparison.verdict)).")
        return p.result(for: Self.self,
            metric: "mean eval-mode training loss over the epochs (area under the curve)",
            higherIsBetter: false, margin: 0.02, marginText: "0.02", main: main,
            figures: [Figure("test_accuracy_plain", mean(accuracy[0])), Figure("test_accuracy_bn", mean(accuracy[1])),
                      Figure("final_loss_plain", mean(finalLoss[0])), Figure("final_loss_bn", mean(finalLoss[1])),
                      Figure("batch_loss_plain", mean(batchLoss[0])), Figure("batch_loss_bn", mean(batchLoss[1])),
                      Figure("accuracy_wins_bn", Double(accuracyComparison.treatmentWins))],
            findings: findings, grid: grid,
            tuning: "its lowest mean validation loss over the epochs")
    }
}
