import BatchNormKit

/// What `fit` and `activations` need from a network beyond training it: how the header names it,
/// what to suggest when a data set does not fit, and each block's stages and activations.
protocol FitModel: TrainableModel {
    /// "2 → 64 → 3 with batchnorm before each relu".
    var trainingHeader: String { get }
    /// A builder call that would fit `data`, for the error when this net does not.
    func suggestion(for data: Dataset) -> String
    func activations(_ x: Tensor) throws(TensorError) -> [BlockActivations]
    /// Each block's activation output from the last forward pass (for `fit`'s histograms).
    var blockActivationOutputs: [Tensor?] { get }
    /// The name of a block's weight layer output in `activations` records.
    var weightOutputName: String { get }
}

extension MLP: FitModel {
    var trainingHeader: String { sizes.map(String.init).joined(separator: " → ") + " with " + normPlacement }
    func suggestion(for data: Dataset) -> String { "mlp([\(data.features), 64, \(data.classes)])" }
    var blockActivationOutputs: [Tensor?] { blocks.map(\.activationOutput) }
    var weightOutputName: String { "linear_output" }
}

extension ConvNet: FitModel {
    var trainingHeader: String { "cnn " + architecture + " with " + normPlacement }
    func suggestion(for data: Dataset) -> String {
        let shape = data.imageShape ?? [1, 8, 8]
        return "cnn([\(shape[0]), 8, 16], classes: \(data.classes), size: \(shape[1])) on images such as digits(images: true)"
    }
    var blockActivationOutputs: [Tensor?] { blocks.map(\.activationOutput) }
    var weightOutputName: String { "conv_output" }
}

extension Invocation {
    /// The network passed as `parameter`: an mlp or a cnn, or an error naming what was given.
    func network(_ parameter: Param<Value>) throws(LabError) -> any FitModel {
        switch self[parameter] {
        case .model(let m): return m
        case .module(let m as ConvNet): return m
        case let other:
            throw LabError(.type, "\(command.name) needs a model from mlp(…) or cnn(…), got \(other.typeName)", at: locationOf(parameter))
        }
    }
}
