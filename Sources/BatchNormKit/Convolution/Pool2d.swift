/// Max or average pooling over k×k windows with stride k and no padding (PyTorch's
/// `nn.MaxPool2d(k)` and `nn.AvgPool2d(k)` with their defaults): what halves a conv net's image
/// between stages. No parameters; a trailing row or column that does not fill a window is dropped,
/// as in PyTorch (floor mode).
public struct Pool2d: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The largest value of each window (the first one on a tie; NaN if the window holds one).
        case max
        /// The mean of each window's k² values.
        case average
    }

    public let kind: Kind
    public let kernelSize: Int

    public init(_ kind: Kind, kernelSize: Int) throws(TensorError) {
        self.kind = kind
        self.kernelSize = kernelSize
        try ConvGeometry.checkSettings(layer: layerName, kernelSize: kernelSize, stride: kernelSize, padding: 0)
    }

    /// "maxpool(2)" or "avgpool(2)", as the language writes it.
    public var layerName: String { (kind == .max ? "maxpool" : "avgpool") + "(\(kernelSize))" }

    private func geometry(_ shape: [Int]) throws(TensorError) -> ConvGeometry {
        try ConvGeometry(input: shape, channels: nil, kernelSize: kernelSize, stride: kernelSize, padding: 0, layer: layerName)
    }

    /// The output shape for an input shape, or the error that input would raise.
    public func outputShape(for inputShape: [Int]) throws(TensorError) -> [Int] {
        try geometry(inputShape).outputShape
    }

    /// For each output element, the flat input index of its window's top-left corner; the window's
    /// other elements are that plus i·W + j.
    private func windows(_ g: ConvGeometry) -> [Int] {
        var corners: [Int] = []
        corners.reserveCapacity(g.batch * g.inChannels * g.outHeight * g.outWidth)
        for plane in 0..<(g.batch * g.inChannels) {
            for oh in 0..<g.outHeight {
                for ow in 0..<g.outWidth { corners.append(plane * g.height * g.width + oh * kernelSize * g.width + ow * kernelSize) }
            }
        }
        return corners
    }

    /// The flat input index each max window picked, as PyTorch's CPU kernel scans it: start at
    /// −∞ on the corner, take any larger value or any NaN (so the first of equal maxima, the last NaN).
    private func argmax(_ x: UnsafeBufferPointer<Float>, corner: Int, width: Int) -> Int {
        var best = corner, largest = -Float.infinity
        for i in 0..<kernelSize {
            for j in 0..<kernelSize {
                let index = corner + i * width + j
                if x[index] > largest || x[index].isNaN { (best, largest) = (index, x[index]) }
            }
        }
        return best
    }

    /// The sum of one window's k² values.
    private func sum(_ x: UnsafeBufferPointer<Float>, corner: Int, width: Int) -> Float {
        var total: Float = 0
        for i in 0..<kernelSize { for j in 0..<kernelSize { total += x[corner + i * width + j] } }
        return total
    }

    /// max: y = max over the window      average: y = (1/k²) Σ over the window
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        let g = try geometry(x.shape)
        _ = try Tensor.checkedElementCount(g.outputShape)
        let scale = 1 / Float(kernelSize * kernelSize)
        let corners = windows(g)
        let y = x.scalars.withUnsafeBufferPointer { xs in
            corners.map { corner -> Float in
                kind == .max ? xs[argmax(xs, corner: corner, width: g.width)] : sum(xs, corner: corner, width: g.width) * scale
            }
        }
        return Tensor(uncheckedShape: g.outputShape, scalars: y)
    }

    /// max: the whole dy of a window goes to the element that was the max (PyTorch's choice on a
    /// tie: the first)      average: each of the window's k² elements gets dy/k²
    /// Elements in no window (a dropped trailing row) get 0.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> Tensor {
        let g = try geometry(x.shape)
        guard dy.shape == g.outputShape else {
            throw .invalidArgument("dy of \(layerName) must have the output's shape \(Tensor.describe(shape: g.outputShape)), got \(dy.shapeDescription)")
        }
        var dx = [Float](repeating: 0, count: x.count)
        let scale = 1 / Float(kernelSize * kernelSize)
        x.scalars.withUnsafeBufferPointer { xs in
            for (o, corner) in windows(g).enumerated() {
                switch kind {
                case .max: dx[argmax(xs, corner: corner, width: g.width)] += dy.scalars[o]
                case .average:
                    for i in 0..<kernelSize { for j in 0..<kernelSize { dx[corner + i * g.width + j] += dy.scalars[o] * scale } }
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: dx)
    }
}

/// (N, C, H, W) → (N, C·H·W), PyTorch's `nn.Flatten()` (start_dim 1): the bridge from a conv
/// net's last image to its linear head. The values keep their order; backward reshapes back.
public enum Flatten {
    public static func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        guard x.rank >= 2 else { throw .inputRank(layer: "flatten", expected: "(N, …) with at least 2 axes", got: x.shape) }
        return try x.reshaped([x.shape[0], x.shape[1...].reduce(1, *)])
    }

    public static func backward(_ dy: Tensor, inputShape: [Int]) throws(TensorError) -> Tensor {
        try dy.reshaped(inputShape)
    }
}
