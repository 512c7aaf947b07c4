/// The learnable γ (scale, PyTorch's `weight`) and β (shift, PyTorch's `bias`) of a norm layer,
/// with the shape check every setter needs, so each layer declares only which shape they have.
public struct AffineParameters: Sendable {
    public let shape: [Int]
    public private(set) var gamma: Tensor
    public private(set) var beta: Tensor

    /// γ = 1 and β = 0, so a fresh layer only normalizes.
    /// `runningStatistics`: how many more tensors of this shape the layer keeps (BatchNorm's
    /// running mean and variance), counted against the element cap with γ and β.
    init(shape: [Int], runningStatistics: Int = 0) throws(TensorError) {
        // A layer's state must fit the element cap together, as one tensor would:
        // `batchnorm(268435456)` once took 4.2 GB under a 1 GiB cap.
        let count = try Tensor.checkedElementCount(shape)
        let (total, overflow) = count.multipliedReportingOverflow(by: 2 + runningStatistics)
        guard !overflow, total <= TensorLimits.maxElements else {
            throw .layerTooLarge(shape: shape, values: overflow ? Int.max : total, limit: TensorLimits.maxElements)
        }
        self.shape = shape
        gamma = try .ones(shape)
        beta = try .zeros(shape)
    }

    mutating func setGamma(_ value: Tensor) throws(TensorError) {
        gamma = try checked(value, "gamma")
    }

    mutating func setBeta(_ value: Tensor) throws(TensorError) {
        beta = try checked(value, "beta")
    }

    private func checked(_ value: Tensor, _ name: String) throws(TensorError) -> Tensor {
        guard value.shape == shape else { throw .parameterShape(name: name, expected: shape, got: value.shape) }
        return value
    }
}
