extension LayerNorm {
    /// Gradients of L = Σ y·dy for the forward pass on `x`: what the training engine hands back
    /// to the previous layer (dx) and to the optimizer (dγ, dβ). The same triple BatchNorm returns.
    ///
    /// Each sample's block of D = ∏ normalizedShape elements has its own mean and variance,
    /// so every dx in a block sees the whole block (never the batch). With g = dy·γ_p
    /// (p the position inside the block; g = dy without an elementwise affine):
    ///     dβ_p = Σ_samples dy        dγ_p = Σ_samples dy·x̂
    ///     dx = 1/(D·√(σ² + ε)) · (D·g − Σ_block g − x̂·Σ_block(g·x̂))
    /// Without an elementwise affine dγ and dβ are still reported, as if γ = 1 and β = 0.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else {
            throw .invalidArgument("dy must have the same shape as x: x is \(x.shapeDescription), dy is \(dy.shapeDescription)")
        }
        guard x.rank >= normalizedShape.count, Array(x.shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw .inputRank(layer: layerName,
                             expected: "(…, " + normalizedShape.map(String.init).joined(separator: ", ") + ")",
                             got: x.shape)
        }
        let blockSize = normalizedShape.reduce(1, *)
        let moments = Moments.perBlock(of: x, blockSize: blockSize)
        let gammaValues = elementwiseAffine ? gamma.scalars.map(Double.init) : [Double](repeating: 1, count: blockSize)
        var dx = [Float](repeating: 0, count: x.count)
        var dgamma = [Double](repeating: 0, count: blockSize)
        var dbeta = [Double](repeating: 0, count: blockSize)
        let d = Double(blockSize)
        x.scalars.withUnsafeBufferPointer { xs in
            dy.scalars.withUnsafeBufferPointer { dys in
                for block in 0..<moments.mean.count {
                    let base = block * blockSize
                    let m = moments.mean[block], s = 1 / (moments.variance[block] + eps).squareRoot()
                    var sumG = 0.0, sumGXHat = 0.0
                    for p in 0..<blockSize {
                        let xHat = (Double(xs[base + p]) - m) * s
                        let g = Double(dys[base + p]) * gammaValues[p]
                        sumG += g
                        sumGXHat += g * xHat
                        dgamma[p] += Double(dys[base + p]) * xHat
                        dbeta[p] += Double(dys[base + p])
                    }
                    for p in 0..<blockSize {
                        let xHat = (Double(xs[base + p]) - m) * s
                        let g = Double(dys[base + p]) * gammaValues[p]
                        dx[base + p] = Float(s / d * (d * g - sumG - xHat * sumGXHat))
                    }
                }
            }
        }
        return NormGradients(
            dx: Tensor(uncheckedShape: x.shape, scalars: dx),
            dgamma: Tensor(uncheckedShape: normalizedShape, scalars: dgamma.map { Float($0) }),
            dbeta: Tensor(uncheckedShape: normalizedShape, scalars: dbeta.map { Float($0) }))
    }
}
