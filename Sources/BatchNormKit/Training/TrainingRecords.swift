/// What one hidden block looked like at the end of an epoch: the numbers that show whether
/// activations are healthy, gradients flow, updates are well sized and inputs hold still.
public struct LayerDiagnostics: Sendable, Equatable {
    /// e.g. "block 1: linear(64 → 64) · batchnorm · relu".
    public let name: String
    /// Mean and standard deviation of the activation function's output on the epoch's last batch.
    public let activationMean: Double
    public let activationStd: Double
    /// Fraction of those activations where the gradient (almost) vanishes:
    /// tanh |a| > 0.97 ("saturated"), relu a == 0 ("dead").
    public let saturatedFraction: Double
    /// Standard deviation of ∂L/∂a, the gradient with respect to the activations, on that batch.
    public let gradientStd: Double
    /// std(lr·∂L/∂W) / std(W) for the block's Linear after the last step (Karpathy's makemore
    /// part 3 keeps it near 1e-3).
    public let updateToDataRatio: Double
    /// How far the distribution of the block's input moved during the epoch: the mean over input
    /// features of |Δmean| + |Δstd|, measured on a fixed probe batch of training samples
    /// (so sampling noise does not count), against the end of the previous epoch, or the initial
    /// model for epoch 1. This is "internal covariate shift" in the sense of the BatchNorm paper.
    public let inputShift: Double
}

/// One epoch's results: the curves a learner plots and the per-block diagnostics.
public struct EpochRecord: Sendable, Equatable {
    /// 1-based.
    public let epoch: Int
    /// Mean loss and accuracy over the epoch's training batches, measured in training mode
    /// as each batch was trained on (so the model moved during the epoch). For BatchNorm this
    /// mixes batch statistics and earlier weights: the yardstick for comparisons is `trainEvalLoss`.
    public let trainLoss: Double
    public let trainAccuracy: Double
    /// Loss on the whole training set in eval mode at the end of the epoch (nil unless
    /// `TrainingConfig.measureTrainingLoss`): the same model, measured the way the test set is.
    public var trainEvalLoss: Double?
    /// Loss and accuracy on the validation set in eval mode after the epoch (nil without one).
    public var validationLoss: Double?
    public var validationAccuracy: Double?
    /// Loss and accuracy on the test set in eval mode after the epoch (NaN for an empty test set).
    public let testLoss: Double
    public let testAccuracy: Double
    /// One entry per hidden block, first to last.
    public let diagnostics: [LayerDiagnostics]
}

/// The knobs of one training run.
public struct TrainingConfig: Sendable, Equatable {
    public var epochs = 10
    public var batchSize = 32
    public var learningRate = 0.1
    public var momentum = 0.9
    /// Seeds the per-epoch shuffling (the model's initialization has its own generator).
    public var seed: UInt64 = 0
    /// Measure each block's input shift on a probe batch after every epoch (`LayerDiagnostics.inputShift`;
    /// NaN when off).
    public var measureInputShift = true
    /// Measure `EpochRecord.trainEvalLoss` after every epoch (one extra pass over the training set).
    public var measureTrainingLoss = false
    /// Record every Linear's update-to-data ratio after every step (`TrainingResult.updateRatios`).
    public var recordUpdateRatios = false
    /// Random scale and shift injected after every norm layer at each training step (Santurkar
    /// et al. 2018's "noisy BatchNorm"); nil for none.
    public var noiseAfterNorm: NormNoise? = nil
    public init() {}
}

/// Santurkar et al.'s test of the covariate-shift story: after every norm layer, each training
/// step multiplies channel c by s_c and adds t_c, with s_c ~ U(1 − scale, 1 + scale) and
/// t_c ~ U(−shift, shift) drawn afresh per step, so the next layer's input distribution moves
/// all the time. Eval mode adds nothing.
public struct NormNoise: Sendable, Equatable {
    public var scale: Double
    public var shift: Double
    public var seed: UInt64
    public init(scale: Double = 0.5, shift: Double = 1.0, seed: UInt64 = 0) {
        self.scale = scale
        self.shift = shift
        self.seed = seed
    }

    /// One step's per-channel scales and shifts.
    func draw(features: Int, using generator: inout SeededGenerator) -> (scale: [Float], shift: [Float]) {
        let scales = (0..<features).map { _ in Float(1 - scale + 2 * scale * generator.nextUniformDouble()) }
        let shifts = (0..<features).map { _ in Float(shift * (2 * generator.nextUniformDouble() - 1)) }
        return (scales, shifts)
    }
}

/// How a training run ended, and every epoch it completed.
public struct TrainingResult: Sendable {
    /// The completed epochs, in order.
    public let records: [EpochRecord]
    /// True when `shouldStop` returned true; the epoch in progress is not in `records`.
    public let stoppedEarly: Bool
    /// The first epoch in which the loss or a block's activations became NaN or ±∞, and the first
    /// block where it appeared ("loss" when only the loss did); nil when training stayed finite.
    public let divergence: (epoch: Int, layer: String)?
    /// With `TrainingConfig.recordUpdateRatios`, one row per step: std(lr·∂L/∂W) / std(W) of each
    /// hidden block's Linear, then the output layer's, after the step (makemore part 3's `ud`,
    /// before its log10). Empty otherwise.
    public var updateRatios: [[Double]] = []
}
