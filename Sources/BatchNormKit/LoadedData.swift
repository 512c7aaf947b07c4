/// What `DataFile.read` found in a file besides the values: whether it held a NumPy scalar, and
/// what rounding float64 to float32 changed. The kit states the facts; the shell words them.
public struct LoadedData: Sendable {
    public let tensor: Tensor
    /// The file held a 0-d array (`np.save(f, np.float32(2.5))`, shape ()): one value, which
    /// `tensor` keeps in shape (1) because bnlab's smallest tensor is a vector.
    public let isScalar: Bool
    /// Set when the file held float64, which bnlab rounds to float32.
    public let narrowing: Float64Narrowing?
}

/// How much rounding float64 values to float32 moved them, as `a.astype(np.float32)` rounds.
public struct Float64Narrowing: Sendable, Equatable {
    /// The largest |float32 − float64| among values that stayed finite (NaN and ±∞ do not
    /// change); 0 when every value was exactly a float32 already.
    public var largestChange: Double = 0
    /// That change as a share of the float64 value (0 for a change at 0).
    public var relativeChange: Double = 0
    /// The element with the largest change, in C order (a full index, one integer per axis).
    public var index: [Int] = []
    /// Finite float64 values beyond float32's range (±3.4e38), which became ±∞.
    public var overflowed = 0

    /// Running tally over the values in file order; `flat` is where `original` is stored.
    struct Tally {
        var largestChange = 0.0
        var relativeChange = 0.0
        var flat = 0
        var overflowed = 0

        mutating func add(_ original: Double, _ rounded: Float, at flat: Int) {
            guard original.isFinite else { return }
            guard rounded.isFinite else { overflowed += 1; return }
            let change = abs(Double(rounded) - original)
            if change > largestChange {
                largestChange = change
                relativeChange = change / abs(original)
                self.flat = flat
            }
        }

        func result(shape: [Int]) -> Float64Narrowing {
            Float64Narrowing(largestChange: largestChange, relativeChange: relativeChange,
                             index: Tensor.index(ofFlat: flat, in: shape), overflowed: overflowed)
        }
    }
}
