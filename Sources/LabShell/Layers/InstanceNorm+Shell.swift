import BatchNormKit

/// `instancenorm(C)`: each sample's channel normalized over its positions.
extension InstanceNorm: ShellLayer {
    static var command: CommandSpec {
        CommandSpec("instancenorm", "an InstanceNorm layer: each sample's channel normalized over its positions",
                    example: "inn = instancenorm(8)", positional: [.init("C", .integer, "number of channels")],
                    options: [.eps(), .init("affine", .bool, default: "false", "learnable per-channel gamma and beta")]) { call throws(LabError) in
            let c = call.integer("C")
            let layer = try call.engine { () throws(TensorError) in
                try InstanceNorm(numFeatures: c, eps: call.number("eps") ?? 1e-5, affine: call.bool("affine", default: false))
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): statistics per sample and channel over positions, eps \(Value.format(number: eps)), "
            + (affine ? "affine" : "affine false") + " (no running stats, PyTorch's default)"
            + (affine ? "\n" + formatter.indent(formatter.channelTable([("gamma", gamma), ("beta", beta)])) : "")
    }
}
