@testable import BatchNormKit
import Testing

/// The data sets, the losses, and the model's bookkeeping.
@Suite struct TrainingDatasetTests {
    /// data/digits/digits.csv, found from this file: the repository root is three folders up.
    static let digitsPath: String = {
        var path = "\(#filePath)"
        for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path + "/data/digits/digits.csv"
    }()

    @Test func digitsLoad() throws {
        let digits = try Dataset.digits(path: Self.digitsPath)
        #expect(digits.x.shape == [1797, 64])
        #expect(digits.classes == 10)
        #expect(Set(digits.labels) == Set(0...9))
        #expect(digits.labels.prefix(5) == [0, 1, 2, 3, 4])
        #expect(digits.labels.filter { $0 == 8 }.count == 174)
        // First image, first row: 0 0 5 13 9 1 0 0 (pixels 0…16, scaled by 1/16).
        #expect(Array(digits.x.scalars.prefix(8)) == [0, 0, 5, 13, 9, 1, 0, 0].map { Float($0) / 16 })
        #expect(digits.x.scalars.min() == 0 && digits.x.scalars.max() == 1)
    }

    @Test func digitsErrorsNameTheFile() throws {
        #expect(throws: DataFileError.notFound(path: "/nonexistent/digits.csv")) {
            try Dataset.digits(path: "/nonexistent/digits.csv")
        }
    }

    @Test func splitIsSeededAndComplete() throws {
        var rng = SeededGenerator(seed: 3)
        let data = try Dataset.spirals(samples: 100, using: &rng)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let first = try data.split(testFraction: 0.25, using: &a)
        let second = try data.split(testFraction: 0.25, using: &b)
        #expect(first.train.count == 75 && first.test.count == 25)
        #expect(first.train.x == second.train.x && first.test.labels == second.test.labels)
        #expect((first.train.labels + first.test.labels).sorted() == data.labels.sorted())
        #expect(throws: TensorError.self) { try data.split(testFraction: 1, using: &a) }
    }

    @Test func syntheticSets() throws {
        var rng = SeededGenerator(seed: 0)
        let spirals = try Dataset.spirals(samples: 301, classes: 3, using: &rng)
        #expect(spirals.x.shape == [301, 2] && spirals.labels.filter { $0 == 0 }.count == 101)
        // The first point of every arm is the origin (radius 0).
        #expect(spirals.x.scalars[0] == 0 && spirals.x.scalars[1] == 0)
        let moons = try Dataset.moons(samples: 50, noise: 0, using: &rng)
        // Noise 0: the first point of moon 0 is (cos 0, sin 0), of moon 1 is (1 − cos 0, 0.5 − sin 0).
        #expect(Array(moons.x.scalars[0..<2]) == [1, 0] && Array(moons.x.scalars[50..<52]) == [0, 0.5])
        let blobs = try Dataset.blobs(samples: 60, classes: 4, spread: 0.5, using: &rng)
        #expect(blobs.classes == 4 && blobs.x.shape == [60, 2])
        #expect(throws: TensorError.self) { try Dataset.spirals(samples: 2, classes: 3, using: &rng) }
        var again = SeededGenerator(seed: 0)
        #expect(try Dataset.spirals(samples: 301, classes: 3, using: &again).x == spirals.x)
    }

    @Test func batchPicksRows() throws {
        let data = try Dataset(x: Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]), labels: [0, 1, 0], classes: 2, name: "t")
        let (x, labels) = try data.batch([2, 0])
        #expect(x.scalars == [5, 6, 1, 2] && labels == [0, 0])
        #expect(throws: TensorError.self) { try data.batch([3]) }
        #expect(throws: TensorError.self) { try Dataset(x: Tensor.zeros([2, 2]), labels: [0, 2], classes: 2, name: "t") }
    }

    @Test func crossEntropyAndAccuracy() throws {
        let logits = try Tensor(shape: [2, 3], scalars: [0, 0, 0, 1, 2, 3])
        let (loss, gradient) = try Loss.crossEntropy(logits: logits, labels: [0, 2])
        // Row 1: log 3. Row 2: log(e + e² + e³) − 3 = 0.40760596…
        #expect(abs(loss - (1.0986122886681098 + 0.40760596444437994) / 2) < 1e-12)
        let p: [Double] = [1.0, 2.0, 3.0].map { exp($0 - 3 - 0.40760596444437994) }
        let third: Double = 1.0 / 3
        let rows: [Double] = [third - 1, third, third, p[0], p[1], p[2] - 1]
        let expected = rows.map { Float($0 / 2) }
        expectClose(gradient.scalars, expected, atol: 1e-7, rtol: 1e-6, "softmax − onehot over N")
        #expect(Loss.accuracy(logits: logits, labels: [0, 2]) == 1)
        #expect(Loss.accuracy(logits: logits, labels: [1, 1]) == 0)
        #expect(throws: TensorError.self) { try Loss.crossEntropy(logits: logits, labels: [0, 3]) }
        // Stable log-softmax: huge logits give a finite loss.
        let huge = try Loss.crossEntropy(logits: Tensor(shape: [1, 2], scalars: [1e30, 0]), labels: [1])
        #expect(huge.loss == Double(Float(1e30)))
    }

    @Test func meanSquaredError() throws {
        let (loss, gradient) = try Loss.meanSquaredError(Tensor(vector: [1, 2, 4]), Tensor(vector: [1, 0, 1]))
        #expect(loss == (0 + 4 + 9) / 3.0)
        let expected: [Float] = [0, 4.0 / 3, 2]
        #expect(gradient.scalars == expected)
    }

    @Test func modelDescriptionAndParameterCount() throws {
        var rng = SeededGenerator(seed: 0)
        let model = try MLP(sizes: [2, 64, 64, 3], norm: .batch, using: &rng)
        #expect(model.describe == "linear(2 → 64) · batchnorm(64) · relu\nlinear(64 → 64) · batchnorm(64) · relu\nlinear(64 → 3)")
        #expect(model.parameterCount == (2 * 64 + 64) + 128 + (64 * 64 + 64) + 128 + (64 * 3 + 3))
        let post = try MLP(sizes: [2, 4, 2], norm: .group, activation: .tanh, order: .post, groups: 2, using: &rng)
        #expect(post.describe == "linear(2 → 4) · tanh · groupnorm(2, 4)\nlinear(4 → 2)")
        #expect(throws: TensorError.groupsDoNotDivide(channels: 5, groups: 2)) {
            try MLP(sizes: [2, 5, 2], norm: .group, using: &rng)
        }
        // Kaiming: std(W) ≈ gain/√fan_in = √2/8 for the 64 × 64 layer.
        let w = model.blocks[1].linear.weight.scalars.map(Double.init)
        let std = (w.reduce(0) { $0 + $1 * $1 } / Double(w.count)).squareRoot()
        #expect(abs(std - 2.0.squareRoot() / 8) < 0.01)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
