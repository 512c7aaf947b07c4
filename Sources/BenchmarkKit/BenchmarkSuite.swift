import BatchNormKit

/// What `bnlab bench` measures: the machine's streaming floor, then BatchNorm, LayerNorm, a
/// histogram, a tensor times a number and a training epoch on the shapes, each as the median of several runs after
/// a warm-up, with the bytes each operation must move at least and its distance from the floor.
public struct BenchmarkSuite {
    public struct Options: Sendable {
        public var runs = 7
        /// Small shapes, for a smoke test: the figures mean nothing.
        public var quick = false
        /// Replaces the (256, 64, 32, 32) image batch (the floor, BN, LayerNorm and histogram rows).
        public var imageShape: [Int]?
        /// The UCI digits CSV the training epoch runs on; no epoch row without it.
        public var digitsPath: String?
        public init() {}
    }

    /// One measured operation.
    public struct Result: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let medianMilliseconds: Double
        public let minimumMilliseconds: Double
        /// The least data the operation must read and write, in bytes (0: not a memory-bound kernel).
        public let bytes: Int
        /// Something other than time worth printing (samples/s, peak memory ratio), with its unit.
        public var note: String = ""

        public init(name: String, shape: [Int], medianMilliseconds: Double, minimumMilliseconds: Double,
                    bytes: Int, note: String = "") {
            self.name = name
            self.shape = shape
            self.medianMilliseconds = medianMilliseconds
            self.minimumMilliseconds = minimumMilliseconds
            self.bytes = bytes
            self.note = note
        }
    }

    let options: Options
    let shouldStop: () -> Bool

    public init(options: Options, shouldStop: @escaping () -> Bool = { false }) {
        self.options = options
        self.shouldStop = shouldStop
    }

    /// The 4-D and 2-D shapes of the issue, or small ones for `quick`.
    var shapes: (image: [Int], dense: [Int]) {
        let (image, dense) = options.quick ? ([16, 64, 32, 32], [256, 1024]) : ([256, 64, 32, 32], [4096, 1024])
        return (options.imageShape ?? image, dense)
    }

    /// Runs every operation in order, calling `report` as each finishes. Throws `interrupted`
    /// between operations (and between runs) when `shouldStop` says so.
    public func run(report: (Result) -> Void) throws(BenchmarkError) {
        try checkMemory()
        var rng = SeededGenerator(seed: 1)
        let floor = try measureCopy(shape: shapes.image, rng: &rng)
        report(floor.prealloc)
        report(floor.fresh)
        for shape in [shapes.image, shapes.dense] {
            for result in try measureNorms(shape: shape, rng: &rng) { report(result) }
        }
        report(try measureHistogram(shape: shapes.image, rng: &rng))
        report(try measureScale(shape: shapes.image, rng: &rng))
        if let epoch = try measureEpoch() { report(epoch) }
        if let epoch = try measureConvEpoch() { report(epoch) }
    }

    // MARK: - Operations

    private func measureCopy(shape: [Int], rng: inout SeededGenerator) throws(BenchmarkError) -> (prealloc: Result, fresh: Result) {
        let x = try tensor(shape, &rng)
        var y = [Float](repeating: 0, count: x.count)
        let prealloc = try time("copy", shape, bytes: 2 * bytes(x)) {
            x.scalars.withUnsafeBufferPointer { source in
                y.withUnsafeMutableBufferPointer { target in
                    target.baseAddress!.update(from: source.baseAddress!, count: source.count)
                }
            }
        }
        let fresh = try time("copy_fresh", shape, bytes: 2 * bytes(x)) {
            let copy = [Float](unsafeUninitializedCapacity: x.count) { target, initialized in
                x.scalars.withUnsafeBufferPointer { target.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
                initialized = x.count
            }
            keep(copy)
        }
        return (prealloc, fresh)
    }

    private func measureNorms(shape: [Int], rng: inout SeededGenerator) throws(BenchmarkError) -> [Result] {
        let x = try tensor(shape, &rng), dy = try tensor(shape, &rng)
        let size = bytes(x)
        let bn = try wrap { () throws(TensorError) in try BatchNorm(numFeatures: shape[1]) }
        var results: [Result] = []
        results.append(try time("bn_train", shape, bytes: 3 * size) { keep(try? bn.forward(x)) })
        bn.training = false
        results.append(try time("bn_eval", shape, bytes: 2 * size) { keep(try? bn.forward(x)) })
        bn.training = true
        results.append(try time("bn_backward", shape, bytes: 3 * size) { keep(try? bn.backward(x, dy)) })
        let normalized = LayerNormChoice.normalizedShape(for: shape)
        let layerNorm = try wrap { () throws(TensorError) in try LayerNorm(normalizedShape: normalized) }
        results.append(try time("layernorm", shape, bytes: 3 * size) { keep(try? layerNorm.forward(x)) })
        return results
    }

    private func measureHistogram(shape: [Int], rng: inout SeededGenerator) throws(BenchmarkError) -> Result {
        let x = try tensor(shape, &rng)
        return try time("hist50", shape, bytes: 2 * bytes(x)) { keep(try? Histogram(x.scalars, bins: 50)) }
    }

    /// `y = x * 1.5` as the prompt runs it: one read and one write of x, into a fresh result.
    private func measureScale(shape: [Int], rng: inout SeededGenerator) throws(BenchmarkError) -> Result {
        let x = try tensor(shape, &rng)
        return try time("scale", shape, bytes: 2 * bytes(x)) { keep(x.combined(with: 1.5, .multiply)) }
    }

    /// One epoch of the training lab's 4-layer BatchNorm MLP on the digits, batch 32.
    private func measureEpoch() throws(BenchmarkError) -> Result? {
        try measureEpoch("mlp_epoch") { digits throws(TensorError) in
            var generator = SeededGenerator(seed: 0)
            return try MLP(sizes: [digits.features, 128, 128, 128, digits.classes], norm: .batch, using: &generator)
        }
    }

    /// One epoch of lesson 15's BatchNorm conv net, cnn([1, 8, 16]), on the digits images, batch 32.
    private func measureConvEpoch() throws(BenchmarkError) -> Result? {
        try measureEpoch("cnn_epoch") { digits throws(TensorError) in
            var generator = SeededGenerator(seed: 0)
            return try ConvNet(channels: [1, 8, 16], classes: digits.classes, imageSize: 8, norm: .batch, using: &generator)
        }
    }

    /// One epoch (with the test set evaluated) of the model `build` makes afresh for each run.
    private func measureEpoch<Model: TrainableModel>(_ name: String,
                                                     build: (Dataset) throws(TensorError) -> Model) throws(BenchmarkError) -> Result? {
        guard let path = options.digitsPath, let digits = try? Dataset.digits(path: path) else { return nil }
        var rng = SeededGenerator(seed: 0)
        let (train, test) = try wrap { () throws(TensorError) in try digits.split(testFraction: 0.2, using: &rng) }
        var config = TrainingConfig()
        config.epochs = 1
        var result = try time(name, [train.count, digits.features], bytes: 0) {
            guard let net = try? build(digits) else { return }
            keep(try? Trainer.train(net, train: train, test: test, config: config))
        }
        result.note = "\(Int((Double(train.count) / (result.medianMilliseconds / 1000)).rounded())) samples/s"
        return result
    }

    // MARK: - Timing

    private func time(_ name: String, _ shape: [Int], bytes: Int, _ body: () -> Void) throws(BenchmarkError) -> Result {
        if shouldStop() { throw .interrupted }
        body()  // warm-up: first-touch page faults and caches belong to no run
        var samples: [Double] = []
        for _ in 0..<max(1, options.runs) {
            if shouldStop() { throw .interrupted }
            let start = ContinuousClock.now
            body()
            samples.append((ContinuousClock.now - start).milliseconds)
        }
        samples.sort()
        return Result(name: name, shape: shape, medianMilliseconds: samples[samples.count / 2],
                      minimumMilliseconds: samples[0], bytes: bytes)
    }

    private func tensor(_ shape: [Int], _ rng: inout SeededGenerator) throws(BenchmarkError) -> Tensor {
        try wrap { () throws(TensorError) in try Tensor.randn(shape, using: &rng) }
    }

    private func wrap<T>(_ body: () throws(TensorError) -> T) throws(BenchmarkError) -> T {
        do { return try body() } catch { throw .tensor(error) }
    }

    private func bytes(_ x: Tensor) -> Int { x.count * MemoryLayout<Float>.size }

    /// Refuses up front when the shapes cannot be made or cannot fit: x, dy, a result and a copy
    /// of the image batch exist at once. `run` checks first too; call it before other work.
    public func checkMemory() throws(BenchmarkError) {
        let shape = shapes.image
        guard (2...4).contains(shape.count), shape.allSatisfy({ $0 > 0 }) else {
            throw .badShape("the benchmark's shape needs 2 to 4 positive sizes, channels second, got \(Tensor.describe(shape: shape))")
        }
        // Its own memory check below counts every buffer the benchmark holds at once, not just x.
        let elements = try wrap { () throws(TensorError) in try Tensor.checkedElementCount(shape, checkingMemory: false) }
        let needed = 4 * elements * MemoryLayout<Float>.size
        if let available = SystemMemory.availableBytes(), available < needed {
            throw .notEnoughMemory(needed: needed, available: available)
        }
    }
}

/// Keeps a result alive until here, so the optimizer cannot drop the work that made it.
@inline(never)
func keep<T>(_ value: T) { withExtendedLifetime(value) {} }

/// LayerNorm's normalized axes in the benchmark: the last axis of (N, D), and (H, W) of an image,
/// as bench/compare.py does in NumPy and PyTorch.
enum LayerNormChoice {
    static func normalizedShape(for shape: [Int]) -> [Int] {
        shape.count == 2 ? [shape[1]] : Array(shape.suffix(2))
    }
}
