import BatchNormKit

/// `instancenorm(C)`: each sample's channel normalized over its positions.
extension InstanceNorm: ShellLayer {
    static let channels = Param.integer("C", "number of channels")
    static let epsParameter = Param.eps(default: InstanceNorm.defaultEps)
    static let affineParameter = Param.bool("affine", default: false, "learnable per-channel gamma and beta")

    static var command: CommandSpec {
        CommandSpec("instancenorm", "an InstanceNorm layer: each sample's channel normalized over its positions", brief: "an InstanceNorm layer: each sample's channel on its own",
                    example: "inn = instancenorm(8)", pytorch: "inn = torch.nn.InstanceNorm1d(8) # InstanceNorm2d for (N, C, H, W); affine=False, track_running_stats=False", positional: [Self.channels],
                    options: [Self.epsParameter, Self.affineParameter]) { call throws(LabError) in
            let c = call[Self.channels]
            let layer = try call.engine { () throws(TensorError) in
                try InstanceNorm(numFeatures: c, eps: call[Self.epsParameter], affine: call[Self.affineParameter])
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): statistics per sample and channel over positions, eps \(NumberFormat.shortest(eps)), "
            + (affine ? "affine" : "affine false") + " (no running stats, PyTorch's default)"
            + (affine ? "\n" + formatter.indent(formatter.channelTable([("gamma", gamma), ("beta", beta)])) : "")
    }
}
