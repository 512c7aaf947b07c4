/// experiment("rmsnorm"): does LayerNorm's mean subtraction pay for itself? RMSNorm (Zhang &
/// Sennrich 2019) divides each sample by its root mean square and subtracts nothing; the same
/// networks with LayerNorm and with RMSNorm, each tuned, on paired seeds.
enum RMSNormVersusLayerNorm: Experiment {
    static let claim = "Subtracting each sample's mean matters: LayerNorm trains a better network than RMSNorm, "
        + "which drops it (Zhang & Sennrich 2019 found the re-centring dispensable)."
    static let summary = "RMSNorm vs LayerNorm: the same network, each at its best rate (try data: \"digits\")"

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        let specs = [ArmSpec(name: "RMSNorm", norm: .rms), ArmSpec(name: "LayerNorm", norm: .layer)]
        let runs = try p.train(specs, rates: [grid, grid])
        let arms = specs.indices.map { p.arm(specs[$0].name, runsByRate: runs[$0], rates: grid, metric: p.testAccuracy) }
        let main = Comparison(baseline: arms[0], treatment: arms[1], higherIsBetter: true, margin: 0.01)
        let gap = zip(arms[1].values, arms[0].values).map { abs($0 - $1) }.max() ?? 0
        let findings = [
            Findings.versus(main, metric: "test accuracy", higherIsBetter: true, asPercent: true),
            "Rates chosen: RMSNorm \(Findings.number(arms[0].learningRate)), LayerNorm \(Findings.number(arms[1].learningRate)); "
                + "the largest gap in one seed is \(Findings.percent(gap)).",
        ]
        return p.result(for: Self.self, metric: "test accuracy", higherIsBetter: true, margin: 0.01,
                        marginText: "1 percentage point", main: main,
                        figures: [Figure("largest_seed_gap", gap)], findings: findings, grid: grid)
    }
}
