import BatchNormKit

/// `groupnorm(G, C)`: each sample's channels normalized in G groups.
extension GroupNorm: ShellLayer {
    static let groups = Param.integer("G", "number of groups (must divide C)")
    static let channels = Param.integer("C", "number of channels")
    static let epsParameter = Param.eps(default: GroupNorm.defaultEps)
    static let affineParameter = Param.bool("affine", default: true, "learnable per-channel gamma and beta")

    static var command: CommandSpec {
        CommandSpec("groupnorm", "a GroupNorm layer: each sample's channels normalized in G groups", brief: "a GroupNorm layer: each sample's channels in G groups",
                    example: "gn = groupnorm(2, 8)", pytorch: "gn = torch.nn.GroupNorm(2, 8) # eps=1e-05, affine=True",
                    positional: [Self.groups, Self.channels], options: [Self.epsParameter, Self.affineParameter]) { call throws(LabError) in
            let (g, c) = (call[Self.groups], call[Self.channels])
            let layer = try call.engine { () throws(TensorError) in
                try GroupNorm(numGroups: g, numChannels: c, eps: call[Self.epsParameter], affine: call[Self.affineParameter])
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): \(numGroups) groups of \(numChannels / numGroups) channels, statistics per sample and group, "
            + "eps \(NumberFormat.shortest(eps)), " + (affine ? "affine" : "affine false") + " (no running stats)"
            + (affine ? "\n" + formatter.indent(formatter.channelTable([("gamma", gamma), ("beta", beta)])) : "")
    }
}
