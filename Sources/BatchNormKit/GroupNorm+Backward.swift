extension GroupNorm {
    /// Gradients of L = Σ y·dy for the forward pass on `x` (see `BlockNormBackward`): a block is one
    /// sample's C/G channels with all their positions; γ_c per channel (c = (i / positions) mod C).
    /// Without affine dγ and dβ are still reported, as if γ = 1 and β = 0.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else { throw .gradientShape(x: x.shape, dy: dy.shape) }
        try checkInput(x)
        let inner = x.spatialSize, channels = numChannels
        return BlockNormBackward.gradients(x, dy, blockSize: channels / numGroups * inner, eps: eps, centred: true,
                                           gamma: affine ? gamma.scalars : nil, parameterCount: channels,
                                           parameterShape: [channels], run: inner) { ($0 / inner) % channels }
    }
}
