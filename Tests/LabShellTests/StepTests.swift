import BatchNormKit
@testable import LabShell
import Testing

/// `step` shows the engine's own numbers (and so PyTorch's): each formula line is checked
/// against the engine at 6 decimals, and quitting early leaves the layer untouched.
@Suite struct StepTests {
    func fixed(_ v: Float) -> String { NumberFormat.fixed(Double(v), decimals: 6) }
    func fixed(_ v: Double) -> String { NumberFormat.fixed(v, decimals: 6) }

    @Test func formulasCarryTheEnginesValues() throws {
        let session = SessionHarness()
        #expect(session.run("seed(7); x = randn(64, 8) * 3 + 5; bn = batchnorm(8); bn.gamma = [1, 2, 3, 4, 5, 6, 7, 8]; "
                            + "bn.beta = 0.5; precision(6); step(bn, x, at: [3, 2])"), "\(session.text)")
        let text = session.text
        var rng = SeededGenerator(seed: 7)
        let x = try Tensor.randn([64, 8], using: &rng).combined(with: 3, .multiply).combined(with: 5, .add)
        let bn = try BatchNorm(numFeatures: 8)
        try bn.setGamma(Tensor(vector: [1, 2, 3, 4, 5, 6, 7, 8]))
        try bn.setBeta(Tensor(vector: [Float](repeating: 0.5, count: 8)))
        let s = try bn.forwardStages(x)
        let i = 3 * 8 + 2
        #expect(text.contains("x[3, 2] is in channel 2: μ = \(fixed(s.mean[2]))"))
        #expect(text.contains("x[3, 2]: σ² = \(fixed(s.variance[2]))"))
        #expect(text.contains("x̂ = (\(fixed(x.scalars[i])) − \(fixed(s.mean[2]))) / √(\(fixed(s.variance[2])) + 1e-05) = \(fixed(s.normalized.scalars[i]))"))
        #expect(text.contains("γ·x̂ = 3.000000 × \(fixed(s.normalized.scalars[i])) = \(fixed(s.scaled.scalars[i]))"))
        #expect(text.contains("y = \(fixed(s.scaled.scalars[i])) + 0.500000 = \(fixed(s.output.scalars[i]))"))
        let u = try #require(s.runningUpdate)
        #expect(text.contains("running_mean = 0.9 × 0.000000 + 0.1 × \(fixed(u.batchMean[2])) = \(fixed(u.meanAfter[2]))"))
        #expect(text.contains("running_var = 0.9 × 1.000000 + 0.1 × \(fixed(u.batchVariance[2])) = \(fixed(u.varianceAfter[2]))"))
        guard case .layer(let shell as BatchNorm)? = session.variable("bn") else { Issue.record("bn"); return }
        #expect(shell.runningMean == bn.runningMean && shell.runningVar == bn.runningVar && shell.numBatchesTracked == 1)
    }

    @Test func quittingEarlyLeavesTheLayerUntouched() {
        var asked = 0
        let session = SessionHarness(waitForContinue: { _ in
            asked += 1
            return asked < 2
        })
        #expect(session.run("bn = batchnorm(2); step(bn, randn(8, 2)); n = bn.num_batches_tracked"))
        #expect(asked == 2)
        #expect(session.number("n") == 0)
        #expect(session.text.contains("stopped before step 3: batchnorm(2) was not changed"))
        #expect(!session.text.contains("step 3/6"))
    }

    @Test func everyStageWithoutAnyoneToWaitFor() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(2); step(bn, randn(8, 2)); n = bn.num_batches_tracked"))
        #expect(session.number("n") == 1)
        for k in 1...6 { #expect(session.text.contains("step \(k)/6 · ")) }
    }
}
