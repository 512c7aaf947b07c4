/// experiment("ghost"): what per-device BatchNorm statistics cost. K replicas with per-device
/// batches of b train one network on batches of K·b; without SyncBatchNorm each replica
/// normalizes over its own b samples (ghost batches, Hoffer et al. 2017), with it over all K·b.
/// Both arms see the same batches of 64 and average the gradient over all 64; only the samples
/// BatchNorm's statistics come from differ. Swept over b = 2, 8 and 32, each arm tuned.
enum GhostBatches: Experiment {
    /// K·b, the batch every arm steps on.
    static let globalBatch = 64
    static let perDevice: [Double] = [2, 8, 32]

    static let claim = "With per-device batches of b, statistics all-reduced over the K·b samples of every replica "
        + "(SyncBatchNorm) train a better network than each device's own statistics over b."
    static let summary = "many devices: BN over the whole batch of 64 (synced) vs over ghost batches of 2, 8, 32"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let batch = min(globalBatch, p.data.count / 4)
        let sizes = perDevice.filter { Int($0) < batch }
        let synced = ArmSpec(name: "synced", norm: .batch, batchSize: batch)
        let ghosts = sizes.map { ArmSpec(name: "per-device", norm: .batch, batchSize: batch, ghostBatch: Int($0)) }
        // The synced arm does not depend on b, so it trains once and faces every setting.
        let runs = try p.train([synced] + ghosts, rates: Array(repeating: grid, count: 1 + ghosts.count))
        let syncedArm = p.arm("synced", runsByRate: runs[0], rates: grid, metric: p.testAccuracy)
        let comparisons = sizes.indices.map { i in
            Comparison(setting: sizes[i],
                       baseline: p.arm("per-device", runsByRate: runs[1 + i], rates: grid, metric: p.testAccuracy),
                       treatment: syncedArm, higherIsBetter: true, margin: 0.01)
        }
        guard let main = comparisons.first else {
            throw .invalidArgument("experiment ghost needs at least \(4 * Int(perDevice[0] + 1)) samples, got \(p.data.count)")
        }
        var findings = [Findings.versus(main, metric: "test accuracy at b = \(Findings.number(main.setting ?? 0))",
                                        higherIsBetter: true, asPercent: true)]
        for c in comparisons {
            findings.append("b = \(Findings.number(c.setting ?? 0)) (K = \(batch / Int(c.setting ?? 1))): per-device "
                + "\(Findings.percent(c.baseline.mean)) (rate \(Findings.number(c.baseline.learningRate))), synced "
                + "\(Findings.percent(c.treatment.mean)) (rate \(Findings.number(c.treatment.learningRate))); synced better "
                + "by the rule: \(Findings.verdictPhrase(c.verdict)).")
        }
        return p.result(for: Self.self,
            metric: "test accuracy with per-device batches of b inside batches of \(batch)",
            higherIsBetter: true, margin: 0.01, marginText: "1 percentage point", main: main, settings: comparisons,
            settingName: "per-device batch", figures: [Figure("global_batch", Double(batch))], findings: findings, grid: grid)
    }
}
