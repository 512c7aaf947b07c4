/// Root-mean-square normalization (Zhang & Sennrich 2019; LLaMA's norm): each sample divided by the
/// root mean square of its trailing axes, then scaled — no mean subtracted, no shift learned:
///     y = x / √(mean(x²) + eps) · γ
/// PyTorch 2.x's `nn.RMSNorm` semantics: eps defaults to float32's machine epsilon (`None` in
/// PyTorch means `torch.finfo(x.dtype).eps`), `elementwise_affine` gives a `weight` (γ) and no `bias`.
public final class RMSNorm: NormalizationLayer {
    /// `torch.finfo(torch.float32).eps`, PyTorch's default when eps is None.
    public static let defaultEps = Double(Float.ulpOfOne)

    public let normalizedShape: [Int]
    public var eps: Double
    public let elementwiseAffine: Bool
    /// RMSNorm behaves the same in both modes; the flag is kept so `train`/`eval` work on any layer.
    public var training = true
    private var parameters: AffineParameters

    public init(normalizedShape: [Int], eps: Double = RMSNorm.defaultEps, elementwiseAffine: Bool = true) throws(TensorError) {
        self.normalizedShape = try LayerArguments.trailingShape(normalizedShape, layer: "rmsnorm")
        self.eps = try LayerArguments.eps(eps)
        self.elementwiseAffine = elementwiseAffine
        parameters = try AffineParameters(shape: normalizedShape)
    }

    public var layerName: String { "rmsnorm(" + normalizedShape.map(String.init).joined(separator: ", ") + ")" }
    public var isAffine: Bool { elementwiseAffine }
    public var hasShift: Bool { false }
    public var gamma: Tensor { parameters.gamma }
    /// Always zeros: RMSNorm learns no shift.
    public var beta: Tensor { parameters.beta }
    public var settings: [LayerSetting] {
        [LayerSetting("normalized_shape", .sizes(normalizedShape)), LayerSetting("elementwise_affine", .bool(elementwiseAffine))]
    }
    public var summary: String {
        "divides each sample by the root mean square over its trailing axes \(Tensor.describe(shape: normalizedShape)); "
            + "no mean subtracted, a scale γ and no shift"
    }

    public func setGamma(_ value: Tensor) throws(TensorError) {
        guard elementwiseAffine else { throw .invalidArgument("this rmsnorm has elementwise_affine: false, so it has no gamma to set") }
        try parameters.setGamma(value)
    }

    public func setBeta(_ value: Tensor) throws(TensorError) {
        throw .invalidArgument("rmsnorm learns no shift β (PyTorch's RMSNorm has a weight and no bias)")
    }

    private func checkInput(_ x: Tensor) throws(TensorError) {
        guard x.rank >= normalizedShape.count, Array(x.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw .inputRank(layer: layerName, expected: "(…, " + normalizedShape.map(String.init).joined(separator: ", ") + ")",
                             got: x.shape)
        }
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try checkInput(x)
        let blockSize = normalizedShape.reduce(1, *)
        let meanSquares = BlockNormBackward.meanSquares(x, blockSize: blockSize)
        var y = [Float](repeating: 0, count: x.count)
        let g = elementwiseAffine ? gamma.scalars : nil
        x.scalars.withUnsafeBufferPointer { xs in
            for (block, ms) in meanSquares.enumerated() {
                let r = 1 / (ms + eps).squareRoot()
                for p in 0..<blockSize {
                    let i = block * blockSize + p
                    y[i] = Float(Double(xs[i]) * r * Double(g?[p] ?? 1))
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: y)
    }

    /// dx and dγ (see `BlockNormBackward`, the RMS form); dβ is reported as zeros-shaped sums of dy
    /// for symmetry with the other layers but RMSNorm has no β to update.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else { throw .gradientShape(x: x.shape, dy: dy.shape) }
        try checkInput(x)
        return BlockNormBackward.overTrailingAxes(x, dy, shape: normalizedShape, eps: eps, centred: false,
                                                  gamma: elementwiseAffine ? gamma.scalars : nil)
    }
}

extension RMSNorm: TrainableNorm {}
