@testable import LabShell
import BatchNormKit
import Testing

/// Conv layers and conv nets at the prompt: layers called on images with PyTorch's fields, a
/// `cnn` opened like an `mlp`, and shape errors as one-line messages at the call.
@Suite struct ConvShellTests {
    @Test func convLayersAreCalledOnImagesAndShowTheirFields() {
        let s = SessionHarness()
        #expect(s.run("""
            seed(1)
            data = digits(images: true)
            x = data.x[0:4]
            c = conv2d(1, 8, 3, padding: 1)
            y = c(x)
            ys = y.shape
            ws = c.weight.shape
            bs = c.bias.shape
            ps = maxpool(2)(y).shape
            a = avgpool(2)(y)
            f = flatten()(a).shape
            manual = mean(y[:, :, 0:2, 0:2], axis: [2, 3])
            d = max(abs(a[:, :, 0, 0] - manual))
            """), "\(s.errors)")
        #expect(s.tensor("ys") == [4, 8, 8, 8] && s.tensor("ws") == [8, 1, 3, 3] && s.tensor("bs") == [8])
        #expect(s.tensor("ps") == [4, 8, 4, 4] && s.tensor("f") == [4, 128])
        #expect((s.number("d") ?? 1) < 1e-6, "avgpool's first window is the mean of y's top-left 2×2")
        #expect(s.run("c.weight = 0; z = max(abs(c(x))); c.bias = 1; o = min(c(x))"), "\(s.errors)")
        #expect(s.number("z") == 0 && s.number("o") == 1)
        #expect(!s.run("conv2d(1, 8, 3, bias: false).bias = 1"))
        #expect(s.lastError.contains("read-only (the layer has no bias)"), "\(s.lastError)")
    }

    @Test func badShapesAreOneLineErrorsAtTheCall() {
        let s = SessionHarness()
        s.run("data = digits(images: true)")
        #expect(!s.run("conv2d(3, 8, 3)(data.x[0:2])"))
        #expect(s.lastError.hasSuffix("error: conv2d(3 → 8, 3×3) has 3 channels, but the input's axis 1 has 1 (shape (2, 1, 8, 8))"), "\(s.lastError)")
        #expect(!s.run("conv2d(1, 8, 11)(data.x[0:2])"))
        #expect(s.lastError.contains("the kernel (11×11) is larger than the input (2, 1, 8, 8)'s 8×8 image"), "\(s.lastError)")
        #expect(!s.run("conv2d(1, 8, 3, stride: 0)"))
        #expect(s.lastError.contains("the stride must be at least 1, got 0"), "\(s.lastError)")
        #expect(!s.run("maxpool(2)(data.x[0:2, 0, 0])"))
        #expect(s.lastError.contains("maxpool(2) expects (N, C, H, W) input, got shape (2, 8)"), "\(s.lastError)")
        #expect(!s.run("cnn([1, 8, 8, 8, 8])"))
        #expect(s.lastError.contains("4 stages halve a 8×8 image 4 times"), "\(s.lastError)")
        #expect(s.errors.allSatisfy { !$0.contains("\n") })
    }

    @Test func aConvNetOpensLikeAnMLP() {
        let s = SessionHarness()
        #expect(s.run("""
            seed(2)
            data = digits(images: true)
            net = cnn([1, 8, 16], classes: 10, norm: "batch")
            bn = net.blocks[0].norm
            n0 = bn.num_batches_tracked
            r = fit(net, data, epochs: 1, lr: 0.03)
            n1 = bn.num_batches_tracked
            eval(net)
            mode = net.blocks[1].norm.training
            a = activations(net, data.x[0:16])
            z = net.blocks[0].conv(data.x[0:16])
            d = max(abs(a[0].conv_output - z))
            e = max(abs(net.blocks[0].norm(z) - a[0].after_norm))
            logits = net(data.x[0:3]).shape
            layers = net.layers
            """), "\(s.errors)")
        #expect(s.number("n1") == s.number("n0")! + 45, "1438 training samples in batches of 32: 45 steps")
        #expect(s.variable("mode").map { if case .bool(false) = $0 { true } else { false } } == true)
        #expect(s.number("d") == 0 && s.number("e") == 0, "activations shows the net's own conv and (eval-mode) norm")
        #expect(s.tensor("logits") == [3, 10])
        if case .list(let layers)? = s.variable("layers") { #expect(layers.count == 10) } else { Issue.record("no layers") }
        #expect(s.text.contains("training cnn 1 → 8 → 16 channels on 8×8 images → 10 classes with batchnorm"))
    }

    @Test func fitSaysWhichNetFitsTheData() {
        let s = SessionHarness()
        #expect(!s.run("net = cnn([1, 8]); fit(net, spirals(100))"))
        #expect(s.lastError.contains("try cnn([1, 8, 16], classes: 3, size: 8) on images such as digits(images: true)"), "\(s.lastError)")
    }

    /// diagnose, calibrate, evaluate and fold take a cnn as they take an mlp.
    @Test func afterTrainingCommandsTakeAConvNet() {
        let s = SessionHarness()
        #expect(s.run("""
            seed(2)
            d = digits(images: true)
            net = cnn([1, 4], classes: 10)
            g = diagnose(net, d)
            r = fit(net, d, epochs: 1)
            calibrate(net, d)
            e = evaluate(net, d)
            eval(net)
            small = fold(net)
            f = evaluate(small, d)
            gap = max(abs(net(d.x) - small(d.x)))
            same = e.accuracy == f.accuracy
            train(net)
            one = diagnose(net, d, batch: 1)
            """), "BatchNorm2d has H·W values per channel even at batch 1: \(s.errors)")
        #expect(s.text.contains("step 0 on 256 training samples of digits"), "\(s.text)")
        #expect(s.text.contains("recalibrated 1 batchnorm layer"), "\(s.text)")
        #expect(s.text.contains("folded 1 batchnorm layer into the convolution before each"), "\(s.text)")
        #expect((s.number("gap") ?? 1) < 1e-4, "eval-mode outputs survive the fold")
        guard case .bool(true)? = s.variable("same") else { Issue.record("the folded net classifies the test set differently"); return }
    }
}
