import CKernels

/// The backward pass every per-sample norm shares (LayerNorm, GroupNorm, InstanceNorm, RMSNorm):
/// each block of `blockSize` consecutive elements has its own statistics, so every dx in a block
/// sees the whole block, never the batch. With g = dy·γ_p (p = `parameter(i)`, the γ entry of
/// element i; g = dy without γ) and M the block size:
///
///     centred (mean subtracted):  x̂ = (x − μ)/√(σ² + ε),  dx = 1/(M·√(σ² + ε)) · (M·g − Σ g − x̂·Σ(g·x̂))
///     RMS (no mean):              x̂ = x/√(mean(x²) + ε),  dx = 1/(M·√(mean(x²) + ε)) · (M·g − x̂·Σ(g·x̂))
///     dβ_p = Σ dy over the elements of p,   dγ_p = Σ dy·x̂ over the elements of p
/// Accumulated in Float64, like the forward statistics. On finite x, dy and γ the loop runs in C
/// (block_norm_backward.c, the same operations in the same order); otherwise here, element by
/// element, so that which of two NaNs wins stays what it always was.
enum BlockNormBackward {
    /// `parameter(i)` is γ's entry for element i; within a block it must step by one every `run`
    /// elements (LayerNorm and RMSNorm: run 1; GroupNorm: run = positions per channel).
    static func gradients(_ x: Tensor, _ dy: Tensor, blockSize: Int, eps: Double, centred: Bool,
                          gamma: [Float]?, parameterCount: Int, parameterShape: [Int], run: Int,
                          parameter: (Int) -> Int) -> NormGradients {
        let blocks = x.count / max(1, blockSize)
        let statistics: (mean: [Double], variance: [Double])
        if centred {
            let moments = Moments.perBlock(of: x, blockSize: blockSize)
            statistics = (moments.mean, moments.variance)
        } else {
            statistics = ([Double](repeating: 0, count: blocks), meanSquares(x, blockSize: blockSize))
        }
        let gammaValues = gamma.map { $0.map(Double.init) }
        var dgamma = [Double](repeating: 0, count: parameterCount)
        var dbeta = [Double](repeating: 0, count: parameterCount)
        if blocks > 0, blockSize > 0, run > 0, blockSize % run == 0, x.count == blocks * blockSize, parameterCount > 0,
           allFinite(x.scalars), allFinite(dy.scalars), allFinite(gamma ?? []) {
            let inverseStd = statistics.variance.map { 1 / ($0 + eps).squareRoot() }
            let dx = [Float](unsafeUninitializedCapacity: x.count) { dx, initialized in
                BlockNormLoops.gradients(x.scalars, dy.scalars, blocks: blocks, blockSize: blockSize, run: run,
                                         parameters: parameterCount, mean: statistics.mean, inverseStd: inverseStd,
                                         centred: centred, gamma: gammaValues, dgamma: &dgamma, dbeta: &dbeta, dx: dx)
                initialized = x.count
            }
            return NormGradients(
                dx: Tensor(uncheckedShape: x.shape, scalars: dx),
                dgamma: Tensor(uncheckedShape: parameterShape, scalars: dgamma.map { Float($0) }),
                dbeta: Tensor(uncheckedShape: parameterShape, scalars: dbeta.map { Float($0) }))
        }
        let m = Double(blockSize)
        var dx = [Float](repeating: 0, count: x.count)
        x.scalars.withUnsafeBufferPointer { xs in
            dy.scalars.withUnsafeBufferPointer { dys in
                for block in 0..<blocks {
                    let base = block * blockSize
                    let mean = statistics.mean[block], s = 1 / (statistics.variance[block] + eps).squareRoot()
                    var sumG = 0.0, sumGXHat = 0.0
                    for i in base..<(base + blockSize) {
                        let p = parameter(i)
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * (gammaValues?[p] ?? 1)
                        sumG += g
                        sumGXHat += g * xHat
                        dgamma[p] += Double(dys[i]) * xHat
                        dbeta[p] += Double(dys[i])
                    }
                    if !centred { sumG = 0 }
                    for i in base..<(base + blockSize) {
                        let xHat = (Double(xs[i]) - mean) * s
                        let g = Double(dys[i]) * (gammaValues?[parameter(i)] ?? 1)
                        dx[i] = Float(s / m * (m * g - sumG - xHat * sumGXHat))
                    }
                }
            }
        }
        return NormGradients(
            dx: Tensor(uncheckedShape: x.shape, scalars: dx),
            dgamma: Tensor(uncheckedShape: parameterShape, scalars: dgamma.map { Float($0) }),
            dbeta: Tensor(uncheckedShape: parameterShape, scalars: dbeta.map { Float($0) }))
    }

    /// The layers that normalize each sample over its trailing axes `shape` with an elementwise γ
    /// (LayerNorm centred, RMSNorm not).
    static func overTrailingAxes(_ x: Tensor, _ dy: Tensor, shape: [Int], eps: Double, centred: Bool,
                                 gamma: [Float]?) -> NormGradients {
        let blockSize = shape.reduce(1, *)
        return gradients(x, dy, blockSize: blockSize, eps: eps, centred: centred, gamma: gamma,
                         parameterCount: blockSize, parameterShape: shape, run: 1) { $0 % blockSize }
    }

    /// True when no value is NaN or ±∞.
    static func allFinite(_ values: [Float]) -> Bool {
        var low: Float = 0, high: Float = 0
        return values.isEmpty || values.withUnsafeBufferPointer { bnlab_finite_range($0.baseAddress!, Int64($0.count), &low, &high) } == 0
    }

    /// mean(x²) of each block, in Float64.
    static func meanSquares(_ x: Tensor, blockSize: Int) -> [Double] {
        let blocks = x.count / max(1, blockSize)
        return x.scalars.withUnsafeBufferPointer { xs in
            (0..<blocks).map { block in
                var sum = 0.0
                for i in (block * blockSize)..<((block + 1) * blockSize) { sum += Double(xs[i]) * Double(xs[i]) }
                return sum / Double(blockSize)
            }
        }
    }
}
