/// The learnable γ (scale, PyTorch's `weight`) and β (shift, PyTorch's `bias`) of a norm layer,
/// with the shape check every setter needs, so each layer declares only which shape they have.
public struct AffineParameters: Sendable {
    public let shape: [Int]
    public private(set) var gamma: Tensor
    public private(set) var beta: Tensor

    /// γ = 1 and β = 0, so a fresh layer only normalizes.
    init(shape: [Int]) throws(TensorError) {
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
