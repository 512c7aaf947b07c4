@testable import BatchNormKit
import Testing

/// RMSNorm against PyTorch 2.13's `nn.RMSNorm` (vectors made by scripts/make-rmsnorm-vectors.py):
/// forward, dx and dγ, default eps, a 2-axis normalized shape, and a large-mean input without affine.
@Suite struct RMSNormReferenceTests {
    func load(_ name: String) throws -> Tensor { try ReferenceVectors.load("rmsnorm", name) }

    @Test(arguments: [("a", [6], RMSNorm.defaultEps, true), ("b", [3, 4], 1e-3, true), ("c", [5], RMSNorm.defaultEps, false)])
    func matchesPyTorch(_ tag: String, _ shape: [Int], _ eps: Double, _ affine: Bool) throws {
        let layer = try RMSNorm(normalizedShape: shape, eps: eps, elementwiseAffine: affine)
        if affine { try layer.setGamma(load("\(tag)_weight").reshaped(shape)) }
        let x = try load("\(tag)_x"), dy = try load("\(tag)_dy")
        expectClose(try layer.forward(x).scalars, try load("\(tag)_y").scalars, "\(tag): y")
        let grads = try layer.backward(x, dy)
        expectClose(grads.dx.scalars, try load("\(tag)_dx").scalars, atol: 1e-4, "\(tag): dx")
        if affine { expectClose(grads.dgamma.scalars, try load("\(tag)_dweight").scalars, "\(tag): dweight") }
    }

    @Test func defaultsAreTorchDefaults() throws {
        let layer = try RMSNorm(normalizedShape: [4])
        #expect(layer.eps == Double(Float.ulpOfOne) && layer.elementwiseAffine && !layer.hasShift)
        #expect(throws: TensorError.self) { try layer.setBeta(Tensor(vector: [0, 0, 0, 0])) }
    }

    /// The same backward by centred differences of L = Σ y·dy, in Float64 on a small input.
    @Test func backwardMatchesFiniteDifferences() throws {
        let layer = try RMSNorm(normalizedShape: [3], eps: 1e-3)
        try layer.setGamma(Tensor(vector: [0.5, 1.5, -1]))
        let x = try Tensor(shape: [2, 3], scalars: [0.3, -1.2, 2.0, 1.0, 0.5, -0.25])
        let dy = try Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 0.25, 1, -1])
        let grads = try layer.backward(x, dy)
        func loss(_ values: [Float]) throws -> Double {
            let y = try layer.forward(Tensor(shape: [2, 3], scalars: values))
            return zip(y.scalars, dy.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        for i in 0..<x.count {
            var plus = x.scalars, minus = x.scalars
            plus[i] += 1e-3
            minus[i] -= 1e-3
            let numeric = (try loss(plus) - loss(minus)) / 2e-3
            #expect(abs(numeric - Double(grads.dx.scalars[i])) < 2e-3, "dx[\(i)]: \(numeric) vs \(grads.dx.scalars[i])")
        }
    }
}

/// InstanceNorm is GroupNorm with one group per channel: the same forward and backward, bit for bit.
@Suite struct InstanceNormIsGroupNormTests {
    @Test func sameForwardAndBackward() throws {
        var generator = SeededGenerator(seed: 4)
        let x = try Tensor.randn([3, 4, 5], using: &generator), dy = try Tensor.randn([3, 4, 5], using: &generator)
        let inn = try InstanceNorm(numFeatures: 4, affine: true), gn = try GroupNorm(numGroups: 4, numChannels: 4)
        let gamma = Tensor(vector: [0.5, 2, -1, 1.5])
        try inn.setGamma(gamma)
        try gn.setGamma(gamma)
        #expect(try inn.forward(x).scalars == gn.forward(x).scalars)
        let (a, b) = (try inn.backward(x, dy), try gn.backward(x, dy))
        #expect(a.dx.scalars == b.dx.scalars && a.dgamma.scalars == b.dgamma.scalars && a.dbeta.scalars == b.dbeta.scalars)
    }
}
