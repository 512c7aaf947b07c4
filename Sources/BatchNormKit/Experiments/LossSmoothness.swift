#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// experiment("smoothness"): Santurkar et al. (2018)'s alternative explanation: BatchNorm makes
/// the loss smoother, so a gradient step can be trusted further. After every epoch, on a fixed
/// batch of 256 training samples, the gradient is taken, a step of the arm's own learning rate is
/// taken along it, and the gradient is taken again: ‖g(w − lr·g) − g(w)‖ / ‖lr·g‖ is the
/// gradient's change per unit of step (the "effective β-smoothness"; lower is smoother).
enum LossSmoothness: Experiment {
    static let probeSize = 256

    static let claim = "Normalizing the inputs helps in maintaining a more consistent and stable gradient flow during "
        + "backpropagation. (Santurkar et al. 2018: because BN makes the loss landscape smoother.)"
    static let summary = "smoothness: how much the gradient changes along one training step, with and without BN"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let measure: (MLP, SeedSplit, Double) throws(TensorError) -> Double = { model, split, rate in
            try gradientChange(model, on: split.train, learningRate: rate)
        }
        let specs = [ArmSpec(name: "no norm", norm: .none, measureEachEpoch: measure),
                     ArmSpec(name: "BatchNorm", norm: .batch, measureEachEpoch: measure)]
        let runs = try p.train(specs, rates: [grid, grid])
        let metric: (RunOutcome) -> Double = { run in
            let finite = run.measurements.filter { $0.isFinite && $0 > 0 }
            return finite.isEmpty ? 3 : mean(finite.map { log10($0) })
        }
        let arms = (0..<2).map { p.arm(specs[$0].name, runsByRate: runs[$0], rates: grid, metric: metric) }
        let main = Comparison(baseline: arms[0], treatment: arms[1], higherIsBetter: false, margin: 0.1)
        let ratio = pow(10, arms[0].mean - arms[1].mean)
        var findings = [Findings.versus(main, metric: "log10 of the gradient's change per unit step", higherIsBetter: false, decimals: 2)]
        findings.append(ratio >= 1
            ? "Along a training step the gradient changes \(Findings.fixed(ratio, 1))× less per unit of distance with BatchNorm."
            : "Along a training step the gradient changes \(Findings.fixed(1 / ratio, 1))× more per unit of distance with BatchNorm.")
        return p.result(for: Self.self,
            metric: "log10 ‖g(w − lr·g) − g(w)‖ / ‖lr·g‖, mean over the epochs (lower is smoother)",
            higherIsBetter: false, margin: 0.1, marginText: "0.1 (a factor of 1.26)", main: main,
            figures: [Figure("ratio", ratio)],
            findings: findings, grid: grid)
    }

    /// The gradient's change per unit of step along one SGD step of `learningRate` (no momentum)
    /// on the first samples of `data`, in training mode; parameters, running statistics and mode
    /// are left as they were.
    static func gradientChange(_ model: MLP, on data: Dataset, learningRate: Double) throws(TensorError) -> Double {
        let (x, labels) = try data.batch(Array(0..<min(probeSize, data.count)))
        let slots = model.parameterSlots
        func gradient() throws(TensorError) -> [Float] {
            let logits = try model.forward(x, updatingRunningStatistics: false)
            try model.backward(try Loss.crossEntropy(logits: logits, labels: labels).gradient)
            return slots.flatMap { $0.gradient() ?? [] }
        }
        let saved = slots.map { $0.values() }
        let g0 = try gradient()
        for (slot, values) in zip(slots, saved) {
            guard let g = slot.gradient(), g.count == values.count else { continue }
            slot.write(zip(values, g).map { $0 - Float(learningRate) * $1 })
        }
        let g1 = try gradient()
        for (slot, values) in zip(slots, saved) { slot.write(values) }
        var change = 0.0, step = 0.0
        for (a, b) in zip(g0, g1) {
            change += Double(b - a) * Double(b - a)
            step += Double(a) * Double(a)
        }
        let distance = learningRate * step.squareRoot()
        return distance > 0 ? change.squareRoot() / distance : .nan
    }
}
