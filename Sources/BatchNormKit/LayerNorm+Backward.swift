extension LayerNorm {
    /// Gradients of L = Σ y·dy for the forward pass on `x` (see `BlockNormBackward`): each sample's
    /// block of D = ∏ normalizedShape elements, γ_p elementwise (p = the position in the block).
    /// Without an elementwise affine dγ and dβ are still reported, as if γ = 1 and β = 0.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else { throw .gradientShape(x: x.shape, dy: dy.shape) }
        try checkInput(x)
        return BlockNormBackward.overTrailingAxes(x, dy, shape: normalizedShape, eps: eps, centred: true,
                                                  gamma: elementwiseAffine ? gamma.scalars : nil)
    }
}
