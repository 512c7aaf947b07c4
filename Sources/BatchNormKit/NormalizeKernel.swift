/// The one normalize-scale-shift computation every norm layer shares:
/// y = γ · (x − μ) / √(σ² + ε) + β, done in Float64 per element so that subtracting a large mean
/// does not cancel away the signal, then rounded once to Float32.
///
/// Layers differ only in *which* statistic and which γ/β an element uses, described by
/// `StatisticIndex` and `AffineIndex`.
struct NormalizeKernel {
    /// Which statistic an element at a flat index uses.
    enum StatisticIndex {
        /// Axis-1 channel: BatchNorm.
        case channel
        /// `flat / blockSize`: LayerNorm, InstanceNorm, GroupNorm.
        case block(size: Int)
    }

    /// Which γ and β an element uses.
    enum AffineIndex {
        case none
        /// One γ/β per axis-1 channel (BatchNorm, InstanceNorm, GroupNorm).
        case channel(gamma: [Float], beta: [Float])
        /// One γ/β per position in the normalized block (LayerNorm's elementwise affine).
        case elementwise(gamma: [Float], beta: [Float])
    }

    let statistic: StatisticIndex
    let mean: [Double]
    /// 1/√(σ² + ε) per statistic.
    let inverseStd: [Double]

    init(statistic: StatisticIndex, mean: [Double], variance: [Double], eps: Double) {
        self.statistic = statistic
        self.mean = mean
        self.inverseStd = variance.map { 1 / ($0 + eps).squareRoot() }
    }

    /// x̂ and optionally γ·x̂ and γ·x̂ + β, each as its own tensor (the stepping view wants all three).
    func stages(_ x: Tensor, affine: AffineIndex) -> (normalized: Tensor, scaled: Tensor, shifted: Tensor) {
        let normalized = apply(x, affine: .none)
        switch affine {
        case .none:
            return (normalized, normalized, normalized)
        case .channel(let gamma, _), .elementwise(let gamma, _):
            let zeros = [Float](repeating: 0, count: gamma.count)
            let scaledOnly: AffineIndex = if case .channel = affine {
                .channel(gamma: gamma, beta: zeros)
            } else {
                .elementwise(gamma: gamma, beta: zeros)
            }
            return (normalized, apply(x, affine: scaledOnly), apply(x, affine: affine))
        }
    }

    /// y = γ · (x − μ)/√(σ² + ε) + β in one pass.
    func apply(_ x: Tensor, affine: AffineIndex) -> Tensor {
        let channels = x.channels, inner = x.spatialSize
        var output = [Float](repeating: 0, count: x.count)
        x.scalars.withUnsafeBufferPointer { values in
            output.withUnsafeMutableBufferPointer { out in
                let rows = inner > 0 ? x.count / inner : 0
                for row in 0..<rows {
                    let channel = x.rank >= 2 ? row % channels : 0
                    let base = row * inner
                    for i in base..<(base + inner) {
                        let s: Int
                        switch statistic {
                        case .channel: s = channel
                        case .block(let size): s = i / size
                        }
                        var value = (Double(values[i]) - mean[s]) * inverseStd[s]
                        switch affine {
                        case .none:
                            break
                        case .channel(let gamma, let beta):
                            value = value * Double(gamma[channel]) + Double(beta[channel])
                        case .elementwise(let gamma, let beta):
                            let p = i % gamma.count
                            value = value * Double(gamma[p]) + Double(beta[p])
                        }
                        out[i] = Float(value)
                    }
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: output)
    }
}
