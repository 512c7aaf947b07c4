/// The sizes of one convolution or pooling applied to one input shape, checked once: what
/// forward and backward index with, and where a shape that does not fit is turned into a sentence.
///
///     H_out = ⌊(H + 2·padding − k) / stride⌋ + 1       (the same for W)
struct ConvGeometry: Equatable {
    let batch: Int
    let inChannels: Int
    let height: Int
    let width: Int
    let kernelSize: Int
    let stride: Int
    let padding: Int

    var outHeight: Int { (height + 2 * padding - kernelSize) / stride + 1 }
    var outWidth: Int { (width + 2 * padding - kernelSize) / stride + 1 }

    /// Checks that `shape` is (N, C, H, W) with `channels` channels (nil: any) and that the kernel
    /// fits inside the padded input; `layer` names the layer in the messages.
    init(input shape: [Int], channels: Int?, kernelSize: Int, stride: Int, padding: Int, layer: String) throws(TensorError) {
        guard shape.count == 4 else {
            throw .inputRank(layer: layer, expected: "(N, C, H, W)", got: shape)
        }
        if let channels, shape[1] != channels {
            throw .channelMismatch(layer: layer, expected: channels, got: shape)
        }
        let (h, w) = (shape[2], shape[3])
        guard kernelSize <= h + 2 * padding, kernelSize <= w + 2 * padding else {
            let padded = padding > 0 ? " padded by \(padding) on each side to \(h + 2 * padding)×\(w + 2 * padding)" : ""
            throw .invalidArgument("\(layer): the kernel (\(kernelSize)×\(kernelSize)) is larger than the input "
                + "\(Tensor.describe(shape: shape))'s \(h)×\(w) image\(padded); use a smaller kernel or more padding")
        }
        batch = shape[0]
        inChannels = shape[1]
        height = h
        width = w
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    var outputShape: [Int] { [batch, inChannels, outHeight, outWidth] }

    /// The kernel size, stride and padding every conv and pool layer takes, checked with one wording.
    static func checkSettings(layer: String, kernelSize: Int, stride: Int, padding: Int) throws(TensorError) {
        guard kernelSize >= 1 else { throw .invalidArgument("\(layer): the kernel size must be at least 1, got \(kernelSize)") }
        guard stride >= 1 else {
            throw .invalidArgument("\(layer): the stride must be at least 1, got \(stride) (PyTorch: non-positive stride is not supported)")
        }
        guard padding >= 0 else { throw .invalidArgument("\(layer): the padding cannot be negative, got \(padding)") }
    }
}
