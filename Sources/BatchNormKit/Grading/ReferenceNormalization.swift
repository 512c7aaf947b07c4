/// A float64 normalization written out plainly, with switches for the classic mistakes: the
/// grader computes what a learner's function would return if it made one of them, and so can
/// name the mistake instead of only printing a wrong number. It also serves the centred
/// difference of the gradient check, where float32 would drown the step in rounding.
struct ReferenceNormalization: Sendable {
    /// Which elements share statistics.
    enum Groups {
        /// BatchNorm: one group per channel (axis 1), over the batch and any spatial axes.
        case perChannel
        /// LayerNorm: one group per position of the leading axes, over the last axis.
        case perSampleOverLastAxis
        /// A mistake on 4-D input: axis 0 alone, a group per (channel, row, column).
        case overBatchOnly
        /// A mistake on 2-D input: axis 1, a group per sample.
        case perSample
    }

    let shape: [Int]
    var groups: Groups
    var eps: Double
    var unbiased = false
    var epsOutsideSquareRoot = false
    var dividesByVariance = false
    var affine = true

    /// Where γ and β vary: along the channel axis (BatchNorm) or the last axis (LayerNorm).
    enum ParameterAxis: Sendable { case channel, lastAxis }
    var parameterAxis: ParameterAxis

    /// The γ/β index of the element at flat index `i`.
    func parameterIndex(_ i: Int) -> Int {
        switch parameterAxis {
        case .channel: return (i / shape.dropFirst(2).reduce(1, *)) % shape[1]
        case .lastAxis: return i % shape[shape.count - 1]
        }
    }

    /// The group of the element at flat index `i`.
    func group(of i: Int) -> Int {
        let spatial = shape.dropFirst(2).reduce(1, *)
        switch groups {
        case .perChannel: return (i / spatial) % shape[1]
        case .perSampleOverLastAxis: return i / shape[shape.count - 1]
        case .overBatchOnly: return i % (shape.dropFirst().reduce(1, *))
        case .perSample: return i / shape.dropFirst().reduce(1, *)
        }
    }

    /// Per group: the mean, the variance this variant divides with, and the group's size.
    func statistics(_ x: [Double]) -> (mean: [Int: Double], variance: [Int: Double], size: [Int: Int]) {
        var sum: [Int: Double] = [:], size: [Int: Int] = [:]
        for i in x.indices { sum[group(of: i), default: 0] += x[i]; size[group(of: i), default: 0] += 1 }
        var mean: [Int: Double] = [:]
        for (g, s) in sum { mean[g] = s / Double(size[g]!) }
        var squares: [Int: Double] = [:]
        for i in x.indices { let d = x[i] - mean[group(of: i)]!; squares[group(of: i), default: 0] += d * d }
        var variance: [Int: Double] = [:]
        for (g, s) in squares { variance[g] = s / Double(max(1, size[g]! - (unbiased ? 1 : 0))) }
        return (mean, variance, size)
    }

    /// x̂ of every element.
    func normalized(_ x: [Double]) -> [Double] {
        let (mean, variance, _) = statistics(x)
        return x.indices.map { i in
            let g = group(of: i), v = variance[g]!
            let scale = dividesByVariance ? v + eps : epsOutsideSquareRoot ? v.squareRoot() + eps : (v + eps).squareRoot()
            return (x[i] - mean[g]!) / scale
        }
    }

    func forward(_ x: [Double], gamma: [Double], beta: [Double]) -> [Double] {
        let xHat = normalized(x)
        guard affine else { return xHat }
        return xHat.indices.map { xHat[$0] * gamma[parameterIndex($0)] + beta[parameterIndex($0)] }
    }

    /// The loss Σ dy·y, whose gradient the backward pass returns.
    func loss(_ x: [Double], gamma: [Double], beta: [Double], dy: [Double]) -> Double {
        zip(forward(x, gamma: gamma, beta: beta), dy).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// dx by the simplified formula dx = (1/σ)(g − mean(g) − x̂·mean(g·x̂)), g = dy·γ, per group;
    /// with `directPathOnly`, the learner's mistake of keeping only g/σ.
    func inputGradient(_ x: [Double], gamma: [Double], dy: [Double], directPathOnly: Bool = false) -> [Double] {
        let (_, variance, size) = statistics(x)
        let xHat = normalized(x)
        let g = dy.indices.map { dy[$0] * gamma[parameterIndex($0)] }
        var sumG: [Int: Double] = [:], sumGX: [Int: Double] = [:]
        for i in x.indices { sumG[group(of: i), default: 0] += g[i]; sumGX[group(of: i), default: 0] += g[i] * xHat[i] }
        return x.indices.map { i in
            let k = group(of: i), n = Double(size[k]!), sigma = (variance[k]! + eps).squareRoot()
            if directPathOnly { return g[i] / sigma }
            return (g[i] - sumG[k]! / n - xHat[i] * sumGX[k]! / n) / sigma
        }
    }

    /// dγ = Σ dy·x̂ and dβ = Σ dy, summed per parameter index.
    func parameterGradients(_ x: [Double], dy: [Double], parameters: Int) -> (dgamma: [Double], dbeta: [Double]) {
        let xHat = normalized(x)
        var dgamma = [Double](repeating: 0, count: parameters), dbeta = dgamma
        for i in x.indices { dgamma[parameterIndex(i)] += dy[i] * xHat[i]; dbeta[parameterIndex(i)] += dy[i] }
        return (dgamma, dbeta)
    }
}
