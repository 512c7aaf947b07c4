@testable import BatchNormKit
import Testing

/// BatchNorm against vectors produced by PyTorch 2.13 (and Keras 3.15): forward in both modes,
/// running statistics after every step, backward of the first step.
@Suite struct BatchNormReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let momentum: Double??
        let eps: Double
        let affine: Bool
        /// The input shape of one step, when the stored stack flattens it.
        var inputShape: [Int]? = nil
        var testDescription: String { name }

        /// A fresh layer with this case's settings and its γ/β loaded.
        func makeLayer(channels: Int) throws -> BatchNorm {
            let bn = try BatchNorm(numFeatures: channels, eps: eps, momentum: momentum, affine: affine)
            if affine {
                try bn.setGamma(ReferenceVectors.load(name, "gamma"))
                try bn.setBeta(ReferenceVectors.load(name, "beta"))
            }
            return bn
        }
    }

    static let cases: [Case] = [
        Case(name: "bn1d_nc", momentum: 0.1, eps: 1e-5, affine: true),
        Case(name: "bn1d_ncl_cma", momentum: .some(nil), eps: 1e-5, affine: true),
        Case(name: "bn2d_nchw", momentum: 0.3, eps: 1e-3, affine: true, inputShape: [2, 3, 4, 5]),
        Case(name: "bn_zero_var", momentum: 0.1, eps: 1e-5, affine: true),
        Case(name: "bn_affine_false", momentum: 0.1, eps: 1e-5, affine: false),
        Case(name: "bn_two_rows", momentum: 0.1, eps: 1e-5, affine: true),
        Case(name: "bn_nan_inf", momentum: 0.1, eps: 1e-5, affine: true),
    ]

    @Test(arguments: cases)
    func trainingStepsMatchPyTorch(_ c: Case) throws {
        let v = { (name: String) throws -> Tensor in try ReferenceVectors.load(c.name, name) }
        let xs = try v("x_steps")
        let bn = try c.makeLayer(channels: xs.shape[2])
        #expect(!c.affine || bn.gamma.scalars != [Float](repeating: 1, count: bn.numFeatures), "fixture gamma loaded")
        let (ys, means, vars, unbiased) = (try v("y_steps"), try v("batch_mean"), try v("batch_var"), try v("batch_var_unbiased"))
        let (runningMeans, runningVars) = (try v("running_mean"), try v("running_var"))
        for step in 0..<xs.shape[0] {
            let stages = try bn.forwardStages(ReferenceVectors.step(xs, step, shape: c.inputShape))
            #expect(stages.output.shape == c.inputShape ?? Array(xs.shape.dropFirst()))
            expectClose(stages.output.scalars, try ReferenceVectors.step(ys, step).scalars, "\(c.name) y step \(step)")
            expectClose(stages.mean, try ReferenceVectors.step(means, step).scalars, "\(c.name) batch mean step \(step)")
            expectClose(stages.variance, try ReferenceVectors.step(vars, step).scalars, "\(c.name) batch var step \(step)")
            expectClose(stages.unbiasedVariance ?? [], try ReferenceVectors.step(unbiased, step).scalars,
                        "\(c.name) unbiased var step \(step)")
            expectClose(bn.runningMean.scalars, try ReferenceVectors.step(runningMeans, step).scalars,
                        "\(c.name) running_mean step \(step)")
            expectClose(bn.runningVar.scalars, try ReferenceVectors.step(runningVars, step).scalars,
                        "\(c.name) running_var step \(step)")
            #expect(bn.numBatchesTracked == step + 1)
        }
        bn.training = false
        expectClose(try bn.forward(v("x_eval")).scalars, try v("y_eval").scalars, "\(c.name) eval output")
    }

    @Test(arguments: cases)
    func backwardMatchesPyTorch(_ c: Case) throws {
        let v = { (name: String) throws -> Tensor in try ReferenceVectors.load(c.name, name) }
        let xs = try v("x_steps")
        let bn = try c.makeLayer(channels: xs.shape[2])
        let dy = try v("dy")
        let grads = try bn.backward(ReferenceVectors.step(xs, 0, shape: dy.shape), dy)
        // dx of the zero-variance channel is γ/√eps·(dy − mean dy) ≈ 400: relative tolerance carries it.
        expectClose(grads.dx.scalars, try v("dx").scalars, "\(c.name) dx")
        expectClose(grads.dgamma.scalars, try v("dgamma").scalars, "\(c.name) dgamma")
        expectClose(grads.dbeta.scalars, try v("dbeta").scalars, "\(c.name) dbeta")
        #expect(bn.numBatchesTracked == 0, "backward must not touch the running statistics")
    }

    @Test func kerasConventionMatchesKeras() throws {
        let v = { (name: String) throws -> Tensor in try ReferenceVectors.load("keras_bn", name) }
        let xs = try v("x_steps")
        let bn = try BatchNorm(numFeatures: xs.shape[2], convention: .keras)
        #expect(bn.eps == 1e-3 && bn.momentum == 0.99)
        try bn.setGamma(v("gamma"))
        try bn.setBeta(v("beta"))
        let (ys, movingMeans, movingVars) = (try v("y_steps"), try v("moving_mean"), try v("moving_variance"))
        for step in 0..<xs.shape[0] {
            let y = try bn.forward(ReferenceVectors.step(xs, step))
            expectClose(y.scalars, try ReferenceVectors.step(ys, step).scalars, "keras y step \(step)")
            expectClose(bn.runningMean.scalars, try ReferenceVectors.step(movingMeans, step).scalars, "keras moving_mean \(step)")
            expectClose(bn.runningVar.scalars, try ReferenceVectors.step(movingVars, step).scalars, "keras moving_variance \(step)")
        }
        bn.training = false
        expectClose(try bn.forward(v("x_eval")).scalars, try v("y_eval").scalars, "keras eval output")
    }

    @Test func foldingAnEvalBatchNormIntoALinearLayerMatches() throws {
        // The engine has no Linear layer yet; this checks the eval-mode BN half of the folding case.
        let v = { (name: String) throws -> Tensor in try ReferenceVectors.load("fold_linear_bn", name) }
        let (w, b, x) = (try v("W"), try v("b"), try v("x"))
        let bn = try BatchNorm(numFeatures: w.shape[0])
        try bn.setGamma(v("gamma")); try bn.setBeta(v("beta"))
        try bn.setRunningMean(v("running_mean")); try bn.setRunningVar(v("running_var"))
        bn.training = false
        var z = [Float](repeating: 0, count: x.shape[0] * w.shape[0])
        for row in 0..<x.shape[0] {
            for out in 0..<w.shape[0] {
                var sum = Double(b.scalars[out])
                for i in 0..<w.shape[1] { sum += Double(x.scalars[row * w.shape[1] + i]) * Double(w.scalars[out * w.shape[1] + i]) }
                z[row * w.shape[0] + out] = Float(sum)
            }
        }
        let y = try bn.forward(Tensor(shape: [x.shape[0], w.shape[0]], scalars: z))
        expectClose(y.scalars, try v("y").scalars, "linear → eval batchnorm")
    }
}
