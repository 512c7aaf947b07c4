import BatchNormKit

/// The warnings a statement can raise without failing: NaN and ±∞ going in, NaN coming out. Each
/// names the cause it found in the values, so a learner is never sent after the wrong one.
extension Interpreter {
    /// What a NaN or ±∞ in a tensor will do to the statistics computed from it.
    enum NonFiniteConsequence {
        /// A tensor that just arrived (`load`): what `stats`, the reductions and BatchNorm make of it.
        case data
        /// The input of a norm layer's forward pass.
        case layerInput
    }

    /// NaN and ±∞ spread silently through BatchNorm (one NaN poisons a whole channel), so say so,
    /// and say what `stats` does instead: it summarizes the finite values and counts the others.
    func warnAboutNonFinite(_ t: Tensor, what: String, consequence: NonFiniteConsequence = .data,
                            at location: SourcePosition) {
        let counts = t.nonFiniteCounts
        guard counts.nan > 0 || counts.infinite > 0 else { return }
        var parts: [String] = []
        if counts.nan > 0 { parts.append("\(counts.nan) NaN") }
        if counts.infinite > 0 { parts.append("\(counts.infinite) infinite") }
        let what = "\(what) contains \(parts.joined(separator: " and ")) value\(counts.nan + counts.infinite == 1 ? "" : "s")"
        switch consequence {
        case .data:
            warn(what + "; stats summarizes the finite values and counts the others, but mean is NaN, and so are "
                 + "channel_means and batchnorm's training-mode output for every channel that holds one", at: location)
        case .layerInput:
            warn(what + "; NaN spreads to every output normalized with statistics computed from it "
                 + "(in training-mode batchnorm, its whole channel)", at: location)
        }
    }

    /// A finite input that comes out NaN has one of three causes, checked in this order: a NaN or
    /// a negative variance stored in the layer (the layer says which, `nanSources`); eps = 0 with
    /// values normalized together that are all equal, so x̂ = (x − μ)/√(σ² + ε) is 0/0; or values
    /// so large that float32 overflows on the way.
    func warnAboutZeroOverZero(_ layer: any NormalizationLayer, input x: Tensor, output y: Tensor,
                               at location: SourcePosition) {
        // The output first: it is almost always clean, and then the input need not be scanned.
        let after = y.nonFiniteCounts
        guard after.nan > 0 else { return }
        let before = x.nonFiniteCounts
        guard before.nan == 0, before.infinite == 0 else { return }
        let turned = "\(layer.layerName) turned a finite input into \(after.nan) NaN value\(after.nan == 1 ? "" : "s")"
        let sources = layer.nanSources
        if !sources.isEmpty {
            warn(turned + ": " + sources.map(Self.describe).joined(separator: "; "), at: location)
            return
        }
        guard layer.eps == 0 else {
            warn(turned + " (an overflow in float32?)", at: location)
            return
        }
        warn(turned + ": values normalized together (a channel, for batchnorm) that are all equal have variance 0, and with eps = 0 "
             + "(x − μ)/√(σ² + eps) is 0/0; give the layer eps > 0 (the default is 1e-5)", at: location)
    }

    /// `running_var has 4 negative entries (the first: running_var[0] = -1), …`
    static func describe(_ source: NaNSource) -> String {
        let element = "\(source.tensor)[\(source.firstIndex.map(String.init).joined(separator: ", "))]"
        let value = NumberFormat.shortest(Double(source.firstValue))
        switch source.reason {
        case .negativeVariance:
            let entries = source.count == 1 ? "a negative entry (\(element) = \(value))"
                : "\(source.count) negative entries (the first: \(element) = \(value))"
            return "\(source.tensor) has \(entries), and eval mode divides by √(running_var + eps), "
                + "the square root of a negative number"
        case .nan:
            let entries = source.count == 1 ? "a NaN (\(element))" : "\(source.count) NaNs (the first: \(element))"
            return "\(source.tensor) holds \(entries), and NaN spreads to every output computed with it"
        }
    }
}
