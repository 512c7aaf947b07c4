/// Batch Normalization (Ioffe & Szegedy 2015, arXiv:1502.03167) with PyTorch's exact semantics,
/// or Keras's when asked: the layer a learner builds, steps through and trains.
///
/// Training mode normalizes each channel with the statistics of the batch (biased variance) and
/// folds them into `runningMean`/`runningVar`; eval mode normalizes with those running values.
/// A class, because a layer is shared: `bn2 = bn` in the shell names the same layer, as in Python.
public final class BatchNorm: NormalizationLayer {
    /// Which framework's meaning of `momentum` (and default eps) the layer follows.
    public enum Convention: String, Sendable, CaseIterable {
        /// running ← (1 − m)·running + m·batch, with the *unbiased* variance; m = 0.1, eps = 1e-5.
        case pytorch
        /// moving ← m·moving + (1 − m)·batch, with the *biased* variance; m = 0.99, eps = 1e-3.
        case keras

        public var defaultMomentum: Double { self == .pytorch ? 0.1 : 0.99 }
        public var defaultEps: Double { self == .pytorch ? 1e-5 : 1e-3 }
    }

    public let numFeatures: Int
    public let convention: Convention
    public let affine: Bool
    public let tracksRunningStats: Bool
    public var eps: Double
    /// The weight of the new batch (PyTorch) or of the old value (Keras); nil means PyTorch's
    /// cumulative average, m = 1/num_batches_tracked.
    public var momentum: Double?
    public var training = true

    private var parameters: AffineParameters
    /// γ, also known as the scale or `weight` in PyTorch. Ones when `affine` is false.
    public var gamma: Tensor { parameters.gamma }
    /// β, also known as the offset or `bias` in PyTorch. Zeros when `affine` is false.
    public var beta: Tensor { parameters.beta }
    public private(set) var runningMean: Tensor
    public private(set) var runningVar: Tensor
    public private(set) var numBatchesTracked = 0

    public init(
        numFeatures: Int,
        eps: Double? = nil,
        momentum: Double?? = nil,
        affine: Bool = true,
        trackRunningStats: Bool = true,
        convention: Convention = .pytorch
    ) throws(TensorError) {
        guard numFeatures >= 1 else {
            throw .invalidArgument("batchnorm needs at least 1 channel, got \(numFeatures)")
        }
        let eps = eps ?? convention.defaultEps
        guard eps >= 0, eps.isFinite else { throw .invalidArgument("eps must be a finite number ≥ 0, got \(eps)") }
        let momentum: Double? = momentum ?? convention.defaultMomentum
        if let m = momentum {
            guard (0...1).contains(m) else { throw .invalidArgument("momentum must be between 0 and 1, got \(m)") }
        } else if convention == .keras {
            throw .invalidArgument("momentum: none (a cumulative average) is PyTorch's; Keras has no such setting")
        }
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.tracksRunningStats = trackRunningStats
        self.convention = convention
        parameters = try AffineParameters(shape: [numFeatures], runningStatistics: 2)
        runningMean = try .zeros([numFeatures])
        runningVar = try .ones([numFeatures])
    }

    public var layerName: String { "batchnorm(\(numFeatures))" }
    public var isAffine: Bool { affine }
    public var settings: [LayerSetting] {
        [LayerSetting("num_features", .number(Double(numFeatures))), LayerSetting("affine", .bool(affine)),
         LayerSetting("track_running_stats", .bool(tracksRunningStats)), LayerSetting("convention", .text(convention.rawValue))]
    }
    public var summary: String {
        "statistics per channel over the batch in training mode" + (tracksRunningStats ? ", running statistics in eval mode" : "")
    }

    /// True when a forward pass normalizes with the batch's own statistics.
    public var usesBatchStatistics: Bool { training || !tracksRunningStats }

    // MARK: - Parameters and buffers

    public func setGamma(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this batchnorm has affine: false, so it has no gamma to set") }
        try parameters.setGamma(value)
    }

    public func setBeta(_ value: Tensor) throws(TensorError) {
        guard affine else { throw .invalidArgument("this batchnorm has affine: false, so it has no beta to set") }
        try parameters.setBeta(value)
    }

    public func setRunningMean(_ value: Tensor) throws(TensorError) {
        runningMean = try checkedVector(value, name: "running_mean")
    }

    public func setRunningVar(_ value: Tensor) throws(TensorError) {
        runningVar = try checkedVector(value, name: "running_var")
    }

    public func setNumBatchesTracked(_ value: Int) throws(TensorError) {
        guard value >= 0 else { throw .invalidArgument("num_batches_tracked cannot be negative") }
        numBatchesTracked = value
    }

    /// Back to a fresh layer's running statistics (PyTorch's `reset_running_stats`).
    public func resetRunningStats() {
        runningMean = Tensor(vector: [Float](repeating: 0, count: numFeatures))
        runningVar = Tensor(vector: [Float](repeating: 1, count: numFeatures))
        numBatchesTracked = 0
    }

    private func checkedVector(_ value: Tensor, name: String) throws(TensorError) -> Tensor {
        guard value.shape == [numFeatures] else {
            throw .parameterShape(name: name, expected: [numFeatures], got: value.shape)
        }
        return value
    }

    // MARK: - Forward

    /// One forward pass in the layer's mode; in training mode it also updates the running statistics.
    public func forward(_ x: Tensor) throws(TensorError) -> Tensor {
        let plan = try plan(for: x)
        defer { if let update = plan.update { apply(update) } }
        return plan.kernel.apply(x, affine: affineIndex)
    }

    /// The same pass as `forward`, keeping every intermediate stage for the learner to inspect.
    /// With `updatingRunningStatistics: false` the layer is left as it was; the update the pass
    /// would make is in `runningUpdate`, for `applyRunningUpdate` to make later (or never).
    public func forwardStages(_ x: Tensor, updatingRunningStatistics: Bool = true) throws(TensorError) -> BatchNormStages {
        let plan = try plan(for: x)
        let (normalized, scaled, shifted) = plan.kernel.stages(x, affine: affineIndex)
        if let update = plan.update, updatingRunningStatistics { apply(update) }
        return BatchNormStages(
            usedBatchStatistics: plan.moments != nil, mean: plan.kernel.mean, variance: plan.variance,
            unbiasedVariance: plan.moments?.unbiasedVariance, eps: eps, normalized: normalized,
            scaled: scaled, output: shifted, runningUpdate: plan.update)
    }

    var affineIndex: NormalizeKernel.AffineIndex {
        affine ? .channel(gamma: gamma.scalars, beta: beta.scalars) : .none
    }

    /// What one forward pass will use and change, decided before any output is computed.
    struct Plan {
        let kernel: NormalizeKernel
        let variance: [Double]
        let moments: Moments?
        let update: RunningStatisticsUpdate?
    }

    func plan(for x: Tensor) throws(TensorError) -> Plan {
        try validate(x)
        guard usesBatchStatistics else {
            let mean = runningMean.scalars.map(Double.init)
            let variance = runningVar.scalars.map(Double.init)
            return Plan(kernel: NormalizeKernel(statistic: .channel, mean: mean, variance: variance, eps: eps),
                        variance: variance, moments: nil, update: nil)
        }
        let valuesPerChannel = x.batchSize * x.spatialSize
        guard valuesPerChannel != 1 else { throw .oneValuePerChannel(x.shape) }
        let moments = Moments.perChannel(of: x)
        let update = training && tracksRunningStats ? runningUpdate(with: moments) : nil
        return Plan(kernel: NormalizeKernel(statistic: .channel, mean: moments.mean, variance: moments.variance, eps: eps),
                    variance: moments.variance, moments: moments, update: update)
    }

    func validate(_ x: Tensor) throws(TensorError) {
        guard (2...4).contains(x.rank) else {
            throw .inputRank(layer: layerName, expected: "(N, C), (N, C, L) or (N, C, H, W)", got: x.shape)
        }
        guard x.shape[1] == numFeatures else {
            throw .channelMismatch(layer: layerName, expected: numFeatures, got: x.shape)
        }
    }

    // MARK: - Running statistics

    /// NaN in γ or β, and in eval mode the running statistics eval mode divides by: a NaN in
    /// either, or running_var + eps < 0, whose square root is NaN.
    public var nanSources: [NaNSource] {
        var sources = NaNSource.inParameters(of: self)
        guard !usesBatchStatistics else { return sources }
        let eps = self.eps  // the normalize kernel adds it in Float64, so the test does too
        sources += [
            NaNSource.scan(runningMean, tensor: "running_mean", reason: .nan) { $0.isNaN },
            NaNSource.scan(runningVar, tensor: "running_var", reason: .nan) { $0.isNaN },
            NaNSource.scan(runningVar, tensor: "running_var", reason: .negativeVariance) { Double($0) + eps < 0 },
        ].compactMap { $0 }
        return sources
    }

    /// The new running values for a batch with these moments, under the layer's convention.
    /// An empty batch counts (num_batches_tracked + 1) but moves nothing, as in PyTorch.
    func runningUpdate(with moments: Moments) -> RunningStatisticsUpdate {
        let tracked = numBatchesTracked + 1
        let oldMean = runningMean.scalars.map(Double.init)
        let oldVar = runningVar.scalars.map(Double.init)
        let newWeight: Double
        let batchVariance: [Double]
        switch convention {
        case .pytorch:
            newWeight = momentum ?? 1 / Double(tracked)
            batchVariance = moments.unbiasedVariance
        case .keras:
            newWeight = 1 - (momentum ?? convention.defaultMomentum)
            batchVariance = moments.variance
        }
        var newMean = oldMean, newVar = oldVar
        if moments.countPerGroup > 0 {
            for c in 0..<numFeatures {
                newMean[c] = (1 - newWeight) * oldMean[c] + newWeight * moments.mean[c]
                newVar[c] = (1 - newWeight) * oldVar[c] + newWeight * batchVariance[c]
            }
        }
        return RunningStatisticsUpdate(
            convention: convention, momentum: momentum, weightOfBatch: newWeight, numBatchesTracked: tracked,
            batchMean: moments.mean, batchVariance: batchVariance,
            meanBefore: oldMean, meanAfter: newMean.map { Double(Float($0)) },
            varianceBefore: oldVar, varianceAfter: newVar.map { Double(Float($0)) })
    }

    /// Makes an update computed by `forwardStages(_:updatingRunningStatistics: false)`.
    public func applyRunningUpdate(_ update: RunningStatisticsUpdate) {
        apply(update)
    }

    func apply(_ update: RunningStatisticsUpdate) {
        runningMean = Tensor(vector: update.meanAfter.map { Float($0) })
        runningVar = Tensor(vector: update.varianceAfter.map { Float($0) })
        numBatchesTracked = update.numBatchesTracked
    }
}
