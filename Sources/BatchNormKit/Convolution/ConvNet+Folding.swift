extension Folding {
    /// Folds each eval-mode BatchNorm2d into the convolution before it, as for an MLP: with
    /// s = γ/√(running_var + ε), per output channel o,
    ///     W′_o = s_o·W_o (all C_in·k² weights of the channel)      b′_o = s_o·(b_o − running_mean_o) + β_o
    /// because BatchNorm2d is the same affine map at every position of channel o. Returns a new
    /// net without norms, in eval mode, with the same outputs as `net` in eval mode; `net` is not
    /// changed. A net without norms is copied; GroupNorm cannot be folded (it uses each sample's statistics).
    public static func fold(_ net: ConvNet) throws(TensorError) -> ConvNet {
        guard net.normKind == .none || net.normKind == .batch else {
            throw .invalidArgument("only batchnorm can be folded: \(net.normKind.shortName ?? "") normalizes each "
                + "sample with that sample's own statistics, so it is not a fixed affine map at inference")
        }
        var blocks: [ConvBlock] = []
        for block in net.blocks {
            let conv = block.conv
            var weight = conv.weight.scalars, bias = conv.bias.scalars
            // A block without BatchNorm is copied as it is; a folded one gains β and μ in its bias.
            var hasBias = conv.hasBias
            if let bn = block.trainableNorm as? BatchNorm {
                hasBias = true
                try checkFoldable(bn)
                let perChannel = conv.inChannels * conv.kernelSize * conv.kernelSize
                for o in 0..<conv.outChannels {
                    let s = Double(bn.gamma.scalars[o]) / (Double(bn.runningVar.scalars[o]) + bn.eps).squareRoot()
                    for i in (o * perChannel)..<((o + 1) * perChannel) { weight[i] = Float(s * Double(weight[i])) }
                    let shifted = Double(bias[o]) - Double(bn.runningMean.scalars[o])
                    bias[o] = Float(s * shifted + Double(bn.beta.scalars[o]))
                }
            }
            let folded = Conv2d(weight: Tensor(uncheckedShape: conv.weight.shape, scalars: weight),
                                bias: Tensor(vector: bias), hasBias: hasBias, stride: conv.stride, padding: conv.padding)
            blocks.append(ConvBlock(conv: folded, normKind: .none, norm: nil, activation: block.activation, pool: block.pool))
        }
        let output = try Linear(weight: net.output.weight, bias: net.output.bias, hasBias: net.output.hasBias)
        let result = ConvNet(channels: net.channels, classes: net.classes, imageSize: net.imageSize, norm: .none,
                             groups: net.groups, blocks: blocks, output: output)
        result.training = false
        return result
    }
}
