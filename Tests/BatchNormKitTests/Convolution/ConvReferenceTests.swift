@testable import BatchNormKit
import Testing

/// Conv2d, MaxPool2d and AvgPool2d against PyTorch 2.13 (vectors made by scripts/make-conv-vectors.py):
/// forward and backward, several shapes, stride 2, padding 1, no bias, pooling with a dropped row and with ties.
@Suite struct ConvReferenceTests {
    func load(_ name: String) throws -> Tensor { try ReferenceVectors.load("conv", name) }

    /// (tag, C_in, C_out, k, stride, padding, bias), as the script writes them.
    @Test(arguments: [("a", 1, 3, 3, 1, 0, true), ("b", 3, 4, 3, 2, 1, true), ("c", 2, 3, 2, 1, 0, false), ("d", 2, 2, 3, 2, 1, false)])
    func convMatchesPyTorch(_ tag: String, _ cIn: Int, _ cOut: Int, _ k: Int, _ stride: Int, _ padding: Int, _ bias: Bool) throws {
        var generator = SeededGenerator(seed: 0)
        let conv = try Conv2d(inChannels: cIn, outChannels: cOut, kernelSize: k, stride: stride, padding: padding, bias: bias,
                              weightStd: 1, using: &generator)
        conv.weight = try load("\(tag)_weight")
        if bias { conv.bias = try load("\(tag)_bias") }
        let x = try load("\(tag)_x"), dy = try load("\(tag)_dy")
        let y = try conv.forward(x)
        #expect(y.shape == (try load("\(tag)_y")).shape)
        expectClose(y.scalars, try load("\(tag)_y").scalars, "\(tag): y")
        let grads = try conv.backward(x, dy)
        expectClose(grads.dx?.scalars ?? [], try load("\(tag)_dx").scalars, "\(tag): dx")
        expectClose(grads.dweight.scalars, try load("\(tag)_dweight").scalars, "\(tag): dweight")
        if bias { expectClose(grads.dbias?.scalars ?? [], try load("\(tag)_dbias").scalars, "\(tag): dbias") }
        else { #expect(grads.dbias == nil) }
    }

    @Test(arguments: [("max2", Pool2d.Kind.max, 2), ("avg2", .average, 2), ("max3ties", .max, 3)])
    func poolMatchesPyTorch(_ tag: String, _ kind: Pool2d.Kind, _ k: Int) throws {
        let pool = try Pool2d(kind, kernelSize: k)
        let x = try load("\(tag)_x"), expected = try load("\(tag)_y")
        let y = try pool.forward(x)
        #expect(y.shape == expected.shape)
        expectClose(y.scalars, expected.scalars, "\(tag): y")
        // Max pooling's dx is a routing: with ties it must pick the very element PyTorch picked.
        expectClose(try pool.backward(x, load("\(tag)_dy")).scalars, try load("\(tag)_dx").scalars, atol: 0, rtol: 1e-6, "\(tag): dx")
    }
}

/// The same backward passes by centred differences of L = Σ y·dy, on inputs small enough to
/// visit every element; each layer's own forward pass is the function differentiated.
@Suite struct ConvFiniteDifferenceTests {
    /// ∂(Σ f(v)·dy)/∂v_i for each i, by (f(v + h) − f(v − h)) / 2h in float32 with h = 1e-2;
    /// f is linear in v for conv and piecewise linear for the pools, so the only error is rounding.
    func numeric(_ values: [Float], _ dy: Tensor, _ f: ([Float]) throws -> Tensor) throws -> [Float] {
        func loss(_ v: [Float]) throws -> Double {
            zip(try f(v).scalars, dy.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        return try values.indices.map { i in
            var plus = values, minus = values
            plus[i] += 1e-2
            minus[i] -= 1e-2
            return Float((try loss(plus) - loss(minus)) / 2e-2)
        }
    }

    @Test(arguments: [(1, 0, true), (2, 1, true), (2, 1, false), (1, 2, true)])
    func convGradients(_ stride: Int, _ padding: Int, _ bias: Bool) throws {
        var generator = SeededGenerator(seed: 7)
        let conv = try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: stride, padding: padding, bias: bias,
                              weightStd: 0.5, using: &generator)
        conv.bias = try Tensor.randn([3], using: &generator)
        let x = try Tensor.randn([2, 2, 5, 4], using: &generator)
        let dy = try Tensor.randn(conv.outputShape(for: x.shape), using: &generator)
        let grads = try conv.backward(x, dy)
        let dx = try numeric(x.scalars, dy) { try conv.forward(Tensor(shape: x.shape, scalars: $0)) }
        expectClose(grads.dx?.scalars ?? [], dx, atol: 2e-3, rtol: 1e-3, "dx")
        let weight = conv.weight
        let dw = try numeric(weight.scalars, dy) { values in
            conv.weight = try Tensor(shape: weight.shape, scalars: values)
            return try conv.forward(x)
        }
        conv.weight = weight
        expectClose(grads.dweight.scalars, dw, atol: 2e-3, rtol: 1e-3, "dweight")
        if bias {
            let b = conv.bias
            let db = try numeric(b.scalars, dy) { values in
                conv.bias = Tensor(vector: values)
                return try conv.forward(x)
            }
            expectClose(grads.dbias?.scalars ?? [], db, atol: 2e-3, rtol: 1e-3, "dbias")
        } else {
            // Without a bias the bias tensor takes no part: changing it changes nothing.
            conv.bias = Tensor(vector: [5, 5, 5])
            #expect(try conv.forward(x).scalars == Conv2d(copying: conv, bias: [0, 0, 0]).forward(x).scalars)
        }
    }

    @Test(arguments: [Pool2d.Kind.max, .average])
    func poolGradients(_ kind: Pool2d.Kind) throws {
        var generator = SeededGenerator(seed: 8)
        let pool = try Pool2d(kind, kernelSize: 2)
        // Distinct values at least 0.05 apart, so ±h never changes which element is a window's max.
        let x = try Tensor(shape: [2, 2, 5, 4], scalars: generator.sample(80, from: 80).map { Float($0) * 0.05 - 2 })
        let dy = try Tensor.randn(pool.outputShape(for: x.shape), using: &generator)
        let dx = try numeric(x.scalars, dy) { try pool.forward(Tensor(shape: x.shape, scalars: $0)) }
        expectClose(try pool.backward(x, dy).scalars, dx, atol: 2e-3, rtol: 1e-3, "\(kind) dx")
    }

    @Test func flattenKeepsTheOrderAndBackwardReshapes() throws {
        let x = try Tensor(shape: [2, 3, 1, 2], scalars: (0..<12).map(Float.init))
        let y = try Flatten.forward(x)
        #expect(y.shape == [2, 6] && y.scalars == x.scalars)
        #expect(try Flatten.backward(y, inputShape: x.shape) == x)
    }
}

extension Conv2d {
    /// A second layer with `layer`'s settings and weight and the given bias (for comparisons).
    convenience init(copying layer: Conv2d, bias: [Float]) throws {
        var generator = SeededGenerator(seed: 0)
        try self.init(inChannels: layer.inChannels, outChannels: layer.outChannels, kernelSize: layer.kernelSize,
                      stride: layer.stride, padding: layer.padding, bias: layer.hasBias, weightStd: 0, using: &generator)
        weight = layer.weight
        self.bias = Tensor(vector: bias)
    }
}
