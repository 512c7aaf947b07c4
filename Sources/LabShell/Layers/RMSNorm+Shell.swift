import BatchNormKit

/// `rmsnorm(sizes…)`: LLaMA's norm, PyTorch's `nn.RMSNorm`; fields and printout are the shared ones.
extension RMSNorm: ShellLayer {
    static let sizes = Param.integer("sizes", "the trailing axes to normalize over, e.g. 8 or 3, 4")
    static let epsParameter = Param.number("eps", default: RMSNorm.defaultEps,
                                           "added to the mean square before the square root (PyTorch: float32's machine epsilon)")
    static let affineParameter = Param.bool("elementwise_affine", default: true, "a learnable per-element gamma (PyTorch's weight)")

    static var command: CommandSpec {
        CommandSpec("rmsnorm", "an RMSNorm layer: each sample divided by its root mean square over the trailing axes (no mean, no shift)", brief: "an RMSNorm layer: divide by the root mean square, no shift",
                    example: "rn = rmsnorm(8)", pytorch: "rn = torch.nn.RMSNorm(8) # eps=None means torch.finfo(x.dtype).eps; a weight, no bias", variadic: Self.sizes,
                    options: [Self.epsParameter, Self.affineParameter]) { call throws(LabError) in
            let shape = try call.sizes()
            let layer = try call.engine { () throws(TensorError) in
                try RMSNorm(normalizedShape: shape, eps: call[Self.epsParameter], elementwiseAffine: call[Self.affineParameter])
            }
            return .layer(layer)
        }
    }
}
