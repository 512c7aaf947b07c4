/// One side of a comparison over paired seeds: what it was, the learning rate it ran at, and
/// the metric for each seed, with the curve it traced (for the plot).
public struct ArmResult: Sendable {
    /// e.g. "no norm", "BatchNorm", "LayerNorm".
    public let name: String
    /// The rate this arm ran at: the grid rate its validation score chose, or the sweep's setting.
    public let learningRate: Double
    /// The metric per seed, in seed order (the same order in every arm of the comparison).
    public let values: [Double]
    /// Per seed, the curve plotted for this arm: eval-mode training loss after each epoch.
    public let curves: [[Double]]
    /// The grid rates at which this arm trained (mean validation accuracy at least halfway from
    /// chance to 100 %); empty when the experiment did not tune.
    public let ratesThatTrain: [Double]

    public init(name: String, learningRate: Double, values: [Double], curves: [[Double]] = [], ratesThatTrain: [Double] = []) {
        self.name = name
        self.learningRate = learningRate
        self.values = values
        self.curves = curves
        self.ratesThatTrain = ratesThatTrain
    }

    public var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    public var min: Double { values.min() ?? .nan }
    public var max: Double { values.max() ?? .nan }
}

/// Two arms compared on paired seeds, and the verdict `VerdictRule` gives. `arms[0]` is the
/// baseline, `arms[1]` the arm the article's claim favours.
public struct Comparison: Sendable {
    /// The swept setting (a depth, a batch size, a rate), nil for an experiment's main comparison.
    public let setting: Double?
    public let arms: [ArmResult]
    public let verdict: Verdict
    public let treatmentWins: Int
    public let baselineWins: Int

    public init(setting: Double? = nil, baseline: ArmResult, treatment: ArmResult, higherIsBetter: Bool, margin: Double) {
        self.setting = setting
        self.arms = [baseline, treatment]
        let decision = VerdictRule.decide(baseline: baseline.values, treatment: treatment.values,
                                          higherIsBetter: higherIsBetter, margin: margin)
        self.verdict = decision.verdict
        self.treatmentWins = decision.treatmentWins
        self.baselineWins = decision.baselineWins
    }

    public var baseline: ArmResult { arms[0] }
    public var treatment: ArmResult { arms[1] }
}

/// A named number an experiment measured besides its metric (a noise level, a second data set's
/// accuracy), which the shell shows and a lesson can `check`.
public struct Figure: Sendable {
    public let name: String
    public let value: Double
    public init(_ name: String, _ value: Double) {
        self.name = name
        self.value = value
    }
}

/// Everything an experiment found: the claim it tests, how it measured, the verdict and the
/// figures behind it, and sentences chosen by those figures. The shell renders it and hands it
/// to the learner as a record; nothing in it is written before the run.
public struct ExperimentResult: Sendable {
    /// The experiment's name, e.g. "depth".
    public let name: String
    /// The article's sentence under test.
    public let claim: String
    /// The metric's name, e.g. "test accuracy".
    public let metric: String
    public let higherIsBetter: Bool
    /// The smallest mean difference, in the metric's units, that counts.
    public let margin: Double
    /// How the margin reads, e.g. "1 percentage point".
    public let marginText: String
    /// The comparison the verdict is about.
    public let main: Comparison
    /// For a sweep, one comparison per setting, in the sweep's order.
    public let settings: [Comparison]
    /// What the sweep's setting is, e.g. "hidden layers"; nil without a sweep.
    public let settingName: String?
    /// Other measurements, by name.
    public let figures: [Figure]
    /// Sentences about the result, each chosen by the figures.
    public let findings: [String]
    /// Seeds asked for, and seeds completed (fewer after Ctrl-C).
    public let requestedSeeds: Int
    public let seeds: Int
    /// The learning-rate grid each arm was tuned on (empty when the experiment fixes the rate).
    public let grid: [Double]
    public let epochs: Int
    public let dataName: String
    /// What picked each arm's rate on the validation split.
    public let tuning: String

    public init(name: String, claim: String, metric: String, higherIsBetter: Bool, margin: Double, marginText: String,
                main: Comparison, settings: [Comparison] = [], settingName: String? = nil, figures: [Figure] = [],
                findings: [String] = [], requestedSeeds: Int, grid: [Double], epochs: Int, dataName: String,
                tuning: String = "its mean validation accuracy") {
        self.name = name
        self.claim = claim
        self.metric = metric
        self.higherIsBetter = higherIsBetter
        self.margin = margin
        self.marginText = marginText
        self.main = main
        self.settings = settings
        self.settingName = settingName
        self.figures = figures
        self.findings = findings
        self.requestedSeeds = requestedSeeds
        self.seeds = main.baseline.values.count
        self.grid = grid
        self.epochs = epochs
        self.dataName = dataName
        self.tuning = tuning
    }

    public var verdict: Verdict { main.verdict }
    /// True when the metric is a fraction best shown as a percentage (accuracies and their gaps).
    public var isPercentage: Bool { marginText.hasSuffix("percentage point") }
    /// Which arms' curves are plotted, and under what name: the arms' own, or the setting's
    /// that the main comparison is read at.
    public var curveNote: String {
        switch name {
        case "lr": "each at its best rate"
        case "init": "at scale 1 (Kaiming)"
        case "batch": "at the smallest batch"
        case "depth": "at the greatest depth"
        default: "at the chosen rate"
        }
    }
    public var arms: [ArmResult] { main.arms }
    /// True when Ctrl-C stopped the run: the verdict covers only the completed seeds.
    public var interrupted: Bool { seeds < requestedSeeds }

    /// The verdict rule in words, with this experiment's seeds, margin and arms.
    public var rule: String {
        VerdictRule.describe(seeds: seeds, margin: marginText, treatment: main.treatment.name, baseline: main.baseline.name)
    }

    public func figure(_ name: String) -> Double? { figures.first { $0.name == name }?.value }
}
