import BatchNormKit

/// `layernorm(sizes…)`: each sample normalized over its trailing axes.
extension LayerNorm: ShellLayer {
    static var command: CommandSpec {
        CommandSpec("layernorm", "a LayerNorm layer: each sample normalized over its trailing axes",
                    example: "ln = layernorm(8)", variadic: .init("sizes", .integer, "the trailing axes to normalize over, e.g. 8 or 3, 4"),
                    options: [.eps(), .init("elementwise_affine", .bool, default: "true", "learnable per-element gamma and beta")]) { call throws(LabError) in
            let shape = try call.sizes()
            let layer = try call.engine { () throws(TensorError) in
                try LayerNorm(normalizedShape: shape, eps: call.number("eps") ?? 1e-5,
                              elementwiseAffine: call.bool("elementwise_affine", default: true))
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): normalizes each sample over its trailing axes \(Tensor.describe(shape: normalizedShape)), "
            + "eps \(Value.format(number: eps)), " + (elementwiseAffine ? "elementwise affine" : "no affine")
            + " (the same in training and eval mode)"
    }
}
