/// What every normalization layer offers the shell and the trainer: its name, mode and eps, its
/// learnable γ and β, its settings as named values, a one-line description, and the forward and
/// backward passes. A new layer conforms here and nothing else in the kit has to know it.
public protocol NormalizationLayer: AnyObject {
    /// How the layer is written in the language, e.g. `batchnorm(8)`.
    var layerName: String { get }
    /// Training mode (batch statistics) vs eval mode (running statistics, where the layer has them).
    var training: Bool { get set }
    /// Added to the variance (or mean square) before the square root.
    var eps: Double { get set }
    /// Whether γ (and β, where the layer has one) take part in the forward pass.
    var isAffine: Bool { get }
    /// False for a layer that learns a scale only (RMSNorm, as in PyTorch: `weight`, no `bias`).
    var hasShift: Bool { get }
    /// γ (PyTorch's `weight`): ones when the layer is not affine.
    var gamma: Tensor { get }
    /// β (PyTorch's `bias`): zeros when the layer is not affine or has no shift.
    var beta: Tensor { get }
    func setGamma(_ value: Tensor) throws(TensorError)
    func setBeta(_ value: Tensor) throws(TensorError)
    /// The layer's fixed settings under PyTorch's names (`num_features`, `affine`, …).
    var settings: [LayerSetting] { get }
    /// What the layer computes, in one clause: "statistics per channel over the batch".
    var summary: String { get }
    func forward(_ x: Tensor) throws(TensorError) -> Tensor
    /// dx, dγ, dβ of L = Σ y·dy for the forward pass on `x` in the layer's current mode.
    func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients
    /// What in the layer's own state makes its outputs NaN for any input (see `NaNSource`);
    /// every layer gets the γ/β check, and a layer with more state adds its own.
    var nanSources: [NaNSource] { get }
}

extension NormalizationLayer {
    public var hasShift: Bool { true }
    /// γ and β together when the layer learns them, nil otherwise.
    public var affineParameters: (gamma: Tensor, beta: Tensor?)? {
        isAffine ? (gamma, hasShift ? beta : nil) : nil
    }
}

/// One named setting of a layer, as help and the layer's printout show it.
public struct LayerSetting: Sendable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case bool(Bool)
        case text(String)
        case sizes([Int])
    }

    public let name: String
    public let value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}

/// The gradients a norm layer's backward pass returns: the input's and the parameters'.
public struct NormGradients: Sendable {
    public let dx: Tensor
    public let dgamma: Tensor
    public let dbeta: Tensor
}

/// The checks every layer's initializer makes, with one wording.
enum LayerArguments {
    /// 1 to 3 positive trailing sizes, for a layer that normalizes over them (`layernorm`, `rmsnorm`).
    static func trailingShape(_ shape: [Int], layer: String) throws(TensorError) -> [Int] {
        guard !shape.isEmpty, shape.count <= 3, shape.allSatisfy({ $0 >= 1 }) else {
            throw .invalidArgument("\(layer) needs 1 to 3 positive sizes (the trailing axes to normalize), got "
                + Tensor.describe(shape: shape))
        }
        return shape
    }

    static func eps(_ eps: Double) throws(TensorError) -> Double {
        guard eps >= 0, eps.isFinite else { throw .invalidArgument("eps must be a finite number ≥ 0, got \(eps)") }
        return eps
    }
}
