/// Layer Normalization (Ba, Kiros & Hinton 2016): each sample normalized over its trailing axes,
/// with no dependence on the batch, which is why sequence models use it instead of BatchNorm.
/// PyTorch's defaults: eps 1e-5, an elementwise γ (ones) and β (zeros) of `normalizedShape`.
public final class LayerNorm: NormalizationLayer {
    public let normalizedShape: [Int]
    public var eps: Double
    public let elementwiseAffine: Bool
    /// LayerNorm behaves the same in both modes; the flag is kept so `train`/`eval` work on any layer.
    public var training = true
    private var parameters: AffineParameters
    public var gamma: Tensor { parameters.gamma }
    public var beta: Tensor { parameters.beta }

    /// eps when none is given: PyTorch's.
    public static let defaultEps = 1e-5

    public init(normalizedShape: [Int], eps: Double = LayerNorm.defaultEps, elementwiseAffine: Bool = true) throws(TensorError) {
        self.normalizedShape = try LayerArguments.trailingShape(normalizedShape, layer: "layernorm")
        self.eps = try LayerArguments.eps(eps)
        self.elementwiseAffine = elementwiseAffine
        parameters = try AffineParameters(shape: normalizedShape)
    }

    public var layerName: String {
        "layernorm(" + normalizedShape.map(String.init).joined(separator: ", ") + ")"
    }

    public func setGamma(_ value: Tensor) throws(TensorError) { try parameters.setGamma(value) }
    public func setBeta(_ value: Tensor) throws(TensorError) { try parameters.setBeta(value) }

    public var isAffine: Bool { elementwiseAffine }
    public var settings: [LayerSetting] {
        [LayerSetting("normalized_shape", .sizes(normalizedShape)), LayerSetting("elementwise_affine", .bool(elementwiseAffine))]
    }
    public var summary: String {
        "normalizes each sample over its trailing axes \(Tensor.describe(shape: normalizedShape)) (the same in training and eval mode)"
    }

    func checkInput(_ x: Tensor) throws(TensorError) {
        guard x.rank >= normalizedShape.count, Array(x.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw .inputRank(layer: layerName,
                             expected: "(…, " + normalizedShape.map(String.init).joined(separator: ", ") + ")",
                             got: x.shape)
        }
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try checkInput(x)
        let blockSize = normalizedShape.reduce(1, *)
        let moments = Moments.perBlock(of: x, blockSize: blockSize)
        let kernel = NormalizeKernel(statistic: .block(size: blockSize), mean: moments.mean,
                                     variance: moments.variance, eps: eps)
        return kernel.apply(x, affine: elementwiseAffine ? .elementwise(gamma: gamma.scalars, beta: beta.scalars) : .none)
    }
}
