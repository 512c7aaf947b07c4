/// The gradients of a normalization layer's forward pass: what backpropagation hands to the previous layer
/// (dx) and to the optimizer (dγ, dβ).
public struct NormGradients: Sendable {
    public let dx: Tensor
    public let dgamma: Tensor
    public let dbeta: Tensor
}

extension BatchNorm {
    /// Gradients of L = Σ y·dy for the forward pass the layer would make on `x` in its current mode,
    /// without touching the running statistics.
    ///
    /// With batch statistics (training mode), the mean and variance depend on x, so every dx_i
    /// sees the whole channel:
    ///     dβ = Σ dy        dγ = Σ dy·x̂
    ///     dx = γ/(n·√(σ² + ε)) · (n·dy − Σ dy − x̂·Σ(dy·x̂))
    /// With running statistics (eval mode) they are constants: dx = dy·γ/√(running_var + ε).
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard dy.shape == x.shape else {
            throw .invalidArgument("dy must have the same shape as x: x is \(x.shapeDescription), dy is \(dy.shapeDescription)")
        }
        try validate(x)
        let moments: Moments
        if usesBatchStatistics {
            guard x.batchSize * x.spatialSize != 1 else { throw .oneValuePerChannel(x.shape) }
            moments = Moments.perChannel(of: x)
        } else {
            moments = Moments(mean: runningMean.scalars.map(Double.init),
                              variance: runningVar.scalars.map(Double.init), countPerGroup: 0)
        }
        let channels = numFeatures, samples = x.batchSize, inner = x.spatialSize
        let inverseStd = moments.variance.map { 1 / ($0 + eps).squareRoot() }
        let gammaValues = gamma.scalars.map(Double.init)
        var sumDy = [Double](repeating: 0, count: channels)
        var sumDyXHat = [Double](repeating: 0, count: channels)
        forEachRow(samples: samples, channels: channels, inner: inner) { channel, range in
            let m = moments.mean[channel], s = inverseStd[channel]
            for i in range {
                let g = Double(dy.scalars[i])
                sumDy[channel] += g
                sumDyXHat[channel] += g * (Double(x.scalars[i]) - m) * s
            }
        }
        var dx = [Float](repeating: 0, count: x.count)
        let n = Double(samples * inner)
        forEachRow(samples: samples, channels: channels, inner: inner) { channel, range in
            let m = moments.mean[channel], s = inverseStd[channel], g = gammaValues[channel]
            for i in range {
                if usesBatchStatistics {
                    let xHat = (Double(x.scalars[i]) - m) * s
                    let inner = n * Double(dy.scalars[i]) - sumDy[channel] - xHat * sumDyXHat[channel]
                    dx[i] = Float(g * s / n * inner)
                } else {
                    dx[i] = Float(Double(dy.scalars[i]) * g * s)
                }
            }
        }
        return NormGradients(
            dx: Tensor(uncheckedShape: x.shape, scalars: dx),
            dgamma: Tensor(vector: sumDyXHat.map { Float($0) }),
            dbeta: Tensor(vector: sumDy.map { Float($0) }))
    }

    private func forEachRow(samples: Int, channels: Int, inner: Int, _ body: (Int, Range<Int>) -> Void) {
        for sample in 0..<samples {
            for channel in 0..<channels {
                let base = (sample * channels + channel) * inner
                body(channel, base..<(base + inner))
            }
        }
    }
}
