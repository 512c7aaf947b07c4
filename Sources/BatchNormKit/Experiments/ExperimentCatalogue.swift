/// One of the article's claims as a runnable experiment: the sentence it tests, what it trains,
/// and the run itself, which follows `ExperimentProtocol`. A new experiment is one file with one
/// of these, and its name in `ExperimentCatalogue`.
protocol Experiment {
    /// The article's sentence (or the pitfall's statement) under test.
    static var claim: String { get }
    /// What the experiment trains and measures, in one line.
    static var summary: String { get }
    static func run(_ p: ExperimentProtocol) throws(TensorError) -> ExperimentResult
    /// The data set the experiment runs on when the learner names none (nil: the shell's default).
    static var preferredData: String? { get }
}

extension Experiment {
    static var preferredData: String? { nil }
}

/// An experiment as the shell sees it: its name, claim and summary, and a way to run it.
public struct ExperimentDescription {
    public let name: String
    public let claim: String
    public let summary: String
    /// The data set to use when the learner names none (nil: the shell's default).
    public let preferredData: String?
    let body: (ExperimentProtocol) throws(TensorError) -> ExperimentResult

    init(_ name: String, _ experiment: any Experiment.Type) {
        self.name = name
        claim = experiment.claim
        summary = experiment.summary
        preferredData = experiment.preferredData
        body = { p throws(TensorError) in try experiment.run(p) }
    }

    /// Runs the experiment under `context` (seeds side by side; Ctrl-C keeps finished seeds).
    public func run(_ context: ExperimentContext) throws(TensorError) -> ExperimentResult {
        try body(ExperimentProtocol(context: context))
    }
}

/// Every experiment, in the order the course meets them; the shell's `experiment` lists these.
public enum ExperimentCatalogue {
    /// What the learner types, and the experiment it runs.
    static var experiments: [(name: String, type: any Experiment.Type)] {
        [("bn", FasterTraining.self), ("lr", LearningRateSweep.self), ("init", InitializationSweep.self),
         ("depth", DepthSweep.self), ("batch", BatchSizeSweep.self), ("gap", InferenceGap.self),
         ("regularization", RegularizationGap.self), ("shift", CovariateShift.self), ("noise", NoiseInjection.self),
         ("smoothness", LossSmoothness.self), ("freeze", FrozenFineTuning.self),
         ("calibrate", Recalibration.self), ("ghost", GhostBatches.self), ("rmsnorm", RMSNormVersusLayerNorm.self),
         ("conv", ConvNetComparison.self)]
    }

    public static var all: [ExperimentDescription] { experiments.map { ExperimentDescription($0.name, $0.type) } }

    public static var names: [String] { experiments.map(\.name) }

    public static func named(_ name: String) -> ExperimentDescription? { all.first { $0.name == name } }

    /// The name `experiment` is run by.
    static func name(of experiment: any Experiment.Type) -> String {
        experiments.first { $0.type == experiment }?.name ?? "\(experiment)"
    }
}

extension Experiment {
    /// The learning rates every arm is tuned over.
    static var grid: [Double] { ExperimentProtocol.grid }
}
