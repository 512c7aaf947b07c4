/// experiment("regularization"): does BatchNorm regularize? Both networks tuned; the gap between
/// training and test accuracy, both measured in eval mode at the end.
enum RegularizationGap: Experiment {
    static let claim = "Batch Normalization acts as a regularizer, reducing the generalization error of the model."
    static let summary = "regularization: train − test accuracy gap with and without BN, each at its best rate"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let runs = try p.train([ArmSpec(name: "no norm", norm: .none), ArmSpec(name: "BatchNorm", norm: .batch)], rates: [grid, grid])
        var gaps: [[Double]] = [[], []], tests: [[Double]] = [[], []]
        for arm in 0..<2 {
            for run in runs[arm][ExperimentProtocol.bestRate(runs[arm])] {
                let train = run.diverged ? p.chanceAccuracy : try Trainer.evaluate(run.model, on: run.split.train).accuracy
                gaps[arm].append(train - p.testAccuracy(run))
                tests[arm].append(p.testAccuracy(run))
            }
        }
        let rates = (0..<2).map { grid[ExperimentProtocol.bestRate(runs[$0])] }
        let main = Comparison(baseline: ArmResult(name: "no norm", learningRate: rates[0], values: gaps[0],
                                                  curves: runs[0][ExperimentProtocol.bestRate(runs[0])].map { p.lossCurve($0) }),
                              treatment: ArmResult(name: "BatchNorm", learningRate: rates[1], values: gaps[1],
                                                   curves: runs[1][ExperimentProtocol.bestRate(runs[1])].map { p.lossCurve($0) }),
                              higherIsBetter: false, margin: 0.01)
        let test = Comparison(baseline: ArmResult(name: "no norm", learningRate: rates[0], values: tests[0]),
                              treatment: ArmResult(name: "BatchNorm", learningRate: rates[1], values: tests[1]),
                              higherIsBetter: true, margin: 0.01)
        let findings = [
            Findings.versus(main, metric: "train − test accuracy gap", higherIsBetter: false, asPercent: true),
            Findings.versus(test, metric: "test accuracy", higherIsBetter: true, asPercent: true)
                + " A smaller gap only means regularization if test accuracy does not suffer for it.",
        ]
        return p.result(for: Self.self,
            metric: "train − test accuracy gap, both in eval mode (lower is better)",
            higherIsBetter: false, margin: 0.01, marginText: "1 percentage point", main: main,
            figures: [Figure("test_accuracy_plain", test.baseline.mean), Figure("test_accuracy_bn", test.treatment.mean),
                      Figure("test_accuracy_holds", test.verdict == .holds ? 1 : 0)],
            findings: findings, grid: grid)
    }
}
