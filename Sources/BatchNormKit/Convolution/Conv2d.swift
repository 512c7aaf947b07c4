/// A 2-D convolution over (N, C_in, H, W) images (PyTorch's `nn.Conv2d` with groups 1 and
/// dilation 1): the layer in front of every BatchNorm2d, whose per-channel outputs over N·H·W
/// positions are what spatial batch normalization normalizes.
///
/// Computed by im2col: the batch's patches are unfolded into one matrix and multiplied by the
/// weights as one product (`Im2col`, `Matmul`). That reuses the one matrix kernel the Linear layer
/// already trusts (long, vectorized inner loops instead of 7 nested ones), makes the backward pass
/// two more products, and costs a patch buffer of C_in·k²·N·H_out·W_out values, checked against
/// the element cap before it is allocated. Every sum runs in a fixed order on one thread, so
/// results do not depend on the machine. A class, because a network shares and trains it in place.
public final class Conv2d {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    /// False for `bias: false` (PyTorch's `bias=False`): the layer adds nothing after the product.
    public let hasBias: Bool
    /// W, shape (C_out, C_in, k, k), as PyTorch stores it.
    public var weight: Tensor
    /// b, shape (C_out); zeros, never updated, without a bias.
    public var bias: Tensor
    /// ∂L/∂W and ∂L/∂b from the last backward pass through a network (nil before it).
    public internal(set) var weightGradient: Tensor?
    public internal(set) var biasGradient: Tensor?

    /// W ~ normal(0, 1)·`weightStd` drawn in storage order from `generator`, b = 0.
    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true,
                weightStd: Double, using generator: inout SeededGenerator) throws(TensorError) {
        let name = Self.name(inChannels, outChannels, kernelSize, stride, padding)
        guard inChannels >= 1, outChannels >= 1 else {
            throw .invalidArgument("\(name): a convolution needs at least 1 input and 1 output channel")
        }
        try ConvGeometry.checkSettings(layer: name, kernelSize: kernelSize, stride: stride, padding: padding)
        guard weightStd.isFinite, weightStd >= 0 else {
            throw .invalidArgument("the initial weight scale must be a finite number ≥ 0, got \(weightStd)")
        }
        let shape = [outChannels, inChannels, kernelSize, kernelSize]
        let count = try Tensor.checkedElementCount(shape)
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = Float(generator.nextNormal() * weightStd) }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        hasBias = bias
        weight = Tensor(uncheckedShape: shape, scalars: values)
        self.bias = Tensor(vector: [Float](repeating: 0, count: outChannels))
    }

    /// A layer with the given W (C_out, C_in, k, k) and b (C_out), as folding makes it.
    init(weight: Tensor, bias: Tensor, hasBias: Bool, stride: Int, padding: Int) {
        (outChannels, inChannels, kernelSize) = (weight.shape[0], weight.shape[1], weight.shape[2])
        self.stride = stride
        self.padding = padding
        self.hasBias = hasBias
        self.weight = weight
        self.bias = bias
    }

    /// "conv2d(1 → 8, 3×3, padding 1)": the settings that differ from PyTorch's defaults are named.
    public var layerName: String { Self.name(inChannels, outChannels, kernelSize, stride, padding) + (hasBias ? "" : ", no bias") }

    private static func name(_ cIn: Int, _ cOut: Int, _ k: Int, _ stride: Int, _ padding: Int) -> String {
        "conv2d(\(cIn) → \(cOut), \(k)×\(k)" + (stride != 1 ? ", stride \(stride)" : "") + (padding != 0 ? ", padding \(padding)" : "") + ")"
    }

    /// C_out·C_in·k² weights, plus C_out biases when the layer has them.
    public var parameterCount: Int { weight.count + (hasBias ? outChannels : 0) }

    /// The output shape for an input shape, or the error that input would raise.
    public func outputShape(for inputShape: [Int]) throws(TensorError) -> [Int] {
        let g = try geometry(inputShape)
        return [g.batch, outChannels, g.outHeight, g.outWidth]
    }

    private func geometry(_ shape: [Int]) throws(TensorError) -> ConvGeometry {
        guard weight.shape == [outChannels, inChannels, kernelSize, kernelSize] else {
            throw .parameterShape(name: "weight of \(layerName)", expected: [outChannels, inChannels, kernelSize, kernelSize], got: weight.shape)
        }
        guard bias.shape == [outChannels] else {
            throw .parameterShape(name: "bias of \(layerName)", expected: [outChannels], got: bias.shape)
        }
        return try ConvGeometry(input: shape, channels: inChannels, kernelSize: kernelSize, stride: stride, padding: padding, layer: layerName)
    }

    /// The whole batch's patches (C_in·k², N·H_out·W_out), checked against the cap before they exist.
    private func patches(_ x: Tensor, _ unfold: Im2col) throws(TensorError) -> [Float] {
        var cols = [Float](repeating: 0, count: try Tensor.checkedElementCount([unfold.rows, unfold.columns]))
        x.scalars.withUnsafeBufferPointer { xs in
            cols.withUnsafeMutableBufferPointer { cols in
                for n in 0..<unfold.geometry.batch { unfold.unfold(xs, sample: n, into: cols) }
            }
        }
        return cols
    }

    /// (N, C, P) ↔ (C, N·P): the sample-major layout of tensors and the channel-major layout of the products.
    private static func swapLeadingAxes(_ values: [Float], _ a: Int, _ b: Int, inner: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { result in
                for i in 0..<a {
                    for j in 0..<b {
                        let from = (i * b + j) * inner, to = (j * a + i) * inner
                        for p in 0..<inner { result[to + p] = values[from + p] }
                    }
                }
            }
        }
        return result
    }

    /// y[n, o] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oh·s − p + i, ow·s − p + j]:
    /// (N, C_in, H, W) → (N, C_out, H_out, W_out), one product W · cols for the whole batch.
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        let g = try geometry(x.shape)
        let unfold = Im2col(geometry: g)
        let outShape = [g.batch, outChannels, g.outHeight, g.outWidth]
        let outCount = try Tensor.checkedElementCount(outShape)
        let cols = try patches(x, unfold)
        var product = [Float](repeating: 0, count: outCount)
        if hasBias {
            for o in 0..<outChannels { for q in 0..<unfold.columns { product[o * unfold.columns + q] = bias.scalars[o] } }
        }
        Matmul.multiplyAdd(weight.scalars, cols, m: outChannels, k: unfold.rows, n: unfold.columns, into: &product)
        return Tensor(uncheckedShape: outShape, scalars: Self.swapLeadingAxes(product, outChannels, g.batch, inner: unfold.positions))
    }

    /// The gradients of one backward pass through a convolution.
    public struct Gradients: Sendable {
        /// ∂L/∂x, the input's shape; nil when not asked for (a first layer's input is data).
        public let dx: Tensor?
        /// ∂L/∂W, (C_out, C_in, k, k).
        public let dweight: Tensor
        /// ∂L/∂b, (C_out); nil for a layer without a bias.
        public let dbias: Tensor?
    }

    /// Backward of the forward pass on `x` for dy = ∂L/∂y, per sample n (cols = the patches of x_n):
    /// with dY = dy as (C_out, N·P) and cols = the batch's patches:
    ///     dW = dY · colsᵀ      db = Σ_columns dY      dx = fold(Wᵀ · dY)
    public func backward(_ x: Tensor, _ dy: Tensor, inputGradient: Bool = true) throws(TensorError) -> Gradients {
        let g = try geometry(x.shape)
        let unfold = Im2col(geometry: g)
        let outShape = [g.batch, outChannels, g.outHeight, g.outWidth]
        guard dy.shape == outShape else {
            throw .invalidArgument("dy of \(layerName) must have the output's shape \(Tensor.describe(shape: outShape)), got \(dy.shapeDescription)")
        }
        let cols = try patches(x, unfold)
        let dProduct = Self.swapLeadingAxes(dy.scalars, g.batch, outChannels, inner: unfold.positions)
        var dbias = [Float](repeating: 0, count: outChannels)
        for o in 0..<outChannels {
            var sum: Float = 0
            for q in 0..<unfold.columns { sum += dProduct[o * unfold.columns + q] }
            dbias[o] = sum
        }
        var dweight = [Float](repeating: 0, count: weight.count)
        Matmul.multiplyAdd(dProduct, Matmul.transpose(cols, rows: unfold.rows, columns: unfold.columns),
                           m: outChannels, k: unfold.columns, n: unfold.rows, into: &dweight)
        var dx: [Float] = []
        if inputGradient {
            var dcols = [Float](repeating: 0, count: cols.count)
            let weightT = Matmul.transpose(weight.scalars, rows: outChannels, columns: unfold.rows)
            Matmul.multiplyAdd(weightT, dProduct, m: unfold.rows, k: outChannels, n: unfold.columns, into: &dcols)
            dx = [Float](repeating: 0, count: x.count)
            dcols.withUnsafeBufferPointer { d in
                dx.withUnsafeMutableBufferPointer { dx in for n in 0..<g.batch { unfold.fold(d, sample: n, into: dx) } }
            }
        }
        return Gradients(dx: inputGradient ? Tensor(uncheckedShape: x.shape, scalars: dx) : nil,
                         dweight: Tensor(uncheckedShape: weight.shape, scalars: dweight),
                         dbias: hasBias ? Tensor(vector: dbias) : nil)
    }
}
