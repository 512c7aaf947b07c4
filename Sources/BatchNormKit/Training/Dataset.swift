/// A labelled classification data set held in memory: the samples a model is trained and tested
/// on, with the seeded split and mini-batch selection the trainer uses.
public struct Dataset: Sendable {
    /// The features, (N, features).
    public let x: Tensor
    /// One class index in 0..<classes per sample.
    public let labels: [Int]
    public let classes: Int
    public let name: String
    /// (C, H, W) when each row of `x` is an image (`Dataset.images`), nil for plain features.
    public internal(set) var imageShape: [Int]?

    /// Checks that `x` is (N, features), that there is one label per row, each in 0..<classes.
    public init(x: Tensor, labels: [Int], classes: Int, name: String) throws(TensorError) {
        guard x.rank == 2 else {
            throw .invalidArgument("a data set's features must have shape (samples, features), got \(x.shapeDescription)")
        }
        guard labels.count == x.shape[0] else {
            throw .invalidArgument("\(name) has \(x.shape[0]) samples but \(labels.count) labels; they must match")
        }
        guard classes >= 1 else { throw .invalidArgument("a data set needs at least 1 class, got \(classes)") }
        if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
            throw .invalidArgument("\(name): label \(bad) is out of range for \(classes) classes (0…\(classes - 1))")
        }
        self.x = x
        self.labels = labels
        self.classes = classes
        self.name = name
    }

    /// Number of samples.
    public var count: Int { x.shape[0] }
    /// Number of features per sample.
    public var features: Int { x.shape[1] }

    /// A shuffled split into a training part and a test part of round(N·testFraction) samples;
    /// the shuffle is a Fisher–Yates permutation drawn from `generator`, so a seed fixes the split.
    public func split(testFraction: Double, using generator: inout SeededGenerator) throws(TensorError) -> (train: Dataset, test: Dataset) {
        guard testFraction > 0, testFraction < 1 else {
            throw .invalidArgument("the test fraction must be between 0 and 1 (exclusive), got \(testFraction)")
        }
        let testCount = Int((Double(count) * testFraction).rounded())
        guard testCount >= 1, testCount < count else {
            throw .invalidArgument("a test fraction of \(testFraction) of \(count) samples leaves "
                + "\(testCount) for testing and \(count - testCount) for training; both need at least 1")
        }
        let order = generator.sample(count, from: count)
        let test = try subset(Array(order.prefix(testCount)))
        let train = try subset(Array(order.dropFirst(testCount)))
        return (train, test)
    }

    /// The samples at `indices` (in that order) and their labels: one mini-batch.
    public func batch(_ indices: [Int]) throws(TensorError) -> (x: Tensor, labels: [Int]) {
        if let bad = indices.first(where: { !(0..<count).contains($0) }) {
            throw .invalidArgument("sample \(bad) is out of range: \(name) has samples 0…\(count - 1)")
        }
        return (try x.samples(indices), indices.map { labels[$0] })
    }

    /// A data set of the samples at `indices`, keeping the name and class count.
    func subset(_ indices: [Int]) throws(TensorError) -> Dataset {
        let (x, labels) = try batch(indices)
        var subset = try Dataset(x: x, labels: labels, classes: classes, name: name)
        subset.imageShape = imageShape
        return subset
    }

    // MARK: - Digits

    /// The 8×8 handwritten digits (UCI, as shipped with scikit-learn): a CSV with 64 pixel columns
    /// (0…16) and a label column (0…9), after an optional header row. Pixels are scaled to 0…1.
    public static func digits(path: String) throws(DataFileError) -> Dataset {
        let table = try CSVFile.read(path: path)
        let (rows, columns) = (table.shape[0], table.shape[1])
        guard columns == 65 else {
            throw .malformed(path: path, detail: "expected 64 pixel columns and a label column (65 in all), found \(columns)")
        }
        var pixels = [Float](repeating: 0, count: rows * 64)
        var labels = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            for p in 0..<64 {
                let value = table.scalars[r * 65 + p]
                guard value >= 0, value <= 16 else {
                    throw .malformed(path: path, detail: "row \(r + 1), pixel \(p): \(value) is outside 0…16")
                }
                pixels[r * 64 + p] = value / 16
            }
            let label = table.scalars[r * 65 + 64]
            guard label >= 0, label <= 9, label == label.rounded() else {
                throw .malformed(path: path, detail: "row \(r + 1): the label \(label) is not a digit 0…9")
            }
            labels[r] = Int(label)
        }
        do {
            return try Dataset(x: Tensor(shape: [rows, 64], scalars: pixels), labels: labels, classes: 10, name: "digits")
        } catch {
            throw .tensor(path: path, error)
        }
    }
}
