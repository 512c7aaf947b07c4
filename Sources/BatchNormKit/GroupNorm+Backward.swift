extension GroupNorm {
    /// Gradients of L = Σ y·dy for the forward pass on `x`: what the training engine hands back
    /// to the previous layer (dx) and to the optimizer (dγ, dβ). The same triple BatchNorm returns.
    ///
    /// A group is one sample's C/G channels with all their positions, M elements with one mean
    /// and variance, so every dx in a group sees the whole group. With g = dy·γ_c
    /// (c the element's channel; g = dy without affine):
    ///     dβ_c = Σ_{samples, positions} dy        dγ_c = Σ_{samples, positions} dy·x̂
    ///     dx = 1/(M·√(σ² + ε)) · (M·g − Σ_group g − x̂·Σ_group(g·x̂))
    /// Without affine dγ and dβ are still reported, as if γ = 1 and β = 0.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else {
            throw .invalidArgument("dy must have the same shape as x: x is \(x.shapeDescription), dy is \(dy.shapeDescription)")
        }
        guard (2...4).contains(x.rank) else {
            throw .inputRank(layer: layerName, expected: "(N, C), (N, C, L) or (N, C, H, W)", got: x.shape)
        }
        guard x.shape[1] == numChannels else { throw .channelMismatch(layer: layerName, expected: numChannels, got: x.shape) }
        let inner = x.spatialSize
        let blockSize = numChannels / numGroups * inner
        let moments = Moments.perBlock(of: x, blockSize: blockSize)
        let gammaValues = affine ? gamma.scalars.map(Double.init) : [Double](repeating: 1, count: numChannels)
        var dx = [Float](repeating: 0, count: x.count)
        var dgamma = [Double](repeating: 0, count: numChannels)
        var dbeta = [Double](repeating: 0, count: numChannels)
        let m = Double(blockSize)
        // The channel of flat index i is (i / inner) % C.
        x.scalars.withUnsafeBufferPointer { xs in
            dy.scalars.withUnsafeBufferPointer { dys in
                for block in 0..<moments.mean.count {
                    let base = block * blockSize
                    let mean = moments.mean[block], s = 1 / (moments.variance[block] + eps).squareRoot()
                    var sumG = 0.0, sumGXHat = 0.0
                    for i in base..<(base + blockSize) {
                        let c = (i / inner) % numChannels
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * gammaValues[c]
                        sumG += g
                        sumGXHat += g * xHat
                        dgamma[c] += Double(dys[i]) * xHat
                        dbeta[c] += Double(dys[i])
                    }
                    for i in base..<(base + blockSize) {
                        let c = (i / inner) % numChannels
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * gammaValues[c]
                        dx[i] = Float(s / m * (m * g - sumG - xHat * sumGXHat))
                    }
                }
            }
        }
        return NormGradients(
            dx: Tensor(uncheckedShape: x.shape, scalars: dx),
            dgamma: Tensor(vector: dgamma.map { Float($0) }),
            dbeta: Tensor(vector: dbeta.map { Float($0) }))
    }
}
