/// BatchNorm folding: at inference an eval-mode BatchNorm is a fixed per-channel affine map, so it
/// can be merged into the Linear layer before it and cost nothing, as deployment tools do.
public enum Folding {
    /// Folds each eval-mode BatchNorm into the Linear before it. With s = γ/√(running_var + ε),
    /// per output row o:
    ///     W′_o = s_o·W_o        b′_o = s_o·(b_o − running_mean_o) + β_o
    /// because γ·(Wx + b − μ)·(1/√(σ² + ε)) + β = (s·W)x + s·(b − μ) + β.
    /// Only valid for order `.pre` (Linear directly before BatchNorm) and eval mode. Returns a new model without
    /// BatchNorm layers, in eval mode, giving the same outputs as `model` in eval mode; `model`
    /// itself is not changed. A model without norms is copied.
    public static func fold(_ model: MLP) throws(TensorError) -> MLP {
        // Every norm but BatchNorm (in eval mode) depends on the sample itself.
        if model.normKind != .none, model.normKind != .batch {
            throw .invalidArgument("only batchnorm can be folded: \(model.normKind.shortName ?? "") normalizes each "
                + "sample with that sample's own statistics, so it is not a fixed affine map at inference")
        }
        if model.normKind == .batch, model.order == .post {
            throw .invalidArgument("folding needs order pre (linear → batchnorm → activation); with order post the "
                + "batchnorm comes after the activation, so there is no linear directly before it to fold into")
        }
        var blocks: [MLPBlock] = []
        for block in model.blocks {
            let linear: Linear
            if let bn = block.trainableNorm as? BatchNorm {
                try checkFoldable(bn)
                linear = try folded(block.linear, bn)
            } else {
                linear = try Linear(weight: block.linear.weight, bias: block.linear.bias, hasBias: block.linear.hasBias)
            }
            blocks.append(MLPBlock(linear: linear, normKind: .none, norm: nil, activation: block.activation, order: block.order))
        }
        let output = try Linear(weight: model.output.weight, bias: model.output.bias)
        let result = MLP(sizes: model.sizes, norm: .none, activation: model.activation, order: model.order,
                         groups: model.groups, blocks: blocks, output: output)
        result.training = false
        return result
    }

    /// A BatchNorm folds only in eval mode and with running statistics: the constants a fold bakes in.
    static func checkFoldable(_ bn: BatchNorm) throws(TensorError) {
        guard !bn.training else {
            throw .invalidArgument("folding needs eval mode: in training mode batchnorm normalizes with each "
                + "batch's statistics, not the running ones a fold bakes in")
        }
        guard bn.tracksRunningStats else {
            throw .invalidArgument("this batchnorm has track_running_stats off, so even in eval mode it uses "
                + "batch statistics; there are no constants to fold")
        }
    }

    /// The Linear whose output equals `bn`(eval)(`linear`(x)), computed in Float64.
    static func folded(_ linear: Linear, _ bn: BatchNorm) throws(TensorError) -> Linear {
        let (rows, columns) = (linear.outFeatures, linear.inFeatures)
        guard bn.numFeatures == rows else {
            throw .channelMismatch(layer: bn.layerName, expected: bn.numFeatures, got: [1, rows])
        }
        var weight = [Float](repeating: 0, count: rows * columns)
        var bias = [Float](repeating: 0, count: rows)
        for o in 0..<rows {
            let s = Double(bn.gamma.scalars[o]) / (Double(bn.runningVar.scalars[o]) + bn.eps).squareRoot()
            for i in 0..<columns { weight[o * columns + i] = Float(s * Double(linear.weight.scalars[o * columns + i])) }
            let shifted = Double(linear.bias.scalars[o]) - Double(bn.runningMean.scalars[o])
            bias[o] = Float(s * shifted + Double(bn.beta.scalars[o]))
        }
        return try Linear(weight: Tensor(shape: [rows, columns], scalars: weight), bias: Tensor(vector: bias))
    }
}
