/// A value stored in a layer that makes its outputs NaN whatever the input: a NaN in γ or β, a
/// NaN in BatchNorm's running statistics, or a running variance so negative that eval mode takes
/// the square root of a negative number. These are facts for the shell's warning when a finite
/// input comes out NaN, so it names the cause instead of guessing.
public struct NaNSource: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The stored value is NaN, and NaN spreads to every output it touches.
        case nan
        /// running_var + eps < 0, so √(running_var + eps) is NaN (PyTorch computes the same).
        case negativeVariance
    }

    /// The stored tensor under the shell's name: `gamma`, `beta`, `running_mean`, `running_var`.
    public let tensor: String
    public let reason: Reason
    /// How many elements (channels, for a per-channel tensor) have the problem.
    public let count: Int
    /// The first of them (its full index; the channel, for a per-channel vector) and its value.
    public let firstIndex: [Int]
    public let firstValue: Float

    /// The elements of `t` that `isBad` picks, as one source; nil when there are none.
    static func scan(_ t: Tensor, tensor: String, reason: Reason, isBad: (Float) -> Bool) -> NaNSource? {
        var count = 0, first = 0
        for (i, v) in t.scalars.enumerated() where isBad(v) {
            if count == 0 { first = i }
            count += 1
        }
        guard count > 0 else { return nil }
        return NaNSource(tensor: tensor, reason: reason, count: count,
                         firstIndex: Tensor.index(ofFlat: first, in: t.shape), firstValue: t.scalars[first])
    }

    /// NaN in γ or β: every layer has them (ones and zeros when it is not affine).
    static func inParameters(of layer: any NormalizationLayer) -> [NaNSource] {
        guard layer.isAffine else { return [] }
        let gamma = scan(layer.gamma, tensor: "gamma", reason: .nan) { $0.isNaN }
        let beta = layer.hasShift ? scan(layer.beta, tensor: "beta", reason: .nan) { $0.isNaN } : nil
        return [gamma, beta].compactMap { $0 }
    }
}

extension NormalizationLayer {
    /// NaN in γ or β; empty for a healthy layer.
    public var nanSources: [NaNSource] { NaNSource.inParameters(of: self) }
}
