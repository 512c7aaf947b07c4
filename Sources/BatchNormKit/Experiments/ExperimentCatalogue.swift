/// One of the article's claims as a runnable experiment: its name, the sentence it tests, what it
/// trains, and the code that runs it.
public struct ExperimentDescription: Sendable {
    public let name: String
    /// The article's sentence (or the pitfall's statement) under test.
    public let claim: String
    /// What the experiment trains and measures, in one line.
    public let summary: String
    let body: @Sendable (ExperimentProtocol) throws(TensorError) -> ExperimentResult

    /// Runs the experiment under `context` (seeds side by side; Ctrl-C keeps finished seeds).
    public func run(_ context: ExperimentContext) throws(TensorError) -> ExperimentResult {
        try body(ExperimentProtocol(context: context))
    }
}

/// Every experiment, in the order the course meets them; the shell's `experiment` lists these.
public enum ExperimentCatalogue {
    public static let all: [ExperimentDescription] = [
        FasterTraining.description, LearningRateSweep.description, InitializationSweep.description,
        DepthSweep.description, BatchSizeSweep.description, InferenceGap.description,
        RegularizationGap.description, CovariateShift.description, NoiseInjection.description,
        LossSmoothness.description, FrozenFineTuning.description,
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> ExperimentDescription? { all.first { $0.name == name } }
}
