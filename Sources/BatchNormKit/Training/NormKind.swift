/// Which normalization layer each hidden block of an `MLP` gets: the experiment's main knob.
public enum NormKind: String, Sendable, CaseIterable {
    /// No normalization: Linear → activation, the baseline BatchNorm is compared against.
    case none
    /// BatchNorm over the batch (statistics depend on the other samples; running statistics in eval).
    case batch
    /// LayerNorm over each sample's features (no batch dependence, same in train and eval).
    case layer
    /// GroupNorm: each sample's features split into groups, each normalized on its own.
    case group
    /// RMSNorm: each sample divided by its features' root mean square; no mean, no shift.
    case rms

    /// The short name used in block names ("batchnorm"), nil for `.none`.
    var shortName: String? {
        switch self {
        case .none: nil
        case .batch: "batchnorm"
        case .layer: "layernorm"
        case .group: "groupnorm"
        case .rms: "rmsnorm"
        }
    }

    /// A fresh layer of this kind over `features` (PyTorch's defaults), nil for `.none`.
    func makeLayer(features: Int, groups: Int) throws(TensorError) -> (any TrainableNorm)? {
        switch self {
        case .none: return nil
        case .batch: return try BatchNorm(numFeatures: features)
        case .layer: return try LayerNorm(normalizedShape: [features])
        case .group: return try GroupNorm(numGroups: groups, numChannels: features)
        case .rms: return try RMSNorm(normalizedShape: [features])
        }
    }
}

/// Where the normalization sits in a hidden block, the question the BatchNorm paper and later
/// practice answered differently.
public enum NormOrder: String, Sendable, CaseIterable {
    /// Linear → Norm → activation, as in the paper (normalizes the pre-activations).
    case pre
    /// Linear → activation → Norm (normalizes the activations the next layer sees).
    case post
}
