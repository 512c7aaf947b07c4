/// experiment("conv"): BatchNorm where it was born. On the digits images, conv nets with
/// BatchNorm2d, with GroupNorm and with no norm, and the better of two MLPs (no norm and
/// BatchNorm, two hidden layers of 64), each arm at its own tuned rate on paired seeds.
/// The main comparison is the BatchNorm conv net against the best MLP; the conv arms are also
/// compared with each other (the record's `settings`).
enum ConvNetComparison: Experiment {
    static let claim = "Batch Normalization was designed for convolutional networks: BatchNorm2d, with statistics per "
        + "channel over N·H·W values, makes a conv net better than the best MLP on images."
    static let summary = "conv nets on the digits images: BatchNorm2d vs GroupNorm vs no norm, and the best MLP"
    static let preferredData: String? = "digits"
    /// A narrower grid than the other experiments' 0.001–0.3, so that the experiment runs in a lesson
    /// in seconds: the conv arms are the slow ones. Every arm of a pilot run over the full grid
    /// chose 0.03, the middle of this one.
    static let rates = [0.01, 0.03, 0.1]
    static let channels = [1, 8, 16]

    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult {
        guard let shape = p.data.imageShape, shape.count == 3, shape[1] == shape[2] else {
            throw .invalidArgument("the conv experiment needs square images: run it on the digits, experiment(\"conv\", data: \"digits\")")
        }
        let norms: [(name: String, kind: NormKind)] = [("conv, no norm", .none), ("conv, GroupNorm", .group), ("conv, BatchNorm", .batch)]
        let conv = try p.train(arms: norms.count, rates: norms.map { _ in rates }) { arm, rate, seed, split throws(TensorError) in
            var generator = p.initialization(seed)
            let net = try ConvNet(channels: [shape[0]] + channels.dropFirst(), classes: p.data.classes, imageSize: shape[1],
                                  norm: norms[arm].kind, groups: 4, using: &generator)
            return try p.fit(net, rate: rate, seed: seed, split: split, epochs: nil)
        }
        let mlpSpecs = [ArmSpec(name: "MLP, no norm", norm: .none), ArmSpec(name: "MLP, BatchNorm", norm: .batch)]
        let mlp = try p.train(mlpSpecs, rates: [rates, rates])
        let convArms = norms.indices.map { p.arm(norms[$0].name, runsByRate: conv[$0], rates: rates, metric: p.testAccuracy) }
        // The best MLP is chosen as the rates are: by validation accuracy, never by the test set.
        let mlpScores = mlp.map { runs in
            let chosen = runs[ExperimentProtocol.bestRate(runs)]
            return mean(chosen.map(ExperimentProtocol.validationScore))
        }
        let best = mlpScores[1] > mlpScores[0] ? 1 : 0
        let bestMLP = p.arm(mlpSpecs[best].name, runsByRate: mlp[best], rates: rates, metric: p.testAccuracy)
        let main = Comparison(baseline: bestMLP, treatment: convArms[2], higherIsBetter: true, margin: 0.01)
        let rivals = [Comparison(setting: 1, baseline: convArms[0], treatment: convArms[2], higherIsBetter: true, margin: 0.01),
                      Comparison(setting: 2, baseline: convArms[1], treatment: convArms[2], higherIsBetter: true, margin: 0.01)]
        var findings = [Findings.versus(main, metric: "test accuracy", higherIsBetter: true, asPercent: true)]
        for rival in rivals {
            findings.append(Findings.versus(rival, metric: "Among conv nets, test accuracy", higherIsBetter: true, asPercent: true))
        }
        let other = p.arm(mlpSpecs[1 - best].name, runsByRate: mlp[1 - best], rates: rates, metric: p.testAccuracy)
        findings.append("The best MLP, chosen on the validation split, is \(bestMLP.name) (\(Findings.percent(bestMLP.mean)) on the "
            + "test set; \(other.name) \(Findings.percent(other.mean))). Rates chosen: "
            + (convArms + [bestMLP]).map { "\($0.name) \(Findings.number($0.learningRate))" }.joined(separator: ", ") + ".")
        findings.append("Parameters: conv nets \(try parameterCount(shape: shape, classes: p.data.classes)), "
            + "MLP \(mlpParameters(p.data.features, [64, 64], p.data.classes)).")
        return p.result(for: Self.self, metric: "test accuracy on the digits images", higherIsBetter: true, margin: 0.01,
                        marginText: "1 percentage point", main: main, settings: rivals,
                        figures: convArms.map { Figure("test_accuracy_" + shortName($0.name), $0.mean) }
                            + [Figure("test_accuracy_mlp", bestMLP.mean), Figure("mlp_has_batchnorm", Double(best))],
                        findings: findings, grid: rates)
    }

    private static func shortName(_ arm: String) -> String {
        arm.hasSuffix("BatchNorm") ? "batch" : arm.hasSuffix("GroupNorm") ? "group" : "none"
    }

    private static func parameterCount(shape: [Int], classes: Int) throws(TensorError) -> Int {
        var generator = SeededGenerator(seed: 0)
        return try ConvNet(channels: [shape[0]] + channels.dropFirst(), classes: classes, imageSize: shape[1], norm: .none,
                           using: &generator).parameterCount
    }

    private static func mlpParameters(_ inputs: Int, _ hidden: [Int], _ classes: Int) -> Int {
        let sizes = [inputs] + hidden + [classes]
        return zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }
}
