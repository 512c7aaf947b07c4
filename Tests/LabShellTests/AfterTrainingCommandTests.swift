@testable import LabShell
import BatchNormKit
import Testing

/// The commands of lessons 14 and 16 as a learner types them: `diagnose` at step 0, the
/// per-step `update_ratio` of `fit` and `plot`, `calibrate` and `evaluate` on fit's split, and
/// the gradients and missing biases a linear layer shows.
@Suite struct AfterTrainingCommandTests {
    static func session(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SessionHarness {
        let s = SessionHarness()
        #expect(s.run(source), "\(s.errors)", sourceLocation: sourceLocation)
        return s
    }

    @Test func diagnoseGivesTheLossAtStepZeroAndThePerLayerStatistics() throws {
        let s = Self.session("""
            data = spirals(200)
            seed(0)
            net = mlp([2, 16, 16, 3], act: "tanh", out_init: 0)
            d = diagnose(net, data, batch: 100)
            loud = diagnose(mlp([2, 16, 16, 3], out_init: 10), data)
            """)
        #expect(s.run("loss = d.loss; logit_std = d.logit_std; act = d.act_std; ratios = d.update_ratio; g = d.grad_std"))
        #expect(abs((s.number("loss") ?? 0) - 1.0986122886681098) < 1e-6, "a zero output layer: ln 3")
        #expect(s.number("logit_std") == 0)
        #expect(s.tensor("act").count == 2 && s.tensor("act").allSatisfy { $0 > 0 })
        #expect(s.tensor("g") == [0, 0], "no gradient reaches the hidden layers through a zero output layer")
        #expect(s.tensor("ratios").count == 3, "two hidden layers and the output layer")
        #expect(s.text.contains("step 0 on 100 training samples of spirals: loss 1.0986 (ln 3 = 1.0986), logit"))
        #expect(s.text.contains("layer    act mean  act std  saturated  grad std  update/data"))
        #expect(s.run("big = loud.loss"))
        #expect((s.number("big") ?? 0) > 1.0986 + 0.3, "an output layer 10 times too large starts confidently wrong")
        let net = try #require({ if case .model(let m)? = s.variable("net") { m } else { nil } }())
        #expect(net.blocks[0].norm == nil && net.output.weightGradient != nil, "the gradients stay, as after loss.backward()")
    }

    @Test func fitRecordsTheUpdateRatioOfEveryStepAndPlotDrawsIt() {
        let s = Self.session("""
            data = spirals(200)
            net = mlp([2, 16, 16, 3])
            r = fit(net, data, epochs: 2, batch: 40)
            u = r.update_ratio
            shape = u.shape
            plot(log(u) / log(10), reference: -3)
            plot(u[:, 0])
            """)
        #expect(s.tensor("shape") == [8, 3], "160 training samples in batches of 40, 2 epochs; 3 linear layers")
        #expect(s.tensor("u").allSatisfy { $0 > 0 })
        #expect(s.text.contains("y: one mark per column, its number (0 … 2)"))
        #expect(s.text.contains("step 1 … 8   ── reference -3.0000"))
        #expect(!s.run("plot(randn(4, 11))"))
        #expect(s.lastError.contains("plot draws up to 10 columns, got 11"))
        #expect(!s.run("plot(randn(2, 2, 2))"))
        #expect(s.lastError.contains("plot draws a vector or a (steps, series) tensor, got (2, 2, 2)"))
    }

    @Test func calibrateRecomputesTheStatisticsAndEvaluateMeasuresFitsTestSplit() throws {
        let s = Self.session("""
            data = spirals(300)
            seed(0)
            net = mlp([2, 16, 16, 3], norm: "batch")
            r = fit(net, data, epochs: 3)
            e = evaluate(net, data)
            acc = e.accuracy
            last = r.test_accuracy[-1]
            before = net.blocks[0].norm.running_mean
            calibrate(net, data)
            after = net.blocks[0].norm.running_mean
            n = net.blocks[0].norm.num_batches_tracked
            """)
        #expect(s.number("acc").map { Float($0) } == s.number("last").map { Float($0) }, "evaluate is fit's test column")
        #expect(s.number("n") == 8, "240 training samples in batches of 32: 7 of 32 and one of 16")
        #expect(s.tensor("before") != s.tensor("after"))
        #expect(s.text.contains("recalibrated 2 batchnorm layers: running statistics reset, then averaged over 8"))
        #expect(s.text.contains("eval mode on the 60 test samples of spirals: loss"))
        let net = try #require({ if case .model(let m)? = s.variable("net") { m } else { nil } }())
        #expect((net.blocks[0].norm as? BatchNorm)?.momentum == 0.1, "the momentum is restored")
        #expect(net.training, "and the mode")
        #expect(s.run("calibrate(mlp([2, 8, 3]), data)"))
        #expect(s.text.contains("no batchnorm with running statistics in this net: nothing to calibrate"))
        #expect(!s.run("calibrate(net, data, batch: 1)"))
        #expect(s.lastError.contains("batch must be at least 2"))
        #expect(!s.run("evaluate(net, digits())"))
        #expect(s.lastError.contains("digits has 64 features and 10 classes, but the model takes 2 inputs"))
        #expect(!s.run("evaluate(data, net)"))
        #expect(s.lastError.contains("evaluate needs a model from mlp(…) or cnn(…), got the data set spirals"))
    }

    @Test func biasFalseLeavesTheHiddenLayersWithoutABiasAndTheirGradientsShow() {
        let s = Self.session("""
            data = spirals(200)
            seed(0)
            net = mlp([2, 16, 16, 3], norm: "batch")
            seed(0)
            lean = mlp([2, 16, 16, 3], norm: "batch", bias: false)
            saved = net.parameters - lean.parameters
            d = diagnose(net, data)
            db = max(abs(net.blocks[0].linear.bias_grad))
            dw = max(abs(net.blocks[0].linear.weight_grad))
            out = max(abs(net.output.bias_grad))
            b = lean.blocks[0].linear.bias
            lean.blocks[0].linear
            """)
        #expect(s.number("saved") == 32)
        #expect((s.number("db") ?? 1) < 1e-6)
        #expect((s.number("dw") ?? 0) > 1e-3 && (s.number("out") ?? 0) > 1e-3)
        if case .none? = s.variable("b") {} else { Issue.record("a layer without bias shows bias none") }
        #expect(s.text.contains("linear(2 → 16, no bias): y = x·Wᵀ, as PyTorch's nn.Linear(…, bias=False)"))
        #expect(s.run("g = mlp([2, 3]).output.weight_grad"))
        if case .none? = s.variable("g") {} else { Issue.record("no gradient before a backward pass") }
        #expect(!s.run("lean.blocks[0].linear.bias = 1"))
        #expect(s.lastError.contains("linear(2 → 16, no bias) was made with bias: false, so it has no bias to set"))
        #expect(!s.run("mlp([2, 3], out_init: -1)"))
        #expect(s.lastError.contains("out_init must be a finite number ≥ 0"))
    }
}
