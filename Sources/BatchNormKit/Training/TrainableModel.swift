/// What `Trainer`, `SGD` and the experiments need from a classifier, so one training loop serves
/// the MLP and the conv net: the forward and backward passes, the mode, the learnable tensors,
/// and the few places where a model's own structure shows (its blocks' diagnostics and names).
public protocol TrainableModel: AnyObject {
    /// Training mode (BatchNorm uses batch statistics) or eval mode (running statistics), for every norm inside.
    var training: Bool { get set }
    /// True when SGD must leave every norm's γ and β alone.
    var normParametersFrozen: Bool { get }
    /// Values per sample the model takes (a data set's `features`) and logits it gives.
    var inputFeatures: Int { get }
    var outputFeatures: Int { get }
    /// Why a batch of one sample cannot train this model (a BatchNorm over one value per channel),
    /// nil when it can: the trainer refuses batch 1 with this sentence and drops a last batch of one.
    var batchOfOneError: String? { get }
    /// Logits for a batch, in the current mode; keeps what `backward` needs.
    func forward(_ x: Tensor) throws(TensorError) -> Tensor
    /// The forward pass; with `updatingRunningStatistics: false` no BatchNorm buffer changes.
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor
    /// Fills the gradient of every parameter from dOutput = ∂L/∂logits of the last forward pass.
    func backward(_ dOutput: Tensor) throws(TensorError)
    /// Every learnable tensor, in a fixed order.
    var parameterSlots: [ParameterSlot] { get }
    /// How many numbers training can change: weights, biases and norm γ/β (what `fold` reports shrinking).
    var parameterCount: Int { get }
    /// Every BatchNorm inside, first to last: what calibrating recomputes and folding bakes in.
    var batchNormLayers: [BatchNorm] { get }
    /// Each weight layer's W and its gradient from the last backward pass, the hidden blocks'
    /// first and the output layer last: what the update-to-data ratios are taken of.
    var weightLayers: [(weight: Tensor, gradient: Tensor?)] { get }
    /// Each hidden block's diagnostics from the last forward and backward pass (`inputShift` NaN).
    func diagnostics(learningRate: Double) -> [LayerDiagnostics]
    /// Each hidden block's input on a forward pass over `x` in training mode that changes no buffer.
    func blockInputs(probing x: Tensor) throws(TensorError) -> [Tensor?]
    /// Each hidden block's name and the tensors of its last forward pass that a divergence shows in first.
    var watchedTensors: [(block: String, tensors: [Tensor?])] { get }
    /// The output layer, as the trainer names it when the logits are the first to go wrong.
    var outputLayerName: String { get }
    /// Sets (or, for nil, clears) the per-channel noise after each norm for the next training
    /// step (`NormNoise`); `draw` gets the channel count of each norm, first to last.
    func injectNoise(_ draw: (Int) -> (scale: [Float], shift: [Float])?)
}
