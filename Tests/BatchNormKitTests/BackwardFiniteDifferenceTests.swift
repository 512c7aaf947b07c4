@testable import BatchNormKit
import Testing

/// The analytic backward against central differences of L = Σ y·dy, computed in float64 from the
/// engine's own forward moments so the check is independent of float32 rounding.
@Suite struct BackwardFiniteDifferenceTests {
    /// Float64 forward of training-mode BatchNorm, mirroring the engine's formula.
    static func loss(_ x: [Double], _ gamma: [Double], _ beta: [Double], _ dy: [Double],
                     shape: [Int], eps: Double) -> Double {
        let (n, c) = (shape[0], shape[1])
        let inner = shape.dropFirst(2).reduce(1, *)
        var total = 0.0
        for channel in 0..<c {
            var indices: [Int] = []
            for s in 0..<n { for i in 0..<inner { indices.append((s * c + channel) * inner + i) } }
            let mean = indices.reduce(0.0) { $0 + x[$1] } / Double(indices.count)
            let variance = indices.reduce(0.0) { $0 + (x[$1] - mean) * (x[$1] - mean) } / Double(indices.count)
            for i in indices {
                total += (gamma[channel] * (x[i] - mean) / (variance + eps).squareRoot() + beta[channel]) * dy[i]
            }
        }
        return total
    }

    @Test(arguments: [[6, 3], [4, 3, 5], [2, 3, 2, 3]])
    func gradientsMatchFiniteDifferences(shape: [Int]) throws {
        var rng = SeededGenerator(seed: UInt64(shape.count))
        let x = try Tensor.randn(shape, using: &rng).combined(with: 2, .multiply).combined(with: 1, .add)
        let dy = try Tensor.randn(shape, using: &rng)
        let gamma = try Tensor.randn([shape[1]], using: &rng)
        let beta = try Tensor.randn([shape[1]], using: &rng)
        let bn = try BatchNorm(numFeatures: shape[1])
        try bn.setGamma(gamma); try bn.setBeta(beta)
        let grads = try bn.backward(x, dy)

        var xs = x.scalars.map(Double.init), gs = gamma.scalars.map(Double.init), bs = beta.scalars.map(Double.init)
        let dys = dy.scalars.map(Double.init)
        let h = 1e-6
        func central(_ update: (Double) -> Void) -> Double {
            update(h); let plus = Self.loss(xs, gs, bs, dys, shape: shape, eps: 1e-5)
            update(-2 * h); let minus = Self.loss(xs, gs, bs, dys, shape: shape, eps: 1e-5)
            update(h)
            return (plus - minus) / (2 * h)
        }
        for i in 0..<xs.count {
            let numeric = central { xs[i] += $0 }
            #expect(abs(Double(grads.dx.scalars[i]) - numeric) < 1e-4 + 1e-3 * abs(numeric), "dx[\(i)]")
        }
        for c in 0..<shape[1] {
            let numericGamma = central { gs[c] += $0 }
            let numericBeta = central { bs[c] += $0 }
            #expect(abs(Double(grads.dgamma.scalars[c]) - numericGamma) < 1e-4 + 1e-3 * abs(numericGamma), "dgamma[\(c)]")
            #expect(abs(Double(grads.dbeta.scalars[c]) - numericBeta) < 1e-4 + 1e-3 * abs(numericBeta), "dbeta[\(c)]")
        }
    }

    @Test func evalModeGradientIsTheConstantScale() throws {
        let bn = try BatchNorm(numFeatures: 2)
        try bn.setGamma(Tensor(vector: [2, 3]))
        try bn.setRunningVar(Tensor(vector: [4, 9]))
        bn.training = false
        let grads = try bn.backward(Tensor.zeros([3, 2]), Tensor.ones([3, 2]))
        expectClose(grads.dx.scalars, [Float](repeating: 0, count: 6).enumerated().map { i, _ in
            Float(i % 2 == 0 ? 2 / (4 + 1e-5).squareRoot() : 3 / (9 + 1e-5).squareRoot())
        }, "eval dx")
    }
}
