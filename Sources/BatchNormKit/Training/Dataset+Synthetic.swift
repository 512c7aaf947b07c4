/// The 2-D toy problems of every neural-network course, drawn from a `SeededGenerator` so a seed
/// gives the same points on every machine. Samples are stored class by class (split shuffles).
extension Dataset {
    /// Interleaved spiral arms, one per class (CS231n's toy data): for class j and t from 0 to 1,
    /// the point r·(sin θ, cos θ) with r = t and θ = 4j + 4t + noise·normal(0, 1).
    /// `noise` is in radians of angle; 0.2 is CS231n's value.
    public static func spirals(samples: Int, classes: Int = 3, noise: Double = 0.2,
                               using generator: inout SeededGenerator) throws(TensorError) -> Dataset {
        try checkCounts(samples: samples, classes: classes, name: "spirals")
        try checkScale(noise, "noise")
        var values: [Float] = [], labels: [Int] = []
        values.reserveCapacity(2 * samples)
        for j in 0..<classes {
            let n = perClass(samples, classes, j)
            for i in 0..<n {
                let t = n > 1 ? Double(i) / Double(n - 1) : 0
                let theta = 4 * Double(j) + 4 * t + noise * generator.nextNormal()
                values.append(Float(t * sin(theta))); values.append(Float(t * cos(theta)))
                labels.append(j)
            }
        }
        return try Dataset(x: Tensor(shape: [samples, 2], scalars: values), labels: labels, classes: classes, name: "spirals")
    }

    /// Two interleaved half circles (scikit-learn's `make_moons`): class 0 is (cos t, sin t),
    /// class 1 is (1 − cos t, 0.5 − sin t), t evenly in [0, π], plus normal(0, noise) on each coordinate.
    public static func moons(samples: Int, noise: Double = 0.1, using generator: inout SeededGenerator) throws(TensorError) -> Dataset {
        try checkCounts(samples: samples, classes: 2, name: "moons")
        try checkScale(noise, "noise")
        var values: [Float] = [], labels: [Int] = []
        for j in 0..<2 {
            let n = perClass(samples, 2, j)
            for i in 0..<n {
                let t = n > 1 ? Double.pi * Double(i) / Double(n - 1) : 0
                let (px, py) = j == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
                let dx = noise * generator.nextNormal(), dy = noise * generator.nextNormal()
                values.append(Float(px + dx)); values.append(Float(py + dy))
                labels.append(j)
            }
        }
        return try Dataset(x: Tensor(shape: [samples, 2], scalars: values), labels: labels, classes: 2, name: "moons")
    }

    /// Gaussian clusters (scikit-learn's `make_blobs`): one centre per class drawn uniformly in
    /// [−10, 10]², then each point is its class centre plus normal(0, spread) on each coordinate.
    public static func blobs(samples: Int, classes: Int = 3, spread: Double = 1.0,
                             using generator: inout SeededGenerator) throws(TensorError) -> Dataset {
        try checkCounts(samples: samples, classes: classes, name: "blobs")
        try checkScale(spread, "spread")
        var centres: [(Double, Double)] = []
        for _ in 0..<classes {
            let cx = 20 * generator.nextUniformDouble() - 10
            let cy = 20 * generator.nextUniformDouble() - 10
            centres.append((cx, cy))
        }
        var values: [Float] = [], labels: [Int] = []
        for j in 0..<classes {
            for _ in 0..<perClass(samples, classes, j) {
                let dx = spread * generator.nextNormal(), dy = spread * generator.nextNormal()
                values.append(Float(centres[j].0 + dx)); values.append(Float(centres[j].1 + dy))
                labels.append(j)
            }
        }
        return try Dataset(x: Tensor(shape: [samples, 2], scalars: values), labels: labels, classes: classes, name: "blobs")
    }

    /// Samples of class j when `samples` are shared out as evenly as possible, earlier classes first.
    private static func perClass(_ samples: Int, _ classes: Int, _ j: Int) -> Int {
        samples / classes + (j < samples % classes ? 1 : 0)
    }

    private static func checkCounts(samples: Int, classes: Int, name: String) throws(TensorError) {
        guard classes >= 1 else { throw .invalidArgument("\(name) needs at least 1 class, got \(classes)") }
        guard samples >= classes else {
            throw .invalidArgument("\(name) needs at least one sample per class: \(samples) samples for \(classes) classes")
        }
        _ = try Tensor.checkedElementCount([samples, 2])
    }

    private static func checkScale(_ value: Double, _ name: String) throws(TensorError) {
        guard value.isFinite, value >= 0 else {
            throw .invalidArgument("\(name) must be a finite number ≥ 0, got \(value)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
