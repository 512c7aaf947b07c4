import BatchNormKit

/// `rmsnorm(sizes…)`: LLaMA's norm, PyTorch's `nn.RMSNorm`; fields and printout are the shared ones.
extension RMSNorm: ShellLayer {
    static var command: CommandSpec {
        CommandSpec("rmsnorm", "an RMSNorm layer: each sample divided by its root mean square over the trailing axes (no mean, no shift)",
                    example: "rn = rmsnorm(8)", variadic: .init("sizes", .integer, "the trailing axes to normalize over, e.g. 8 or 3, 4"),
                    options: [.init("eps", .number, default: Value.format(number: RMSNorm.defaultEps),
                                    "added to the mean square before the square root (PyTorch: float32's machine epsilon)"),
                              .init("elementwise_affine", .bool, default: "true", "a learnable per-element gamma (PyTorch's weight)")]) { call throws(LabError) in
            let shape = try call.sizes()
            let layer = try call.engine { () throws(TensorError) in
                try RMSNorm(normalizedShape: shape, eps: call.number("eps") ?? RMSNorm.defaultEps,
                            elementwiseAffine: call.bool("elementwise_affine", default: true))
            }
            return .layer(layer)
        }
    }
}
