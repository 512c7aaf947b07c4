import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the learner chose for a run of an experiment: how many paired seeds, epochs per
/// training, and the first seed (seeds are seed, seed+1, …).
public struct ExperimentOptions: Sendable {
    public static let seedCountRange = 1...50
    public static let epochRange = 1...200
    public var seeds = 5
    public var epochs = 10
    public var firstSeed: UInt64 = 0
    public init() {}
}

/// An experiment's inputs: the data, the options, and the hooks the shell provides to stop it
/// (Ctrl-C) and to show progress. `progress` gets (runs done, runs in all) and is called from
/// one thread at a time.
public struct ExperimentContext {
    public let data: Dataset
    public let options: ExperimentOptions
    public let shouldStop: () -> Bool
    public let progress: (Int, Int) -> Void

    public init(data: Dataset, options: ExperimentOptions, shouldStop: @escaping () -> Bool = { false },
                progress: @escaping (Int, Int) -> Void = { _, _ in }) {
        self.data = data
        self.options = options
        self.shouldStop = shouldStop
        self.progress = progress
    }
}

/// One network set-up an experiment trains under every seed (and every grid rate when tuned).
struct ArmSpec {
    var name: String
    var hidden = [64, 64]
    var norm: NormKind
    var activation: Activation = .relu
    var initScale = 1.0
    var batchSize = 32
    var noise: NormNoise?
    /// Only the covariate-shift experiments need the probe pass that measures it.
    var measureInputShift = false
    /// BatchNorm over ghost batches of this many samples inside each batch (`GhostBatchNorm`); nil for the whole batch.
    var ghostBatch: Int?
    /// Runs on the fresh model before training (e.g. a BatchNorm momentum).
    var prepare: (MLP) -> Void = { _ in }
    /// Measured on the model (with its split and rate) after every epoch (kept in `RunOutcome.measurements`).
    var measureEachEpoch: ((MLP, SeedSplit, Double) throws(TensorError) -> Double)?
}

/// One seed's data: training, validation (carved from the training part, for choosing the
/// rate) and test. Both arms of a seed see exactly these samples, in the same shuffles.
struct SeedSplit {
    let train: Dataset
    let validation: Dataset
    let test: Dataset
}

/// A finished training: the model, its epochs, and the split it saw.
struct TrainedRun<Model: TrainableModel> {
    let model: Model
    let result: TrainingResult
    let split: SeedSplit
    let learningRate: Double
    /// `ArmSpec.measureEachEpoch` after each epoch.
    var measurements: [Double] = []
    var diverged: Bool { result.divergence != nil }
    var last: EpochRecord? { result.records.last }
}

/// The MLP runs nearly every experiment trains.
typealias RunOutcome = TrainedRun<MLP>

/// The protocol every experiment follows: S paired seeds, each arm trained at every rate of a
/// grid, the rate chosen per arm on the validation split (never the test set), the metric read
/// off the chosen runs. Runs go side by side on the cores, seed by seed, so Ctrl-C keeps every
/// seed that finished.
struct ExperimentProtocol {
    /// Learning rates each arm is tuned over (SGD with momentum 0.9): 0.001 to 0.3.
    static let grid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
    static let testFraction = 0.2
    static let validationFraction = 0.2

    let context: ExperimentContext
    var data: Dataset { context.data }
    var options: ExperimentOptions { context.options }
    var chanceLoss: Double { log(Double(data.classes)) }
    var chanceAccuracy: Double { 1 / Double(data.classes) }

    func seedValue(_ index: Int) -> UInt64 { options.firstSeed &+ UInt64(index) }

    /// The split of seed `index`: the same for every arm and rate.
    func split(_ index: Int) throws(TensorError) -> SeedSplit {
        var generator = SeededGenerator(seed: seedValue(index))
        let (rest, test) = try data.split(testFraction: Self.testFraction, using: &generator)
        let (train, validation) = try rest.split(testFraction: Self.validationFraction, using: &generator)
        return SeedSplit(train: train, validation: validation, test: test)
    }

    /// One (arm, rate, seed) to train.
    struct Job {
        let arm: Int
        let rate: Int
        let seed: Int
    }

    /// Trains `arms[a]` at each of `rates[a]` under every seed. The result is indexed
    /// [arm][rate][seed] and holds only the seeds whose every run finished (all of them unless
    /// Ctrl-C came), so the arms stay paired.
    func train(_ arms: [ArmSpec], rates: [[Double]], epochs: Int? = nil) throws(TensorError) -> [[[RunOutcome]]] {
        try train(arms: arms.count, rates: rates) { arm, rate, seed, split throws(TensorError) in
            try run(arms[arm], rate: rate, seed: seed, split: split, epochs: epochs)
        }
    }

    /// The scheduling behind `train`, for any model: `run(arm, rate, seed, split)` trains one job.
    func train<Model>(arms count: Int, rates: [[Double]],
                      run: (Int, Double, Int, SeedSplit) throws(TensorError) -> TrainedRun<Model>) throws(TensorError) -> [[[TrainedRun<Model>]]] {
        let splits = try (0..<options.seeds).map { (index: Int) throws(TensorError) -> SeedSplit in try split(index) }
        var jobs: [Job] = []
        for seed in 0..<options.seeds {
            for arm in 0..<count { for rate in rates[arm].indices { jobs.append(Job(arm: arm, rate: rate, seed: seed)) } }
        }
        let done = Mutex(0)
        let total = jobs.count
        context.progress(0, total)
        let outcomes = Parallelism.runIndependent(jobs.count) { index -> Result<TrainedRun<Model>, TensorError>? in
            let job = jobs[index]
            if context.shouldStop() { return nil }
            let outcome = Result { () throws(TensorError) -> TrainedRun<Model> in
                try run(job.arm, rates[job.arm][job.rate], job.seed, splits[job.seed])
            }
            done.withLock { count in
                count += 1
                context.progress(count, total)
            }
            return outcome
        }
        var table = (0..<count).map { a in rates[a].map { _ in [TrainedRun<Model>]() } }
        var seedsComplete = options.seeds
        for (job, outcome) in zip(jobs, outcomes) {
            switch outcome {
            case .none: seedsComplete = min(seedsComplete, job.seed)
            case .failure(let error)?: throw error
            case .success(let run)?:
                if run.result.stoppedEarly { seedsComplete = min(seedsComplete, job.seed) }
                else if job.seed < seedsComplete { table[job.arm][job.rate].append(run) }
            }
        }
        return table.map { $0.map { Array($0.prefix(seedsComplete)) } }
    }

    /// One training run; the model's weights depend only on the seed, so every rate of an arm
    /// starts from the same initialization.
    func run(_ arm: ArmSpec, rate: Double, seed: Int, split: SeedSplit, epochs: Int?) throws(TensorError) -> RunOutcome {
        var generator = initialization(seed)
        var model = try MLP(sizes: [data.features] + arm.hidden + [data.classes], norm: arm.norm,
                            activation: arm.activation, initScale: arm.initScale, using: &generator)
        if let ghost = arm.ghostBatch { model = try model.withGhostBatches(of: ghost) }
        arm.prepare(model)
        var config = configuration(rate: rate, batchSize: arm.batchSize, seed: seed, split: split, epochs: epochs)
        config.measureInputShift = arm.measureInputShift
        if var noise = arm.noise {
            noise.seed = seedValue(seed) &+ 0xD1CE
            config.noiseAfterNorm = noise
        }
        var measurements: [Double] = []
        var measureError: TensorError?
        let result = try Trainer.train(model, train: split.train, test: split.test, validation: split.validation,
                                       config: config, shouldStop: context.shouldStop) { _ in
            guard let measure = arm.measureEachEpoch, measureError == nil else { return }
            do throws(TensorError) { measurements.append(try measure(model, split, rate)) } catch { measureError = error }
        }
        if let measureError { throw measureError }
        return RunOutcome(model: model, result: result, split: split, learningRate: rate, measurements: measurements)
    }

    /// Trains an already-built model on one seed's split (the conv arms build theirs).
    func fit<Model: TrainableModel>(_ model: Model, rate: Double, batchSize: Int = 32, seed: Int, split: SeedSplit,
                                    epochs: Int?) throws(TensorError) -> TrainedRun<Model> {
        let config = configuration(rate: rate, batchSize: batchSize, seed: seed, split: split, epochs: epochs)
        let result = try Trainer.train(model, train: split.train, test: split.test, validation: split.validation,
                                       config: config, shouldStop: context.shouldStop)
        return TrainedRun(model: model, result: result, split: split, learningRate: rate)
    }

    /// The generator a seed's model is drawn from: the same for every arm and rate of that seed.
    func initialization(_ seed: Int) -> SeededGenerator { SeededGenerator(seed: seedValue(seed) &+ 0x5EED_0F_1417) }

    /// The training settings of one run (no input-shift probe, no noise).
    func configuration(rate: Double, batchSize: Int, seed: Int, split: SeedSplit, epochs: Int?) -> TrainingConfig {
        var config = TrainingConfig()
        config.epochs = epochs ?? options.epochs
        config.learningRate = rate
        config.batchSize = min(batchSize, split.train.count)
        config.seed = seedValue(seed)
        config.measureTrainingLoss = true
        config.measureInputShift = false
        return config
    }

    // MARK: - Choosing the rate

    /// The validation score that picks a rate: final validation accuracy, ties broken by the
    /// lower validation loss; a run that diverged scores below every run that did not.
    static func validationScore<Model>(_ run: TrainedRun<Model>) -> Double {
        guard !run.diverged, let last = run.last, let accuracy = last.validationAccuracy, accuracy.isFinite else { return -1 }
        let loss = last.validationLoss.flatMap { $0.isFinite ? min($0, 1e3) : nil } ?? 1e3
        return accuracy - 1e-6 * loss
    }

    /// The index of the rate whose mean score over the seeds is best (the lower rate on a tie).
    static func bestRate<Model: SendableMetatype>(_ runsByRate: [[TrainedRun<Model>]], score: (TrainedRun<Model>) -> Double = validationScore) -> Int {
        var best = 0, bestScore = -Double.infinity
        for (index, runs) in runsByRate.enumerated() where !runs.isEmpty {
            let mean = runs.map(score).reduce(0, +) / Double(runs.count)
            if mean > bestScore { (best, bestScore) = (index, mean) }
        }
        return best
    }

    /// The rates at which an arm trains: mean validation accuracy at least halfway from chance to 100 %.
    func ratesThatTrain<Model>(_ runsByRate: [[TrainedRun<Model>]], rates: [Double]) -> [Double] {
        let threshold = chanceAccuracy + 0.5 * (1 - chanceAccuracy)
        return zip(rates, runsByRate).compactMap { rate, runs in
            guard !runs.isEmpty else { return nil }
            let mean = runs.map { $0.diverged ? 0 : ($0.last?.validationAccuracy ?? 0) }.reduce(0, +) / Double(runs.count)
            return mean >= threshold ? rate : nil
        }
    }

    // MARK: - Yardsticks

    /// Test accuracy after the last epoch; chance for a run that diverged.
    func testAccuracy<Model>(_ run: TrainedRun<Model>) -> Double {
        guard !run.diverged, let a = run.last?.testAccuracy, a.isFinite else { return chanceAccuracy }
        return a
    }

    /// Eval-mode loss on the training set after each epoch; epochs after a divergence count as
    /// chance (ln C), so a run that blew up is never better than one that guessed.
    func lossCurve<Model>(_ run: TrainedRun<Model>, epochs: Int? = nil) -> [Double] {
        let count = epochs ?? options.epochs
        let measured = run.result.records.map { $0.trainEvalLoss.flatMap { $0.isFinite ? $0 : nil } ?? chanceLoss }
        return (0..<count).map { $0 < measured.count ? measured[$0] : chanceLoss }
    }

    /// The arm result of the chosen rate: `metric` per seed and the loss curves.
    func arm<Model: SendableMetatype>(_ name: String, runsByRate: [[TrainedRun<Model>]], rates: [Double], tuned: Bool = true,
                    metric: (TrainedRun<Model>) -> Double, score: (TrainedRun<Model>) -> Double = validationScore) -> ArmResult {
        let chosen = Self.bestRate(runsByRate, score: score)
        let runs = runsByRate[chosen]
        return ArmResult(name: name, learningRate: rates[chosen], values: runs.map(metric),
                         curves: runs.map { lossCurve($0) },
                         ratesThatTrain: tuned ? ratesThatTrain(runsByRate, rates: rates) : [])
    }
}

extension ExperimentProtocol {
    /// The result of `experiment` with this run's seeds, epochs and data filled in.
    func result(for experiment: any Experiment.Type, metric: String, higherIsBetter: Bool, margin: Double,
                marginText: String, main: Comparison, settings: [Comparison] = [], settingName: String? = nil,
                figures: [Figure] = [], findings: [String], grid: [Double],
                tuning: String = "its mean validation accuracy") -> ExperimentResult {
        ExperimentResult(name: ExperimentCatalogue.name(of: experiment), claim: experiment.claim, metric: metric, higherIsBetter: higherIsBetter,
                         margin: margin, marginText: marginText, main: main, settings: settings, settingName: settingName,
                         figures: figures, findings: findings, requestedSeeds: options.seeds, grid: grid,
                         epochs: options.epochs, dataName: data.name, tuning: tuning)
    }

    /// Accuracy of `model` on `data` predicted `chunk` samples at a time in its current mode,
    /// leaving every running statistic as it was (a chunk of one sample is skipped in training mode).
    static func accuracy(_ model: MLP, on data: Dataset, chunk: Int) throws(TensorError) -> Double {
        var correct = 0.0, counted = 0
        for start in stride(from: 0, to: data.count, by: chunk) {
            let indices = Array(start..<min(start + chunk, data.count))
            if model.training && indices.count < 2 { continue }
            let (x, labels) = try data.batch(indices)
            let logits = try model.forward(x, updatingRunningStatistics: false)
            correct += Loss.accuracy(logits: logits, labels: labels) * Double(labels.count)
            counted += labels.count
        }
        return counted > 0 ? correct / Double(counted) : .nan
    }
}

/// Mean of a list (NaN when empty).
func mean(_ values: [Double]) -> Double { Moments.of(values).mean }
