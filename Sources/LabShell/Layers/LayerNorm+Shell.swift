import BatchNormKit

/// `layernorm(sizes…)`: each sample normalized over its trailing axes.
extension LayerNorm: ShellLayer {
    static let sizes = Param.integer("sizes", "the trailing axes to normalize over, e.g. 8 or 3, 4")
    static let epsParameter = Param.eps(default: LayerNorm.defaultEps)
    static let affineParameter = Param.bool("elementwise_affine", default: true, "learnable per-element gamma and beta")

    static var command: CommandSpec {
        CommandSpec("layernorm", "a LayerNorm layer: each sample normalized over its trailing axes", brief: "a LayerNorm layer: each sample over its trailing axes",
                    example: "ln = layernorm(8)", pytorch: "ln = torch.nn.LayerNorm(8) # eps=1e-05, elementwise_affine=True", variadic: Self.sizes,
                    options: [Self.epsParameter, Self.affineParameter]) { call throws(LabError) in
            let shape = try call.sizes()
            let layer = try call.engine { () throws(TensorError) in
                try LayerNorm(normalizedShape: shape, eps: call[Self.epsParameter], elementwiseAffine: call[Self.affineParameter])
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): normalizes each sample over its trailing axes \(Tensor.describe(shape: normalizedShape)), "
            + "eps \(NumberFormat.shortest(eps)), " + (elementwiseAffine ? "elementwise affine" : "no affine")
            + " (the same in training and eval mode)"
    }
}
