@testable import LabShell
import BatchNormKit
import Testing

/// Networks a learner can call and open: `net(x)` runs the forward pass in the net's mode,
/// `net.blocks[i]` holds the net's own layers (so the layer commands act on the network), and
/// `activations(net, x)` shows each block's tensors without changing the net.
@Suite struct NetworkTests {
    /// A small trained network with BatchNorm before each relu, and its data.
    static func trainedSession(norm: String = "batch") -> SessionHarness {
        let s = SessionHarness()
        s.run("""
        data = spirals(200)
        net = mlp([2, 16, 16, 3], norm: "\(norm)")
        r = fit(net, data, epochs: 3)
        """)
        return s
    }

    static func model(_ s: SessionHarness) -> MLP? {
        if case .model(let m)? = s.variable("net") { return m }
        return nil
    }

    // MARK: - net(x)

    @Test func callingANetGivesItsLogitsAndInTrainingModeMovesTheRunningStatistics() throws {
        let s = Self.trainedSession()
        #expect(s.run("b = net.blocks[0].norm; n0 = b.num_batches_tracked; y = net(data.x); n1 = b.num_batches_tracked"), "\(s.errors)")
        #expect(s.number("n1") == s.number("n0")! + 1)
        guard case .tensor(let y)? = s.variable("y") else { Issue.record("y is not a tensor"); return }
        #expect(y.shape == [200, 3])
        // Eval mode uses the running statistics and leaves them alone: the same logits twice, and
        // the same as the kit's forward pass.
        #expect(s.run("eval(net); e1 = net(data.x); e2 = net(data.x); n2 = b.num_batches_tracked; m1 = b.running_mean"), "\(s.errors)")
        #expect(s.number("n2") == s.number("n1"))
        #expect(s.tensor("e1") == s.tensor("e2"))
        let net = try #require(Self.model(s))
        guard case .dataset(let data)? = s.variable("data") else { Issue.record("no data"); return }
        #expect(try net.forward(data.x).scalars == s.tensor("e1"))
    }

    @Test func aWrongShapeNamesTheFeaturesTheNetExpects() {
        let s = SessionHarness()
        #expect(!s.run("net = mlp([2, 8, 3]); net(randn(4, 5))"))
        #expect(s.lastError.contains("this model takes 2 features per sample, shape (N, 2); the input has shape (4, 5)"), "\(s.lastError)")
        #expect(!s.run("net(3)"))
        #expect(s.lastError.contains("a model is called with one tensor, as in logits = net(x); got a number"), "\(s.lastError)")
    }

    // MARK: - Opening a network

    @Test func aBlockHoldsTheNetsOwnLayers() throws {
        let s = Self.trainedSession()
        let net = try #require(Self.model(s))
        #expect(s.run("k = net.blocks[1]; act = k.activation; order = k.order"), "\(s.errors)")
        #expect({ if case .string("relu")? = s.variable("act") { true } else { false } }())
        #expect({ if case .string("pre")? = s.variable("order") { true } else { false } }())
        // The norm and the linear are the network's objects, not copies.
        guard case .record(let block)? = s.variable("k"), case .layer(let norm)? = block["norm"],
              case .linear(let linear)? = block["linear"] else { Issue.record("k is not a block record"); return }
        #expect(norm === net.blocks[1].norm)
        #expect(linear === net.blocks[1].linear)
        // What a layer command does to it, the network sees.
        #expect(s.run("net.blocks[1].norm.momentum = 0.5; eval(net.blocks[1].norm)"), "\(s.errors)")
        let bn = try #require(net.blocks[1].norm as? BatchNorm)
        #expect(bn.momentum == 0.5)
        #expect(!bn.training)
        #expect(s.run("train(net.blocks[1].norm); a = activations(net, data.x); h = a[1].before_norm"), "\(s.errors)")
        let before = bn.numBatchesTracked
        #expect(s.run("step(net.blocks[1].norm, h)"), "\(s.errors)")
        #expect(bn.numBatchesTracked == before + 1)
        for line in ["compare(net.blocks[1].norm, h)", "stats(h)", "hist(h, net.blocks[1].norm(h))",
                     "g = backward(net.blocks[1].norm, h, h)"] {
            #expect(s.run(line), "\(line): \(s.lastError)")
        }
        #expect(!s.run("nb = net.blocks[2]"), "there is no third block")
        #expect(s.lastError.contains("index 2 is out of range for a list of 2"), "\(s.lastError)")
    }

    @Test func layersListsThemAsNNSequentialDoes() {
        let s = SessionHarness()
        #expect(s.run("net = mlp([2, 8, 8, 3], norm: \"batch\"); L = net.layers"), "\(s.errors)")
        guard case .list(let layers)? = s.variable("L") else { Issue.record("net.layers is not a list"); return }
        let kinds = layers.map { value -> String in
            switch value {
            case .linear(let l): l.layerName
            case .layer(let l): l.layerName
            case .string(let name): name
            default: value.typeName
            }
        }
        #expect(kinds == ["linear(2 → 8)", "batchnorm(8)", "relu", "linear(8 → 8)", "batchnorm(8)", "relu", "linear(8 → 3)"])
        #expect(s.run("post = mlp([2, 8, 3], norm: \"layer\", order: \"post\", act: \"tanh\"); P = post.layers"), "\(s.errors)")
        guard case .list(let post)? = s.variable("P") else { Issue.record("post.layers is not a list"); return }
        #expect(post.count == 4)
        #expect({ if case .string("tanh") = post[1], case .layer = post[2] { true } else { false } }())
    }

    @Test func aLinearLayerComputesXTimesWTransposedPlusB() throws {
        let s = SessionHarness()
        #expect(s.run("net = mlp([3, 2, 4]); lin = net.blocks[0].linear; lin.bias = [0.5, -1]; x = randn(5, 3); y = lin(x)"),
                "\(s.errors)")
        let w = try #require({ if case .linear(let l)? = s.variable("lin") { l } else { nil } }())
        #expect(w.weight.shape == [2, 3])
        let x = s.tensor("x"), y = s.tensor("y")
        for row in 0..<5 {
            for o in 0..<2 {
                var sum = Double(w.bias.scalars[o])
                for i in 0..<3 { sum += Double(x[row * 3 + i]) * Double(w.weight.scalars[o * 3 + i]) }
                #expect(abs(Double(y[row * 2 + o]) - sum) < 1e-5)
            }
        }
        #expect(w.bias.scalars == [0.5, -1])
        #expect(!s.run("lin.weight = zeros(3, 2)"))
        #expect(s.lastError.contains("weight of linear(3 → 2) must have shape (2, 3), got (3, 2)"), "\(s.lastError)")
        #expect(!s.run("lin.in_features = 4"))
        #expect(s.lastError.contains("read-only"), "\(s.lastError)")
        #expect(!s.run("lin(randn(5, 2))"))
        #expect(s.lastError.contains("linear(3 → 2)"), "\(s.lastError)")
    }

    @Test func tabCompletionOpensTheNetwork() {
        let s = SessionHarness()
        s.run("net = mlp([2, 8, 3], norm: \"batch\")")
        let completer = Completer(interpreter: s.interpreter)
        #expect(completer.candidates(line: "net.bl", wordStart: 4, prefix: "bl") == ["blocks"])
        #expect(completer.candidates(line: "net.", wordStart: 4, prefix: "").contains("layers"))
        #expect(completer.candidates(line: "net.blocks[0].", wordStart: 14, prefix: "") == ["activation", "linear", "norm", "order"])
        #expect(completer.candidates(line: "step(net.blocks[0].norm.run", wordStart: 24, prefix: "run") == ["running_mean", "running_var"])
        #expect(completer.candidates(line: "net.output.w", wordStart: 11, prefix: "w") == ["weight", "weight_grad"])
    }

    // MARK: - activations

    /// Inside a trained net in training mode, BatchNorm's output is γ·x̂ + β with x̂ of mean 0 and
    /// variance 1 per channel over the batch, and it is exactly what the layer itself computes
    /// from before_norm; looking changes no running statistic.
    @Test func activationsShowBatchNormAtWorkInsideATrainedNet() throws {
        let s = Self.trainedSession()
        let net = try #require(Self.model(s))
        let bn = try #require(net.blocks[1].norm as? BatchNorm)
        let (tracked, runningMean) = (bn.numBatchesTracked, bn.runningMean.scalars)
        #expect(s.run("a = activations(net, data.x); before = a[1].before_norm; after = a[1].after_norm"), "\(s.errors)")
        #expect(bn.numBatchesTracked == tracked)
        #expect(bn.runningMean.scalars == runningMean)
        let before = s.tensor("before"), after = s.tensor("after")
        #expect(before.count == 200 * 16 && after.count == 200 * 16)
        for c in 0..<16 {
            let (gamma, beta) = (Double(bn.gamma.scalars[c]), Double(bn.beta.scalars[c]))
            let xhat = (0..<200).map { (Double(after[$0 * 16 + c]) - beta) / gamma }
            let mean = xhat.reduce(0, +) / 200
            let variance = xhat.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200
            // float32 through γ, β and back: a few 1e-5; the variance is σ²/(σ² + ε), a hair under 1.
            #expect(abs(mean) < 1e-4, "channel \(c): mean \(mean)")
            #expect(abs(variance - 1) < 1e-3, "channel \(c): variance \(variance)")
        }
        // The same kernel on the same input: bit for bit what the layer gives (its call moves the stats, after the look).
        #expect(s.run("d = max(abs(net.blocks[1].norm(before) - after)); hist(before, after)"), "\(s.errors)")
        #expect(s.number("d") == 0)
        #expect(s.output.last?.contains("before") == true, "\(s.output.last ?? "")")
        // The first block's input is the data; each block's output is the next one's input.
        #expect(s.run("d0 = max(abs(a[0].input - data.x)); d1 = max(abs(a[0].output - a[1].input))"), "\(s.errors)")
        #expect(s.number("d0") == 0 && s.number("d1") == 0)
    }

    @Test func activationsInEvalModeUseTheRunningStatisticsAndWithoutANormPassZThrough() {
        let s = Self.trainedSession()
        #expect(s.run("eval(net); a = activations(net, data.x); d = max(abs(net.blocks[0].norm(a[0].before_norm) - a[0].after_norm))"),
                "\(s.errors)")
        #expect(s.number("d") == 0)
        #expect(s.run("plain = mlp([2, 8, 3]); p = activations(plain, randn(10, 2)); e = max(abs(p[0].after_norm - p[0].before_norm))"),
                "\(s.errors)")
        #expect(s.number("e") == 0)
        #expect(!s.run("activations(net.blocks[0].norm, randn(4, 2))"))
        #expect(s.lastError.contains("activations needs a model from mlp(…) or cnn(…), got a layer batchnorm(16)"), "\(s.lastError)")
    }

    // MARK: - fold, checked by the learner

    @Test func aFoldedNetGivesTheSameLogits() {
        let s = Self.trainedSession()
        #expect(!s.run("small = fold(net)"), "folding needs eval mode")
        #expect(s.run("eval(net); small = fold(net); d = max(abs(net(data.x) - small(data.x)))"), "\(s.errors)")
        let d = s.number("d") ?? .infinity
        #expect(d < 1e-4, "largest difference \(d)")
    }
}
