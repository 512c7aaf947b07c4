/// Group Normalization (Wu & He 2018): each sample's channels split into G groups, each group
/// normalized over its channels and positions. Independent of the batch, so it works at batch size 1.
/// G = 1 is LayerNorm over (C, …) with a per-channel γ; G = C is InstanceNorm.
/// PyTorch's defaults: eps 1e-5, affine (per-channel γ ones, β zeros).
public final class GroupNorm: NormalizationLayer {
    public let numGroups: Int
    public let numChannels: Int
    public var eps: Double
    public let affine: Bool
    public var training = true
    private var parameters: AffineParameters
    public var gamma: Tensor { parameters.gamma }
    public var beta: Tensor { parameters.beta }

    /// eps when none is given: PyTorch's.
    public static let defaultEps = 1e-5

    public init(numGroups: Int, numChannels: Int, eps: Double = GroupNorm.defaultEps, affine: Bool = true) throws(TensorError) {
        guard numGroups >= 1, numChannels >= 1 else {
            throw .invalidArgument("groupnorm needs at least 1 group and 1 channel, got groupnorm(\(numGroups), \(numChannels))")
        }
        guard numChannels % numGroups == 0 else { throw .groupsDoNotDivide(channels: numChannels, groups: numGroups) }
        guard eps >= 0, eps.isFinite else { throw .invalidArgument("eps must be a finite number ≥ 0, got \(eps)") }
        self.numGroups = numGroups
        self.numChannels = numChannels
        self.eps = eps
        self.affine = affine
        parameters = try AffineParameters(shape: [numChannels])
    }

    public var layerName: String { "groupnorm(\(numGroups), \(numChannels))" }

    public func setGamma(_ value: Tensor) throws(TensorError) { try parameters.setGamma(value) }
    public func setBeta(_ value: Tensor) throws(TensorError) { try parameters.setBeta(value) }

    public var isAffine: Bool { affine }
    public var settings: [LayerSetting] {
        [LayerSetting("num_groups", .number(Double(numGroups))), LayerSetting("num_channels", .number(Double(numChannels))),
         LayerSetting("affine", .bool(affine))]
    }
    public var summary: String {
        "\(numGroups) group\(numGroups == 1 ? "" : "s") of \(numChannels / numGroups) channel\(numChannels / numGroups == 1 ? "" : "s"), "
            + "statistics per sample and group (no running stats)"
    }

    func checkInput(_ x: Tensor) throws(TensorError) {
        guard (2...4).contains(x.rank) else {
            throw .inputRank(layer: layerName, expected: "(N, C), (N, C, L) or (N, C, H, W)", got: x.shape)
        }
        guard x.shape[1] == numChannels else { throw .channelMismatch(layer: layerName, expected: numChannels, got: x.shape) }
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try checkInput(x)
        let blockSize = numChannels / numGroups * x.spatialSize
        let moments = Moments.perBlock(of: x, blockSize: blockSize)
        let kernel = NormalizeKernel(statistic: .block(size: blockSize), mean: moments.mean,
                                     variance: moments.variance, eps: eps)
        return kernel.apply(x, affine: affine ? .channel(gamma: gamma.scalars, beta: beta.scalars) : .none)
    }
}
