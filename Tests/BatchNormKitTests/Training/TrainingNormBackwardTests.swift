@testable import BatchNormKit
import Testing

/// LayerNorm and GroupNorm backward against central differences of L = Σ y·dy, the forward
/// computed in Float64 here (h = 1e-6), so the check is independent of Float32 rounding;
/// tolerance 1e-4 + 1e-3·|numeric| as for BatchNorm (the analytic side is rounded to Float32).
@Suite struct TrainingNormBackwardTests {
    /// Σ y·dy for y = γ_k·(x − μ_b)/√(σ²_b + ε) + β_k over contiguous blocks b of `blockSize`,
    /// with k = affineIndex(i).
    static func loss(_ x: [Double], _ gamma: [Double], _ beta: [Double], _ dy: [Double],
                     blockSize: Int, eps: Double, affineIndex: (Int) -> Int) -> Double {
        var total = 0.0
        for start in stride(from: 0, to: x.count, by: blockSize) {
            let block = start..<(start + blockSize)
            let mean = block.reduce(0.0) { $0 + x[$1] } / Double(blockSize)
            let variance = block.reduce(0.0) { $0 + (x[$1] - mean) * (x[$1] - mean) } / Double(blockSize)
            for i in block {
                let k = affineIndex(i)
                total += (gamma[k] * (x[i] - mean) / (variance + eps).squareRoot() + beta[k]) * dy[i]
            }
        }
        return total
    }

    static func check(grads: NormGradients, x: Tensor, dy: Tensor, gamma: Tensor, beta: Tensor,
                      blockSize: Int, affineIndex: @escaping (Int) -> Int) {
        var xs = x.scalars.map(Double.init), gs = gamma.scalars.map(Double.init), bs = beta.scalars.map(Double.init)
        let dys = dy.scalars.map(Double.init)
        let h = 1e-6
        func central(_ update: (Double) -> Void) -> Double {
            update(h); let plus = loss(xs, gs, bs, dys, blockSize: blockSize, eps: 1e-5, affineIndex: affineIndex)
            update(-2 * h); let minus = loss(xs, gs, bs, dys, blockSize: blockSize, eps: 1e-5, affineIndex: affineIndex)
            update(h)
            return (plus - minus) / (2 * h)
        }
        func close(_ a: Float, _ n: Double) -> Bool { abs(Double(a) - n) <= 1e-4 + 1e-3 * abs(n) }
        for i in xs.indices {
            let numeric = central { xs[i] += $0 }
            #expect(close(grads.dx.scalars[i], numeric), "dx[\(i)]: \(grads.dx.scalars[i]) vs \(numeric)")
        }
        for k in gs.indices {
            let numericGamma = central { gs[k] += $0 }
            let numericBeta = central { bs[k] += $0 }
            #expect(close(grads.dgamma.scalars[k], numericGamma), "dgamma[\(k)]: \(grads.dgamma.scalars[k]) vs \(numericGamma)")
            #expect(close(grads.dbeta.scalars[k], numericBeta), "dbeta[\(k)]: \(grads.dbeta.scalars[k]) vs \(numericBeta)")
        }
    }

    @Test(arguments: [([5, 4], [4]), ([3, 4, 5], [4, 5]), ([2, 3, 2, 3], [2, 3])])
    func layerNormBackward(shape: [Int], normalizedShape: [Int]) throws {
        var rng = SeededGenerator(seed: 3)
        let x = try Tensor.randn(shape, using: &rng).combined(with: 2, .multiply).combined(with: 0.5, .add)
        let dy = try Tensor.randn(shape, using: &rng)
        let gamma = try Tensor.randn(normalizedShape, using: &rng)
        let beta = try Tensor.randn(normalizedShape, using: &rng)
        let ln = try LayerNorm(normalizedShape: normalizedShape)
        try ln.setGamma(gamma); try ln.setBeta(beta)
        let blockSize = normalizedShape.reduce(1, *)
        Self.check(grads: try ln.backward(x, dy), x: x, dy: dy, gamma: gamma, beta: beta,
                   blockSize: blockSize, affineIndex: { $0 % blockSize })
    }

    @Test(arguments: [([5, 4], 2), ([3, 6, 4], 3), ([2, 4, 2, 3], 1), ([2, 4, 3], 4)])
    func groupNormBackward(shape: [Int], groups: Int) throws {
        var rng = SeededGenerator(seed: 4)
        let channels = shape[1], inner = shape.dropFirst(2).reduce(1, *)
        let x = try Tensor.randn(shape, using: &rng).combined(with: 2, .multiply).combined(with: -1, .add)
        let dy = try Tensor.randn(shape, using: &rng)
        let gamma = try Tensor.randn([channels], using: &rng)
        let beta = try Tensor.randn([channels], using: &rng)
        let gn = try GroupNorm(numGroups: groups, numChannels: channels)
        try gn.setGamma(gamma); try gn.setBeta(beta)
        Self.check(grads: try gn.backward(x, dy), x: x, dy: dy, gamma: gamma, beta: beta,
                   blockSize: channels / groups * inner, affineIndex: { ($0 / inner) % channels })
    }

    @Test func backwardChecksShapes() throws {
        let ln = try LayerNorm(normalizedShape: [4])
        #expect(throws: TensorError.self) { try ln.backward(Tensor.zeros([2, 4]), Tensor.zeros([2, 3])) }
        #expect(throws: TensorError.self) { try ln.backward(Tensor.zeros([2, 3]), Tensor.zeros([2, 3])) }
        let gn = try GroupNorm(numGroups: 2, numChannels: 4)
        #expect(throws: TensorError.self) { try gn.backward(Tensor.zeros([2, 6]), Tensor.zeros([2, 6])) }
    }
}
