/// Instance Normalization (Ulyanov et al. 2016): each sample's channel normalized over its own
/// positions (L, or H×W), as in style transfer. It is GroupNorm with one group per channel (as
/// tensorflow/swift-apis builds it), so it shares GroupNorm's forward and backward passes; only
/// its defaults and its input check differ. PyTorch's defaults: eps 1e-5, affine false, no
/// running statistics, so train and eval modes compute the same thing.
public final class InstanceNorm: NormalizationLayer {
    public let numFeatures: Int
    public let affine: Bool
    public var training = true
    private let groups: GroupNorm

    /// eps when none is given: PyTorch's.
    public static let defaultEps = 1e-5

    public init(numFeatures: Int, eps: Double = InstanceNorm.defaultEps, affine: Bool = false) throws(TensorError) {
        guard numFeatures >= 1 else { throw .invalidArgument("instancenorm needs at least 1 channel, got \(numFeatures)") }
        guard eps >= 0, eps.isFinite else { throw .invalidArgument("eps must be a finite number ≥ 0, got \(eps)") }
        self.numFeatures = numFeatures
        self.affine = affine
        groups = try GroupNorm(numGroups: numFeatures, numChannels: numFeatures, eps: eps, affine: affine)
    }

    public var layerName: String { "instancenorm(\(numFeatures))" }
    public var eps: Double {
        get { groups.eps }
        set { groups.eps = newValue }
    }
    public var isAffine: Bool { affine }
    public var gamma: Tensor { groups.gamma }
    public var beta: Tensor { groups.beta }
    public var settings: [LayerSetting] {
        [LayerSetting("num_features", .number(Double(numFeatures))), LayerSetting("affine", .bool(affine))]
    }
    public var summary: String { "statistics per sample and channel over positions (no running stats, PyTorch's default)" }

    public func setGamma(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this instancenorm has affine: false, so it has no gamma to set") }
        try groups.setGamma(value)
    }

    public func setBeta(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this instancenorm has affine: false, so it has no beta to set") }
        try groups.setBeta(value)
    }

    /// (N, C, L) or (N, C, H, W) with more than one position: one position would normalize to 0.
    private func checkInput(_ x: Tensor) throws(TensorError) {
        guard (3...4).contains(x.rank) else {
            throw .inputRank(layer: layerName, expected: "(N, C, L) or (N, C, H, W)", got: x.shape)
        }
        guard x.shape[1] == numFeatures else { throw .channelMismatch(layer: layerName, expected: numFeatures, got: x.shape) }
        guard x.spatialSize != 1 else { throw .oneSpatialElement(x.shape) }
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try checkInput(x)
        return try groups.forward(x)
    }

    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else { throw .gradientShape(x: x.shape, dy: dy.shape) }
        try checkInput(x)
        return try groups.backward(x, dy)
    }
}
