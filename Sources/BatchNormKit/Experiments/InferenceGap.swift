/// experiment("gap"): what the moving averages buy at inference. One tuned BatchNorm network per
/// seed predicts the test set with its running statistics (eval mode) and, as if eval() were
/// forgotten, with the statistics of each batch of 4 test samples; the same network trained with
/// momentum 0.001 shows stale running statistics.
enum InferenceGap: Experiment {
    static let forgottenBatch = 4

    static let claim = "During inference, the mean and variance used for normalization are typically estimated using a moving "
        + "average of the statistics calculated during training."
    static let summary = "inference: test accuracy with running statistics, stale ones, or the batch's own (forgotten eval())"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let stale: (MLP) -> Void = { model in
            for block in model.blocks { (block.norm as? BatchNorm)?.momentum = 0.001 }
        }
        let runs = try p.train([ArmSpec(name: "BatchNorm", norm: .batch), ArmSpec(name: "stale", norm: .batch, prepare: stale)],
                               rates: [grid, grid])
        let chosen = ExperimentProtocol.bestRate(runs[0])
        var forgotten: [Double] = [], whole: [Double] = []
        for run in runs[0][chosen] {
            run.model.training = true  // the forgotten eval(): predictions use each batch's own statistics
            forgotten.append(try ExperimentProtocol.accuracy(run.model, on: run.split.test, chunk: forgottenBatch))
            whole.append(try ExperimentProtocol.accuracy(run.model, on: run.split.test, chunk: run.split.test.count))
            run.model.training = false
        }
        let rate = grid[chosen]
        let running = p.arm("eval(): running statistics", runsByRate: runs[0], rates: grid, metric: p.testAccuracy)
        let batch = ArmResult(name: "forgot eval(): batches of \(forgottenBatch)", learningRate: rate, values: forgotten)
        let main = Comparison(baseline: batch, treatment: running, higherIsBetter: true, margin: 0.01)
        let staleValues = runs[1][chosen].map(p.testAccuracy)
        let staleComparison = Comparison(baseline: ArmResult(name: "stale (momentum 0.001)", learningRate: rate, values: staleValues),
                                         treatment: running, higherIsBetter: true, margin: 0.01)
        let wholeComparison = Comparison(baseline: ArmResult(name: "forgot eval(): the whole test set as one batch", learningRate: rate, values: whole),
                                         treatment: running, higherIsBetter: true, margin: 0.01)
        let findings = [
            Findings.versus(main, metric: "test accuracy", higherIsBetter: true, asPercent: true),
            Findings.versus(staleComparison, metric: "against stale running statistics", higherIsBetter: true, asPercent: true),
            Findings.versus(wholeComparison, metric: "against the statistics of the whole test set", higherIsBetter: true, asPercent: true)
                + (wholeComparison.verdict == .holds ? "" : " A large batch's own statistics come close to the running "
                    + "averages, which is why the forgotten eval() often goes unnoticed on big evaluation batches."),
        ]
        return p.result(for: Self.self,
            metric: "test accuracy", higherIsBetter: true, margin: 0.01,
            marginText: "1 percentage point", main: main,
            figures: [Figure("stale", mean(staleValues)), Figure("whole_batch", mean(whole)),
                      Figure("stale_verdict_holds", staleComparison.verdict == .holds ? 1 : 0),
                      Figure("whole_batch_verdict_holds", wholeComparison.verdict == .holds ? 1 : 0)],
            findings: findings, grid: grid)
    }
}
