import CKernels

/// Mini-batch training of a model (an `MLP`, a `ConvNet`) with cross-entropy and SGD, recording per-epoch curves and
/// per-block diagnostics: the loop behind the training lab's experiments.
public enum Trainer {
    /// Samples in the fixed probe batch that measures each block's input shift.
    static let probeSize = 256
    /// Test samples evaluated per forward pass.
    static let evaluationChunk = 512

    /// Trains `model` in place for `config.epochs` epochs.
    ///
    /// Each epoch visits the training set in a fresh order drawn from a generator seeded with
    /// `config.seed`, in batches of `config.batchSize` (the last one smaller when the size does
    /// not divide; with BatchNorm a last batch of a single sample is skipped, since its variance
    /// is undefined). After each epoch the test set is evaluated in eval mode, then the model goes
    /// back to training mode. `shouldStop` is asked before every batch; when it says yes, the
    /// completed epochs are returned. A NaN or ±∞ in the loss or in a block's activations stops
    /// training and is reported as `divergence` rather than trapping.
    public static func train(_ model: some TrainableModel, train: Dataset, test: Dataset, validation: Dataset? = nil,
                             config: TrainingConfig, shouldStop: () -> Bool = { false },
                             onEpoch: (EpochRecord) -> Void = { _ in }) throws(TensorError) -> TrainingResult {
        try validate(model, train: train, test: test, config: config)
        var shuffler = SeededGenerator(seed: config.seed)
        var optimizer = SGD(learningRate: config.learningRate, momentum: config.momentum)
        model.training = true
        defer { model.training = true }
        var probe = TrainingDiagnostics.InputProbe(x: try train.batch(Array(0..<min(train.count, probeSize))).x)
        if config.measureInputShift { _ = try probe.measure(model) }
        var records: [EpochRecord] = []
        var ratios: [[Double]] = []
        var noiseGenerator = config.noiseAfterNorm.map { SeededGenerator(seed: $0.seed) }
        defer { model.injectNoise { _ in nil } }
        guard config.epochs > 0 else { return TrainingResult(records: [], stoppedEarly: false, divergence: nil) }

        for epoch in 1...config.epochs {
            let order = shuffler.sample(train.count, from: train.count)
            var batches = stride(from: 0, to: train.count, by: config.batchSize).map {
                Array(order[$0..<min($0 + config.batchSize, train.count)])
            }
            if model.batchOfOneError != nil, batches.count > 1, batches.last?.count == 1 { batches.removeLast() }
            var lossSum = 0.0, correctSum = 0.0, seen = 0
            for indices in batches {
                if shouldStop() { return TrainingResult(records: records, stoppedEarly: true, divergence: nil, updateRatios: ratios) }
                let (x, labels) = try train.batch(indices)
                if let noise = config.noiseAfterNorm, noiseGenerator != nil {
                    model.injectNoise { features in noise.draw(features: features, using: &noiseGenerator!) }
                }
                let logits = try model.forward(x)
                if let layer = firstNonFinite(model, logits) {
                    return TrainingResult(records: records, stoppedEarly: false, divergence: (epoch, layer), updateRatios: ratios)
                }
                let (loss, gradient) = try Loss.crossEntropy(logits: logits, labels: labels)
                // A cross-entropy of 10⁶ (chance is ln C ≈ 1–2.3) is a run that has blown up, even
                // while the numbers stay finite: ReLUs can die and leave a huge but finite loss.
                guard loss.isFinite, loss < explodingLoss else {
                    return TrainingResult(records: records, stoppedEarly: false,
                                          divergence: (epoch, firstExploding(model, logits) ?? "the loss"), updateRatios: ratios)
                }
                try model.backward(gradient)
                optimizer.step(model)
                if config.recordUpdateRatios {
                    ratios.append(TrainingDiagnostics.updateRatios(model.weightLayers, learningRate: config.learningRate))
                }
                lossSum += loss * Double(indices.count)
                correctSum += Loss.accuracy(logits: logits, labels: labels) * Double(indices.count)
                seen += indices.count
            }
            model.injectNoise { _ in nil }
            // The last batch's measurements come first: the probe pass replaces the caches.
            let lastBatch = model.diagnostics(learningRate: config.learningRate)
            let diagnostics = config.measureInputShift
                ? zip(lastBatch, try probe.measure(model)).map { $0.with(inputShift: $1) } : lastBatch
            // The test set goes last, so the model's last forward pass (which diagnostics draw) is on it.
            let trainEvalLoss = config.measureTrainingLoss ? try evaluate(model, on: train).loss : nil
            let checked = try validation.map { (validation: Dataset) throws(TensorError) in try evaluate(model, on: validation) }
            let evaluation = try evaluate(model, on: test)
            var record = EpochRecord(
                epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: correctSum / Double(seen),
                testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, diagnostics: diagnostics)
            record.trainEvalLoss = trainEvalLoss
            (record.validationLoss, record.validationAccuracy) = (checked?.loss, checked?.accuracy)
            records.append(record)
            onEpoch(record)
        }
        return TrainingResult(records: records, stoppedEarly: false, divergence: nil, updateRatios: ratios)
    }

    /// Mean cross-entropy and accuracy over `data` in eval mode (NaN for no samples); the model's
    /// mode is restored afterwards.
    public static func evaluate(_ model: some TrainableModel, on data: Dataset) throws(TensorError) -> (loss: Double, accuracy: Double) {
        guard data.count > 0 else { return (.nan, .nan) }
        let wasTraining = model.training
        model.training = false
        defer { model.training = wasTraining }
        var lossSum = 0.0, correctSum = 0.0
        for start in stride(from: 0, to: data.count, by: evaluationChunk) {
            let (x, labels) = try data.batch(Array(start..<min(start + evaluationChunk, data.count)))
            let logits = try model.forward(x)
            lossSum += try Loss.crossEntropy(logits: logits, labels: labels).loss * Double(labels.count)
            correctSum += Loss.accuracy(logits: logits, labels: labels) * Double(labels.count)
        }
        return (lossSum / Double(data.count), correctSum / Double(data.count))
    }

    static let explodingLoss = 1e6

    /// The first block whose activations exceed 10⁶ in magnitude, then the logits.
    static func firstExploding(_ model: some TrainableModel, _ logits: Tensor) -> String? {
        func huge(_ t: Tensor?) -> Bool { t?.scalars.contains { !$0.isFinite || abs($0) > 1e6 } ?? false }
        for watched in model.watchedTensors where watched.tensors.contains(where: huge) { return watched.block }
        return huge(logits) ? "output: \(model.outputLayerName)" : nil
    }

    /// The first block whose output (or activations) holds a NaN or ±∞, then the logits.
    static func firstNonFinite(_ model: some TrainableModel, _ logits: Tensor) -> String? {
        func finite(_ t: Tensor?) -> Bool {
            // The vectorized range pass counts NaN and ±∞ (allSatisfy was 4 % of an epoch).
            guard let t, t.count > 0 else { return true }
            var low: Float = 0, high: Float = 0
            return t.scalars.withUnsafeBufferPointer { bnlab_finite_range($0.baseAddress!, Int64($0.count), &low, &high) } == 0
        }
        for watched in model.watchedTensors where !watched.tensors.allSatisfy(finite) { return watched.block }
        return finite(logits) ? nil : "output: \(model.outputLayerName)"
    }

    /// Every check `train` makes before it starts, so a caller can report a bad setting before printing anything.
    public static func validate(_ model: some TrainableModel, train: Dataset, test: Dataset, config: TrainingConfig) throws(TensorError) {
        guard config.epochs >= 0 else { throw .invalidArgument("epochs cannot be negative, got \(config.epochs)") }
        guard config.learningRate.isFinite, config.learningRate >= 0 else {
            throw .invalidArgument("the learning rate must be a finite number ≥ 0, got \(config.learningRate)")
        }
        guard config.momentum.isFinite, (0..<1).contains(config.momentum) else {
            throw .invalidArgument("momentum must be at least 0 and below 1, got \(config.momentum)")
        }
        guard train.count > 0 else { throw .invalidArgument("the training set \(train.name) has no samples") }
        guard config.batchSize >= 1 else { throw .invalidArgument("the batch size must be at least 1, got \(config.batchSize)") }
        guard config.batchSize <= train.count else {
            throw .invalidArgument("a batch size of \(config.batchSize) is larger than the \(train.count) training "
                + "samples of \(train.name); use at most \(train.count)")
        }
        if config.batchSize == 1, let reason = model.batchOfOneError { throw .invalidArgument(reason) }
        for data in [train, test] {
            guard data.features == model.inputFeatures else {
                throw .invalidArgument("the model takes \(model.inputFeatures) features per sample, but \(data.name) "
                    + "has \(data.features)")
            }
            guard data.classes <= model.outputFeatures else {
                throw .invalidArgument("the model has \(model.outputFeatures) outputs, but \(data.name) has "
                    + "\(data.classes) classes; the last size must be at least \(data.classes)")
            }
        }
    }
}

extension MLP {
    /// True when some hidden block normalizes with BatchNorm.
    var hasBatchNorm: Bool { normKind == .batch && !blocks.isEmpty }
}
