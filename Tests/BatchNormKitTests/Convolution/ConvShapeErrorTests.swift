@testable import BatchNormKit
import Testing

/// Shapes that do not fit are one-sentence errors naming the shapes, raised before anything is allocated.
@Suite struct ConvShapeErrorTests {
    func conv(_ cIn: Int, _ cOut: Int, _ k: Int, stride: Int = 1, padding: Int = 0) throws(TensorError) -> Conv2d {
        var generator = SeededGenerator(seed: 0)
        return try Conv2d(inChannels: cIn, outChannels: cOut, kernelSize: k, stride: stride, padding: padding, weightStd: 1, using: &generator)
    }

    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return (error as? TensorError)?.description ?? "\(error)" }
    }

    @Test func kernelLargerThanThePaddedInput() throws {
        let layer = try conv(1, 2, 5, padding: 1)
        let text = message { _ = try layer.forward(Tensor(repeating: 0, shape: [1, 1, 2, 2])) }
        #expect(text == "conv2d(1 → 2, 5×5, padding 1): the kernel (5×5) is larger than the input (1, 1, 2, 2)'s 2×2 image "
            + "padded by 1 on each side to 4×4; use a smaller kernel or more padding")
        #expect(message { _ = try Pool2d(.max, kernelSize: 3).forward(Tensor(repeating: 0, shape: [1, 1, 2, 5])) }
            .hasPrefix("maxpool(3): the kernel (3×3) is larger than the input (1, 1, 2, 5)'s 2×5 image;"))
    }

    @Test func channelsThatDoNotMatch() throws {
        let layer = try conv(3, 2, 3)
        #expect(message { _ = try layer.forward(Tensor(repeating: 0, shape: [4, 1, 8, 8])) }
            == "conv2d(3 → 2, 3×3) has 3 channels, but the input's axis 1 has 1 (shape (4, 1, 8, 8))")
        #expect(message { _ = try layer.forward(Tensor(repeating: 0, shape: [4, 64])) }
            == "conv2d(3 → 2, 3×3) expects (N, C, H, W) input, got shape (4, 64)")
    }

    @Test func strideZeroAndOtherSettings() {
        #expect(message { _ = try conv(1, 2, 3, stride: 0) }
            == "conv2d(1 → 2, 3×3, stride 0): the stride must be at least 1, got 0 (PyTorch: non-positive stride is not supported)")
        #expect(message { _ = try conv(1, 2, 0) }.contains("the kernel size must be at least 1, got 0"))
        #expect(message { _ = try conv(1, 2, 3, padding: -1) }.contains("the padding cannot be negative, got -1"))
        #expect(message { _ = try conv(0, 2, 3) }.contains("at least 1 input and 1 output channel"))
        #expect(message { _ = try Pool2d(.average, kernelSize: 0) }.contains("avgpool(0): the kernel size must be at least 1"))
    }

    @Test func gradientOfAnotherShape() throws {
        let layer = try conv(1, 2, 3)
        let x = try Tensor(repeating: 1, shape: [1, 1, 4, 4])
        #expect(message { _ = try layer.backward(x, Tensor(repeating: 0, shape: [1, 2, 4, 4])) }
            == "dy of conv2d(1 → 2, 3×3) must have the output's shape (1, 2, 2, 2), got (1, 2, 4, 4)")
    }

    /// The patch buffer (C_in·k²·H_out·W_out) is checked against the cap before it is allocated.
    /// The test uses the default cap (a 63×63 kernel over a 2048×2048 image would need 3969 · 2048²
    /// ≈ 1.7·10¹⁰ patch values) rather than lowering it: the cap is process-wide and tests run in parallel.
    @Test func patchBufferIsCapped() throws {
        let layer = try conv(1, 1, 63, padding: 31)
        let x = try Tensor(repeating: 1, shape: [1, 1, 2048, 2048])
        #expect(message { _ = try layer.forward(x) }
            .hasPrefix("a tensor of shape (3969, 4194304) is larger than the limit of \(TensorLimits.defaultMaxElements) elements"))
    }
}
