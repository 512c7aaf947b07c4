/// A fully connected layer, y = x·Wᵀ + b (PyTorch's `nn.Linear`): the learnable part of every
/// block of an `MLP`, whose output distribution is what BatchNorm normalizes.
public final class Linear {
    public let inFeatures: Int
    public let outFeatures: Int
    /// W, shape (out, in), as PyTorch stores it.
    public var weight: Tensor
    /// b, shape (out); zeros that never learn when `hasBias` is false.
    public var bias: Tensor
    /// False for PyTorch's `nn.Linear(in, out, bias=False)`: the layer computes x·Wᵀ only. Right
    /// before BatchNorm a bias is redundant, since the norm subtracts every channel's mean.
    public let hasBias: Bool
    /// ∂L/∂W from the last backward pass (nil before the first).
    public internal(set) var weightGradient: Tensor?
    /// ∂L/∂b from the last backward pass (nil before the first).
    public internal(set) var biasGradient: Tensor?

    /// W ~ normal(0, 1)·`weightStd` drawn row by row from `generator`, b = 0 (none when `bias` is false).
    public init(inFeatures: Int, outFeatures: Int, weightStd: Double, bias: Bool = true,
                using generator: inout SeededGenerator) throws(TensorError) {
        guard inFeatures >= 1, outFeatures >= 1 else {
            throw .invalidArgument("linear needs at least 1 input and 1 output feature, got linear(\(inFeatures) → \(outFeatures))")
        }
        guard weightStd.isFinite, weightStd >= 0 else {
            throw .invalidArgument("the initial weight scale must be a finite number ≥ 0, got \(weightStd)")
        }
        let count = try Tensor.checkedElementCount([outFeatures, inFeatures])
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count { values[i] = Float(generator.nextNormal() * weightStd) }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Tensor(uncheckedShape: [outFeatures, inFeatures], scalars: values)
        self.bias = Tensor(vector: [Float](repeating: 0, count: outFeatures))
        hasBias = bias
    }

    /// A layer with these exact parameters (W of shape (out, in), b of shape (out), zeros when
    /// `hasBias` is false).
    public init(weight: Tensor, bias: Tensor, hasBias: Bool = true) throws(TensorError) {
        guard weight.rank == 2, weight.shape[0] >= 1, weight.shape[1] >= 1 else {
            throw .invalidArgument("a linear weight must have shape (out, in), got \(weight.shapeDescription)")
        }
        guard bias.shape == [weight.shape[0]] else {
            throw .parameterShape(name: "bias", expected: [weight.shape[0]], got: bias.shape)
        }
        inFeatures = weight.shape[1]
        outFeatures = weight.shape[0]
        self.weight = weight
        self.bias = bias
        self.hasBias = hasBias
    }

    public var layerName: String { "linear(\(inFeatures) → \(outFeatures)\(hasBias ? "" : ", no bias"))" }

    /// out·in weights plus out biases (none without a bias).
    public var parameterCount: Int { outFeatures * inFeatures + (hasBias ? outFeatures : 0) }

    private func checkParameters() throws(TensorError) {
        guard weight.shape == [outFeatures, inFeatures] else {
            throw .parameterShape(name: "weight of \(layerName)", expected: [outFeatures, inFeatures], got: weight.shape)
        }
        guard bias.shape == [outFeatures] else {
            throw .parameterShape(name: "bias of \(layerName)", expected: [outFeatures], got: bias.shape)
        }
    }

    private func checkInput(_ x: Tensor) throws(TensorError) {
        guard x.rank == 2 else { throw .inputRank(layer: layerName, expected: "(N, \(inFeatures))", got: x.shape) }
        guard x.shape[1] == inFeatures else { throw .channelMismatch(layer: layerName, expected: inFeatures, got: x.shape) }
    }

    /// y = x·Wᵀ + b: (N, in) → (N, out).
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        try checkParameters()
        try checkInput(x)
        let n = x.shape[0]
        let width = outFeatures
        var y = [Float](unsafeUninitializedCapacity: n * width) { y, initialized in
            bias.scalars.withUnsafeBufferPointer { b in
                for row in 0..<n { (y.baseAddress! + row * width).initialize(from: b.baseAddress!, count: width) }
            }
            initialized = n * width
        }
        let weightT = Matmul.transpose(weight.scalars, rows: outFeatures, columns: inFeatures)
        Matmul.multiplyAdd(x.scalars, weightT, m: n, k: inFeatures, n: outFeatures, into: &y)
        return Tensor(uncheckedShape: [n, outFeatures], scalars: y)
    }

    /// The gradients of one backward pass through a Linear layer.
    public struct Gradients: Sendable {
        /// ∂L/∂x = dy·W, (N, in); nil when not asked for (the first layer's input is data).
        public let dx: Tensor?
        /// ∂L/∂W = dyᵀ·x, (out, in).
        public let dweight: Tensor
        /// ∂L/∂b = Σ_n dy, (out).
        public let dbias: Tensor
    }

    /// Backward of y = x·Wᵀ + b, for the `x` of the forward pass and dy = ∂L/∂y:
    ///     dW = dyᵀ·x      db = Σ_rows dy      dx = dy·W
    public func backward(_ x: Tensor, _ dy: Tensor, inputGradient: Bool = true) throws(TensorError) -> Gradients {
        try checkParameters()
        try checkInput(x)
        let n = x.shape[0]
        guard dy.shape == [n, outFeatures] else {
            throw .invalidArgument("dy for \(layerName) must have shape (\(n), \(outFeatures)), got \(dy.shapeDescription)")
        }
        var dweight = [Float](repeating: 0, count: outFeatures * inFeatures)
        Matmul.multiplyAddTransposedA(dy.scalars, x.scalars, m: outFeatures, k: n, n: inFeatures, into: &dweight)
        var dbias = [Float](repeating: 0, count: outFeatures)
        dbias.withUnsafeMutableBufferPointer { dbias in
            dy.scalars.withUnsafeBufferPointer { dy in
                for row in 0..<n {
                    for o in 0..<outFeatures { dbias[o] += dy[row * outFeatures + o] }
                }
            }
        }
        var dx: Tensor?
        if inputGradient {
            var values = [Float](repeating: 0, count: n * inFeatures)
            Matmul.multiplyAdd(dy.scalars, weight.scalars, m: n, k: outFeatures, n: inFeatures, into: &values)
            dx = Tensor(uncheckedShape: [n, inFeatures], scalars: values)
        }
        return Gradients(dx: dx, dweight: Tensor(uncheckedShape: [outFeatures, inFeatures], scalars: dweight),
                         dbias: Tensor(vector: dbias))
    }
}
