import BatchNormKit

/// `groupnorm(G, C)`: each sample's channels normalized in G groups.
extension GroupNorm: ShellLayer {
    static var command: CommandSpec {
        CommandSpec("groupnorm", "a GroupNorm layer: each sample's channels normalized in G groups",
                    example: "gn = groupnorm(2, 8)",
                    positional: [.init("G", .integer, "number of groups (must divide C)"), .init("C", .integer, "number of channels")],
                    options: [.eps(), .init("affine", .bool, default: "true", "learnable per-channel gamma and beta")]) { call throws(LabError) in
            let (g, c) = (call.integer("G"), call.integer("C"))
            let layer = try call.engine { () throws(TensorError) in
                try GroupNorm(numGroups: g, numChannels: c, eps: call.number("eps") ?? 1e-5, affine: call.bool("affine", default: true))
            }
            return .layer(layer)
        }
    }

    func render(with formatter: ValueFormatter) -> String {
        "\(layerName): \(numGroups) groups of \(numChannels / numGroups) channels, statistics per sample and group, "
            + "eps \(Value.format(number: eps)), " + (affine ? "affine" : "affine false") + " (no running stats)"
            + (affine ? "\n" + formatter.indent(formatter.channelTable([("gamma", gamma), ("beta", beta)])) : "")
    }
}
