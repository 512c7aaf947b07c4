/// Instance Normalization (Ulyanov et al. 2016): each sample's channel normalized over its own
/// positions (L, or H×W), as in style transfer. PyTorch's defaults: eps 1e-5, affine false,
/// no running statistics, so train and eval modes compute the same thing.
public final class InstanceNorm: NormalizationLayer {
    public let numFeatures: Int
    public var eps: Double
    public let affine: Bool
    public var training = true
    private var parameters: AffineParameters
    public var gamma: Tensor { parameters.gamma }
    public var beta: Tensor { parameters.beta }

    public init(numFeatures: Int, eps: Double = 1e-5, affine: Bool = false) throws(TensorError) {
        guard numFeatures >= 1 else { throw .invalidArgument("instancenorm needs at least 1 channel, got \(numFeatures)") }
        guard eps >= 0, eps.isFinite else { throw .invalidArgument("eps must be a finite number ≥ 0, got \(eps)") }
        self.numFeatures = numFeatures
        self.eps = eps
        self.affine = affine
        parameters = try AffineParameters(shape: [numFeatures])
    }

    public var layerName: String { "instancenorm(\(numFeatures))" }

    public func setGamma(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this instancenorm has affine: false, so it has no gamma to set") }
        try parameters.setGamma(value)
    }

    public func setBeta(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this instancenorm has affine: false, so it has no beta to set") }
        try parameters.setBeta(value)
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        guard (3...4).contains(x.rank) else {
            throw .inputRank(layer: layerName, expected: "(N, C, L) or (N, C, H, W)", got: x.shape)
        }
        guard x.shape[1] == numFeatures else { throw .channelMismatch(layer: layerName, expected: numFeatures, got: x.shape) }
        guard x.spatialSize != 1 else { throw .oneSpatialElement(x.shape) }
        let moments = Moments.perBlock(of: x, blockSize: x.spatialSize)
        let kernel = NormalizeKernel(statistic: .block(size: x.spatialSize), mean: moments.mean,
                                     variance: moments.variance, eps: eps)
        return kernel.apply(x, affine: affine ? .channel(gamma: gamma.scalars, beta: beta.scalars) : .none)
    }
}
