/// experiment("noise"): Santurkar et al. (2018)'s test of the covariate-shift story. After every
/// BatchNorm layer a random per-channel scale and shift, drawn afresh at every step, makes each
/// layer's input distribution move all the time. If reducing that shift were how BatchNorm helps,
/// the noisy network should lose BatchNorm's advantage.
enum NoiseInjection: Experiment {
    static let claim = "By reducing the internal covariate shift, Batch Normalization helps in stabilizing the training process. "
        + "(If so, shift injected after every BN layer should undo BN's benefit.)"
    static let summary = "noisy BatchNorm: random shift and scale injected after every BN layer at every step, against clean BN and no norm"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let specs = [ArmSpec(name: "noisy BatchNorm", norm: .batch, noise: NormNoise(), measureInputShift: true),
                     ArmSpec(name: "BatchNorm", norm: .batch, measureInputShift: true), ArmSpec(name: "no norm", norm: .none)]
        let runs = try p.train(specs, rates: [grid, grid, grid])
        let arms = specs.indices.map { p.arm(specs[$0].name, runsByRate: runs[$0], rates: grid, metric: p.testAccuracy) }
        // The claim "shift reduction is why BN helps" favours clean BN over noisy BN.
        let main = Comparison(baseline: arms[0], treatment: arms[1], higherIsBetter: true, margin: 0.01)
        let versusPlain = Comparison(baseline: arms[2], treatment: arms[0], higherIsBetter: true, margin: 0.01)
        let shifts = (0..<2).map { arm in mean(runs[arm][ExperimentProtocol.bestRate(runs[arm])].map(CovariateShift.totalShift)) }
        var findings = [Findings.versus(main, metric: "test accuracy", higherIsBetter: true, asPercent: true)]
        findings.append(Findings.versus(versusPlain, metric: "noisy BatchNorm against no norm", higherIsBetter: true, asPercent: true))
        findings.append("The noise: after every BN layer, at every step, channel c is multiplied by a draw from "
            + "U(0.5, 1.5) and shifted by a draw from U(−1, 1). It makes the layers' inputs move: summed input shift \(Findings.fixed(shifts[0], 2)) with noise, "
            + "\(Findings.fixed(shifts[1], 2)) without.")
        if main.verdict != .holds && versusPlain.verdict != .doesNotHold {
            findings.append("Injected shift does not take away what BatchNorm gives: the covariate-shift explanation does not "
                + "account for it, as Santurkar et al. (2018) found.")
        } else if main.verdict == .holds {
            findings.append("Here the injected shift does cost accuracy, so on this data the shift is not harmless.")
        }
        return p.result(for: Self.self,
            metric: "test accuracy", higherIsBetter: true, margin: 0.01,
            marginText: "1 percentage point", main: main,
            figures: [Figure("plain", arms[2].mean), Figure("plain_rate", arms[2].learningRate),
                      Figure("noisy_beats_plain", versusPlain.verdict == .holds ? 1 : 0),
                      Figure("shift_noisy", shifts[0]), Figure("shift_clean", shifts[1])],
            findings: findings, grid: grid)
    }
}
