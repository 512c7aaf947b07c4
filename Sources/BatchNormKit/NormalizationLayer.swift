/// What every normalization layer offers the shell: a name, a mode, and a forward pass.
public protocol NormalizationLayer: AnyObject {
    /// How the layer is written in the language, e.g. `batchnorm(8)`.
    var layerName: String { get }
    /// Training mode (batch statistics) vs eval mode (running statistics, where the layer has them).
    var training: Bool { get set }
    func forward(_ x: Tensor) throws(TensorError) -> Tensor
}
