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
        let mean: [Double], variance: [Double]
        if usesBatchStatistics {
            guard x.batchSize * x.spatialSize != 1 else { throw .oneValuePerChannel(x.shape) }
            let moments = Moments.perChannel(of: x)
            (mean, variance) = (moments.mean, moments.variance)
        } else {
            (mean, variance) = (runningMean.scalars.map(Double.init), runningVar.scalars.map(Double.init))
        }
        let inverseStd = variance.map { 1 / ($0 + eps).squareRoot() }
        // Σ dy and Σ dy·(x − μ) per channel; Σ dy·x̂ is the second times 1/σ.
        let sums = ChannelGradientSums.of(x, dy, mean: mean)
        let n = Double(x.batchSize * x.spatialSize)
        let plan = (0..<numFeatures).map { c -> ChannelGradientPlan in
            let scale = Double(gamma.scalars[c]) * inverseStd[c]
            guard usesBatchStatistics else { return ChannelGradientPlan(mean: 0, scale: scale, dyMean: 0, slope: 0) }
            // dx = γ·s · (dy − Σdy/n − (x − μ)·s²·Σdy(x − μ)/n)
            return ChannelGradientPlan(mean: mean[c], scale: scale, dyMean: sums.dy[c] / n,
                                       slope: inverseStd[c] * inverseStd[c] * sums.dyCentered[c] / n)
        }
        let dx = ChannelGradientSums.inputGradient(x, dy, plan: plan, usesBatchStatistics: usesBatchStatistics)
        return NormGradients(
            dx: dx,
            dgamma: Tensor(vector: (0..<numFeatures).map { Float(sums.dyCentered[$0] * inverseStd[$0]) }),
            dbeta: Tensor(vector: sums.dy.map { Float($0) }))
    }
}
