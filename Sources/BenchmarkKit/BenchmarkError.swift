import BatchNormKit

/// Why the benchmark stopped.
public enum BenchmarkError: Error, CustomStringConvertible {
    case interrupted
    case notEnoughMemory(needed: Int, available: Int)
    case badShape(String)
    case tensor(TensorError)

    public var description: String {
        switch self {
        case .interrupted: "interrupted"
        case .notEnoughMemory(let needed, let available):
            "the benchmark needs about \(needed >> 20) MiB and only \(available >> 20) MiB is available; try --quick"
        case .badShape(let message): message
        case .tensor(let error): error.description
        }
    }
}
