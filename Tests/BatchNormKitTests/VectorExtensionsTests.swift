@testable import BatchNormKit
import Testing

/// The C kernels pick AVX-512, AVX2 or the SSE2 baseline at run time; every level must give the
/// same bits, so a trained model is the same on every machine. Forcing a level is process-wide,
/// which is harmless to tests running alongside exactly when these pass.
@Suite(.serialized) struct VectorExtensionsTests {
    /// The plain i-k-j loop the register-blocked kernel replaced: the order every element keeps.
    static func reference(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, c: [Float]) -> [Float] {
        var c = c
        for i in 0..<m {
            for p in 0..<k {
                let aip = a[i * k + p]
                for j in 0..<n { c[i * n + j] += aip * b[p * n + j] }
            }
        }
        return c
    }

    /// Runs `body` on the baseline path, then on every wider level this CPU has, and expects the same result.
    static func sameAtEveryLevel<T: Equatable>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) throws {
        defer { VectorExtensions.use(nil) }
        VectorExtensions.use(.baseline)
        let baseline = try body()
        for level in levels.dropFirst() {
            VectorExtensions.use(level)
            #expect(try body() == baseline, "\(level)", sourceLocation: sourceLocation)
        }
    }

    static var levels: [VectorExtensions] { VectorExtensions.allCases.filter { $0.rawValue <= VectorExtensions.supported.rawValue } }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (4, 16, 16), (3, 5, 17), (33, 64, 129), (128, 32, 64), (32, 128, 10)])
    func matmulKeepsThePlainLoopsBitsAtEveryLevel(_ shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SeededGenerator(seed: UInt64(m * 10_000 + k * 100 + n))
        let a = (0..<(m * k)).map { _ in Float(rng.nextNormal()) }
        let b = (0..<(k * n)).map { _ in Float(rng.nextNormal()) }
        let c0 = (0..<(m * n)).map { _ in Float(rng.nextNormal()) }
        let expected = Self.reference(a, b, m: m, k: k, n: n, c: c0)
        defer { VectorExtensions.use(nil) }
        for level in Self.levels {
            VectorExtensions.use(level)
            var c = c0
            Matmul.multiplyAdd(a, b, m: m, k: k, n: n, into: &c)
            #expect(c.map(\.bitPattern) == expected.map(\.bitPattern), "\(level) on \(shape)")
            var fromTransposed = c0
            Matmul.multiplyAddTransposedA(Matmul.transpose(a, rows: m, columns: k), b, m: m, k: k, n: n, into: &fromTransposed)
            #expect(fromTransposed.map(\.bitPattern) == expected.map(\.bitPattern), "Aᵀ variant at \(level) on \(shape)")
        }
    }

    /// The test: a model trained on the forced baseline path and on the CPU's widest path
    /// ends with the same parameters, bit for bit.
    @Test func aTrainedModelIsBitIdenticalOnTheBaselinePath() throws {
        func trained() throws -> [[UInt32]] {
            let (model, train, test) = try TrainingTrainerTests.setup(seed: 3, norm: .batch, activation: .tanh)
            _ = try Trainer.train(model, train: train, test: test, config: TrainingTrainerTests.config(epochs: 3, learningRate: 0.1, seed: 5))
            return model.parameterSlots.map { $0.values().map(\.bitPattern) }
        }
        defer { VectorExtensions.use(nil) }
        #expect(VectorExtensions.use(.baseline) == .baseline)
        let baseline = try trained()
        let widest = VectorExtensions.use(nil)
        let vectorized = try trained()
        #expect(baseline.count == vectorized.count && baseline.count == 10)
        #expect(baseline == vectorized, "baseline and \(widest) differ")
    }

    /// Arithmetic and the histogram's bin indices, on a tensor with NaN, ±∞ and a tail that
    /// fills no whole vector, at every level.
    @Test func arithmeticAndTheHistogramKeepTheirBitsAtEveryLevel() throws {
        var rng = SeededGenerator(seed: 11)
        var values = (0..<1003).map { _ in Float(rng.nextNormal()) * 3 }
        values[5] = .nan; values[17] = .infinity; values[40] = -.infinity; values[41] = 0
        let x = Tensor(vector: values), y = Tensor(vector: values.reversed())
        func run() throws -> [[UInt32]] {
            let scaled = x.combined(with: 1.5, .multiply), divided = try x.combined(with: y, .divide)
            let counts = try Histogram(values, bins: 50).counts.map { UInt32($0) }
            return [scaled.scalars.map(\.bitPattern), divided.scalars.map(\.bitPattern), counts]
        }
        try Self.sameAtEveryLevel(run)
    }

    /// The C activations give FastTanh's (Swift) bits and relu's, NaN, ±∞, ±0 and tiny values
    /// included, at every level.
    @Test func activationsKeepTheSwiftBitsAtEveryLevel() {
        var inputs: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, 3e-4, -3e-4, 4e-4, 7.9, -7.9, 7.91, 8, -20, 1e-40]
        var x: Float = -10
        while x <= 10 { inputs.append(x); x += 0.000_731 }
        let z = Tensor(vector: inputs)
        let tanhExpected = inputs.map { FastTanh.value($0).bitPattern }
        let reluExpected = inputs.map { ($0 > 0 || $0.isNaN ? $0 : 0).bitPattern }
        defer { VectorExtensions.use(nil) }
        for level in Self.levels {
            VectorExtensions.use(level)
            let t = Activation.tanh.forward(z), r = Activation.relu.forward(z)
            #expect(zip(t.scalars.map(\.bitPattern), tanhExpected).allSatisfy { $0 == $1 || (Float(bitPattern: $0).isNaN && Float(bitPattern: $1).isNaN) },
                    "tanh at \(level)")
            #expect(zip(r.scalars.map(\.bitPattern), reluExpected).allSatisfy { $0 == $1 || (Float(bitPattern: $0).isNaN && Float(bitPattern: $1).isNaN) },
                    "relu at \(level)")
            let dz = Activation.relu.backward(output: r, z)
            #expect(dz.scalars.enumerated().allSatisfy { i, v in r.scalars[i] > 0 ? v.bitPattern == inputs[i].bitPattern : v.bitPattern == 0 })
            let dt = Activation.tanh.backward(output: t, z)
            #expect(dt.scalars.enumerated().allSatisfy { i, v in
                let expected = inputs[i] * (1 - t.scalars[i] * t.scalars[i])
                return v.bitPattern == expected.bitPattern || (v.isNaN && expected.isNaN)
            }, "tanh′ at \(level)")
        }
    }

    /// Statistics and normalize, on (N, C, H, W), (N, C) and a LayerNorm, with a channel at
    /// 10⁴ ± 10⁻² and lengths that leave a tail: the same bits at every level.
    @Test func statisticsAndNormalizeKeepTheirBitsAtEveryLevel() throws {
        var rng = SeededGenerator(seed: 21)
        let image = try Tensor.randn([3, 5, 7, 9], using: &rng)
        var dense = try Tensor.randn([37, 13], using: &rng).scalars
        for row in 0..<37 { dense[row * 13 + 2] = 10_000 + Float(rng.nextNormal()) * 0.01 }
        let table = try Tensor(shape: [37, 13], scalars: dense)
        let wide = try Tensor.randn([70, 45], using: &rng)  // 16-column strips, a tail, a short last block
        func run() throws -> [[UInt64]] {
            var out: [[UInt64]] = []
            for x in [image, table, wide] {
                let m = Moments.perChannel(of: x)
                out.append(m.mean.map(\.bitPattern) + m.variance.map(\.bitPattern))
                let bn = try BatchNorm(numFeatures: x.shape[1])
                out.append(try bn.forward(x).scalars.map { UInt64($0.bitPattern) })
                out.append(bn.runningVar.scalars.map { UInt64($0.bitPattern) })
            }
            let ln = try LayerNorm(normalizedShape: [7, 9])
            out.append(try ln.forward(image).scalars.map { UInt64($0.bitPattern) })
            return out
        }
        try Self.sameAtEveryLevel(run)
    }

    /// BatchNorm backward (backward.c) in training and eval mode, on (N, C, H, W) with a tail, a
    /// short last piece and a channel at 10⁴ ± 10⁻², and on (N, C), then LayerNorm and GroupNorm
    /// backward: the same bits at every level.
    @Test func batchNormBackwardKeepsItsBitsAtEveryLevel() throws {
        var rng = SeededGenerator(seed: 23)
        let image = try Tensor.randn([35, 5, 3, 7], using: &rng)
        var dense = try Tensor.randn([37, 13], using: &rng).scalars
        for row in 0..<37 { dense[row * 13 + 2] = 10_000 + Float(rng.nextNormal()) * 0.01 }
        let table = try Tensor(shape: [37, 13], scalars: dense)
        func run() throws -> [[UInt32]] {
            var out: [[UInt32]] = []
            for x in [image, table] {
                let dy = try Tensor.randn(x.shape, using: &rng)
                let bn = try BatchNorm(numFeatures: x.shape[1])
                for training in [true, false] {
                    bn.training = training
                    let g = try bn.backward(x, dy)
                    out += [g.dx.scalars.map(\.bitPattern), g.dgamma.scalars.map(\.bitPattern), g.dbeta.scalars.map(\.bitPattern)]
                }
            }
            // LayerNorm and GroupNorm backward (block_norm_backward.c).
            let dy = try Tensor.randn(image.shape, using: &rng)
            for g in [try LayerNorm(normalizedShape: [3, 7]).backward(image, dy),
                      try GroupNorm(numGroups: 5, numChannels: 5).backward(image, dy)] {
                out += [g.dx.scalars.map(\.bitPattern), g.dgamma.scalars.map(\.bitPattern), g.dbeta.scalars.map(\.bitPattern)]
            }
            return out
        }
        let seed = rng
        try Self.sameAtEveryLevel { rng = seed; return try run() }
    }

    @Test func theLevelIsCappedAtWhatTheCPUHas() {
        defer { VectorExtensions.use(nil) }
        #expect(VectorExtensions.use(.avx512).rawValue <= VectorExtensions.supported.rawValue)
        #expect(VectorExtensions.use(nil) == VectorExtensions.supported)
    }
}
