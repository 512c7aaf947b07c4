/// A small convolutional network for images: per stage conv 3×3 (padding 1) → norm → relu →
/// maxpool 2, then flatten → a linear head giving the logits. The model that shows BatchNorm
/// where it was born (BatchNorm2d after a convolution), next to GroupNorm and no norm.
///
/// `channels` [1, 8, 16] on 8×8 images means conv(1 → 8) at 8×8, pooled to 4×4, conv(8 → 16)
/// at 4×4, pooled to 2×2, then Linear(16·2·2 → classes). A fixed builder rather than a general
/// `sequential`: every conv net the course needs has this shape, and a fixed shape lets the net
/// name its blocks, check a data set against its input, and look like `mlp` to every command.
public final class ConvNet {
    public let channels: [Int]
    public let classes: Int
    /// The side of the square input images.
    public let imageSize: Int
    public let normKind: NormKind
    public let groups: Int
    public let blocks: [ConvBlock]
    /// The linear head, producing logits from the flattened last image.
    public let output: Linear
    public private(set) var normParametersFrozen = false

    /// Training or eval mode, set on every norm layer, like PyTorch's `model.train()` / `model.eval()`.
    public var training = true {
        didSet { for block in blocks { block.trainableNorm?.training = training } }
    }

    /// The head's input from the last forward pass: the flattened image, and its shape before flattening.
    var headInput: Tensor?
    var lastImageShape: [Int]?

    /// A fresh net. Each conv's W ~ normal(0, 1)·√2/√(C_in·9) (Kaiming, as `mlp` draws), b = 0;
    /// the head's W ~ normal(0, 1)/√fan_in; drawn layer by layer from `generator`.
    public convenience init(channels: [Int], classes: Int, imageSize: Int = 8, norm: NormKind = .batch, groups: Int = 2,
                            bias: Bool = true, using generator: inout SeededGenerator) throws(TensorError) {
        guard channels.count >= 2, channels.allSatisfy({ $0 >= 1 }) else {
            throw .invalidArgument("a conv net needs the input channels and at least one stage's channels, each ≥ 1, "
                + "e.g. [1, 8, 16]; got \(channels)")
        }
        guard classes >= 1 else { throw .invalidArgument("a conv net needs at least 1 class, got \(classes)") }
        guard [.none, .batch, .group].contains(norm) else {
            throw .invalidArgument("a conv net's norm is \"batch\", \"group\" or \"none\", got \"\(norm.rawValue)\" "
                + "(LayerNorm over (C, H, W) is groupnorm with groups: 1)")
        }
        let stages = channels.count - 1
        var side = imageSize
        for _ in 0..<stages { side /= 2 }
        guard imageSize >= 1, side >= 1 else {
            throw .invalidArgument("\(stages) stages halve a \(imageSize)×\(imageSize) image \(stages) times, which leaves "
                + "nothing for the head; use at most \(Self.maxStages(imageSize)) stages or larger images")
        }
        var blocks: [ConvBlock] = []
        for (cIn, cOut) in zip(channels, channels.dropFirst()) {
            let std = Activation.relu.gain / Double(cIn * 9).squareRoot()
            let conv = try Conv2d(inChannels: cIn, outChannels: cOut, kernelSize: 3, padding: 1, bias: bias,
                                  weightStd: std, using: &generator)
            let layer = try norm.makeLayer(features: cOut, groups: groups)
            blocks.append(ConvBlock(conv: conv, normKind: norm, norm: layer, activation: .relu, pool: try Pool2d(.max, kernelSize: 2)))
        }
        let fanIn = channels[stages] * side * side
        let output = try Linear(inFeatures: fanIn, outFeatures: classes, weightStd: 1 / Double(fanIn).squareRoot(), using: &generator)
        self.init(channels: channels, classes: classes, imageSize: imageSize, norm: norm, groups: groups, blocks: blocks, output: output)
    }

    /// A net made of given blocks and head (the builder's, or folding's result).
    init(channels: [Int], classes: Int, imageSize: Int, norm: NormKind, groups: Int, blocks: [ConvBlock], output: Linear) {
        self.channels = channels
        self.classes = classes
        self.imageSize = imageSize
        self.normKind = norm
        self.groups = groups
        self.blocks = blocks
        self.output = output
    }

    private static func maxStages(_ size: Int) -> Int {
        var (side, stages) = (size, 0)
        while side >= 2 { side /= 2; stages += 1 }
        return stages
    }

    /// (C, H, W) of one input image.
    public var inputShape: [Int] { [channels[0], imageSize, imageSize] }

    /// "1 → 8 → 16 channels, 8×8 images, 10 classes": what a training header says.
    public var architecture: String {
        channels.map(String.init).joined(separator: " → ") + " channels on \(imageSize)×\(imageSize) images → \(classes) classes"
    }

    /// "batchnorm before each relu", "no norm".
    public var normPlacement: String {
        guard let name = normKind.shortName else { return "no norm" }
        return "\(name) before each relu"
    }

    /// One line per block, then flatten and the head.
    public var describe: String {
        (blocks.map(\.describe) + ["flatten · " + output.layerName]).joined(separator: "\n")
    }

    public var parameterCount: Int {
        blocks.reduce(output.parameterCount) { total, block in
            total + block.conv.parameterCount + (block.trainableNorm.map { ($0.isAffine ? 2 : 0) * $0.gamma.count } ?? 0)
        }
    }

    public func freezeNormParameters(_ frozen: Bool) { normParametersFrozen = frozen }

    // MARK: - Forward and backward

    /// The input as (N, C, H, W): images as they are, or rows of C·H·W values (a data set's x) viewed as images.
    func images(_ x: Tensor) throws(TensorError) -> Tensor {
        let (c, h, w) = (inputShape[0], inputShape[1], inputShape[2])
        if x.rank == 4, Array(x.shape[1...]) == inputShape { return x }
        if x.rank == 2, x.shape[1] == c * h * w { return try x.reshaped([x.shape[0], c, h, w]) }
        throw .invalidArgument("this conv net takes images of shape (N, \(c), \(h), \(w)) (or rows of \(c * h * w) values); "
            + "the input has shape \(x.shapeDescription)")
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor { try forward(x, updatingRunningStatistics: true) }

    public func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor {
        var h = try images(x)
        for block in blocks { h = try block.forward(h, updatingRunningStatistics: updatingRunningStatistics) }
        lastImageShape = h.shape
        let flat = try Flatten.forward(h)
        headInput = flat
        return try output.forward(flat)
    }

    /// Backpropagates dOutput = ∂L/∂logits: the head, the flatten (a reshape), then each block.
    public func backward(_ dOutput: Tensor) throws(TensorError) {
        guard let flat = headInput, let imageShape = lastImageShape else { throw .invalidArgument("backward needs a forward pass first") }
        let grads = try output.backward(flat, dOutput)
        output.weightGradient = grads.dweight
        output.biasGradient = grads.dbias
        guard let dFlat = grads.dx else { return }
        var d: Tensor? = try Flatten.backward(dFlat, inputShape: imageShape)
        for (index, block) in blocks.enumerated().reversed() {
            guard let dOut = d else { break }
            d = try block.backward(dOut, inputGradient: index > 0)
        }
    }

    /// Every block's stages on `x`, in the current mode, changing nothing (`MLP.activations` for conv nets).
    public func activations(_ x: Tensor) throws(TensorError) -> [BlockActivations] {
        var h = try images(x)
        var result: [BlockActivations] = []
        for block in blocks {
            let stages = try block.stages(h)
            result.append(stages)
            h = stages.output
        }
        return result
    }
}
