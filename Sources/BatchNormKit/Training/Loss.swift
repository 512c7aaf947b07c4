/// The losses the trainer minimizes, each returning its value and its gradient with respect to
/// the prediction, ready for `MLP.backward`. Accumulated in Float64; the mean is over the batch,
/// as PyTorch's default `reduction="mean"`.
public enum Loss {
    /// Cross-entropy of softmax(logits) against integer labels (PyTorch's `F.cross_entropy`).
    ///
    ///     log p_ic = z_ic − (m_i + log Σ_j exp(z_ij − m_i)),  m_i = max_j z_ij  (stable log-softmax)
    ///     L = −(1/N) Σ_i log p_i,y_i          ∂L/∂z_ic = (p_ic − [c = y_i]) / N
    public static func crossEntropy(logits: Tensor, labels: [Int]) throws(TensorError) -> (loss: Double, gradient: Tensor) {
        guard logits.rank == 2, logits.shape[1] >= 1 else {
            throw .invalidArgument("cross-entropy expects logits of shape (N, classes), got \(logits.shapeDescription)")
        }
        let (n, classes) = (logits.shape[0], logits.shape[1])
        guard labels.count == n else {
            throw .invalidArgument("cross-entropy got \(n) rows of logits but \(labels.count) labels; they must match")
        }
        guard n > 0 else { throw .invalidArgument("cross-entropy of an empty batch is undefined (0 samples)") }
        if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
            throw .invalidArgument("label \(bad) is out of range for \(classes) classes (labels are 0…\(classes - 1))")
        }
        var total = 0.0
        var gradient = [Float](repeating: 0, count: logits.count)
        var row = [Double](repeating: 0, count: classes)
        for i in 0..<n {
            for c in 0..<classes { row[c] = Double(logits.scalars[i * classes + c]) }
            let m = row.max()!
            var sum = 0.0
            for c in 0..<classes { sum += exp(row[c] - m) }
            let logSumExp = m + log(sum)
            total += logSumExp - row[labels[i]]
            for c in 0..<classes {
                let p = exp(row[c] - logSumExp)
                gradient[i * classes + c] = Float((p - (c == labels[i] ? 1 : 0)) / Double(n))
            }
        }
        return (total / Double(n), Tensor(uncheckedShape: logits.shape, scalars: gradient))
    }

    /// Mean squared error over every element (PyTorch's `F.mse_loss`).
    ///
    ///     L = (1/M) Σ (ŷ − y)²          ∂L/∂ŷ = 2(ŷ − y)/M
    public static func meanSquaredError(_ prediction: Tensor, _ target: Tensor) throws(TensorError) -> (loss: Double, gradient: Tensor) {
        guard prediction.shape == target.shape else {
            throw .shapeMismatch(operation: "compare (mean squared error)", lhs: prediction.shape, rhs: target.shape)
        }
        guard prediction.count > 0 else { throw .invalidArgument("the mean squared error of no values is undefined") }
        let m = Double(prediction.count)
        var total = 0.0
        var gradient = [Float](repeating: 0, count: prediction.count)
        for i in 0..<prediction.count {
            let d = Double(prediction.scalars[i]) - Double(target.scalars[i])
            total += d * d
            gradient[i] = Float(2 * d / m)
        }
        return (total / m, Tensor(uncheckedShape: prediction.shape, scalars: gradient))
    }

    /// The fraction of rows whose largest logit (the first, on ties, as `argmax`) is the label.
    /// Rows beyond the shorter of logits and labels are ignored; no rows give 0.
    public static func accuracy(logits: Tensor, labels: [Int]) -> Double {
        guard logits.rank == 2, logits.shape[1] >= 1 else { return 0 }
        let classes = logits.shape[1]
        let n = min(logits.shape[0], labels.count)
        guard n > 0 else { return 0 }
        var correct = 0
        for i in 0..<n {
            var best = 0
            for c in 1..<classes where logits.scalars[i * classes + c] > logits.scalars[i * classes + best] { best = c }
            if best == labels[i] { correct += 1 }
        }
        return Double(correct) / Double(n)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
