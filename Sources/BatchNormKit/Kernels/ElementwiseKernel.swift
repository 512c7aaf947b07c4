import CKernels

/// The loops behind `+ - * /` on tensors: one C loop per operation (see elementwise.c), with the
/// broadcast of a per-channel vector resolved outside it, in pieces spread over the threads.
///
/// Every output element is the one float32 operation of its two inputs, so it does not matter
/// which thread computes it; the pieces still have fixed, shape-given boundaries like every kernel here.
enum ElementwiseKernel {
    /// Elements per piece of a flat loop: 256 KiB of input, large enough that a thread's share
    /// is a few long runs, small enough to split 2^18 elements evenly.
    static let pieceSize = 1 << 16

    /// A fresh array of `count` results, filled by `body(y, start, end)` for each piece of the range.
    private static func pieces(_ count: Int, _ body: (UnsafeMutablePointer<Float>, Int, Int) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { out, initialized in
            if count > 0 {
                let shared = UnsafeSendable(out.baseAddress!)
                Parallelism.forEachPiece((count + pieceSize - 1) / pieceSize, elements: count) { piece in
                    let start = piece * pieceSize
                    body(shared.value, start, Swift.min(count, start + pieceSize))
                }
            }
            initialized = count
        }
    }

    /// x ∘ s, or s ∘ x when `scalarOnLeft`.
    static func scalar(_ x: [Float], _ s: Float, _ op: ElementwiseOperation, scalarOnLeft: Bool) -> [Float] {
        x.withUnsafeBufferPointer { x in
            let input = UnsafeSendable(x.baseAddress)
            return pieces(x.count) { y, start, end in
                bnlab_elementwise_scalar(input.value! + start, Int64(end - start), s, op.kernelCode,
                                         scalarOnLeft ? 1 : 0, y + start)
            }
        }
    }

    /// a ∘ b for arrays of the same length.
    static func tensors(_ a: [Float], _ b: [Float], _ op: ElementwiseOperation) -> [Float] {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                let inputs = UnsafeSendable((a.baseAddress, b.baseAddress))
                return pieces(a.count) { y, start, end in
                    let (a, b) = inputs.value
                    bnlab_elementwise_tensor(a! + start, b! + start, Int64(end - start), op.kernelCode, y + start)
                }
            }
        }
    }

    /// Rows shorter than this are broadcast by a whole sample at a time against a repeated vector.
    static let shortRow = 64

    /// x ∘ v[channel] (or v[channel] ∘ x when `vectorOnLeft`) for x laid out as (n, c, inner).
    static func channels(_ x: [Float], n: Int, c: Int, inner: Int, _ v: [Float], _ op: ElementwiseOperation,
                         vectorOnLeft: Bool) -> [Float] {
        let count = n * c * inner
        precondition(x.count == count && v.count == c)
        guard count > 0 else { return [] }
        return x.withUnsafeBufferPointer { x in
            let input = UnsafeSendable(x.baseAddress!)
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                let output = UnsafeSendable(out.baseAddress!)
                if inner >= shortRow {
                    // Each row of `inner` values meets one channel's value: the scalar loop, row by row.
                    let rows = n * c, rowsPerPiece = Swift.max(1, pieceSize / inner)
                    Parallelism.forEachPiece((rows + rowsPerPiece - 1) / rowsPerPiece, elements: count) { piece in
                        for row in (piece * rowsPerPiece)..<Swift.min(rows, (piece + 1) * rowsPerPiece) {
                            let start = row * inner
                            bnlab_elementwise_scalar(input.value + start, Int64(inner), v[row % c], op.kernelCode,
                                                     vectorOnLeft ? 1 : 0, output.value + start)
                        }
                    }
                } else {
                    // (N, C) and small images: one sample's c·inner values against v repeated to match.
                    let width = c * inner
                    let repeated = (0..<width).map { v[$0 / inner] }
                    let samplesPerPiece = Swift.max(1, pieceSize / width)
                    repeated.withUnsafeBufferPointer { r in
                        let vector = UnsafeSendable(r.baseAddress!)
                        Parallelism.forEachPiece((n + samplesPerPiece - 1) / samplesPerPiece, elements: count) { piece in
                            for sample in (piece * samplesPerPiece)..<Swift.min(n, (piece + 1) * samplesPerPiece) {
                                let (row, y) = (input.value + sample * width, output.value + sample * width)
                                // v + x is x + v: the tensor goes left so its NaN wins, as in the scalar loop.
                                let (a, b) = vectorOnLeft && !op.commutes ? (vector.value, row) : (row, vector.value)
                                bnlab_elementwise_tensor(a, b, Int64(width), op.kernelCode, y)
                            }
                        }
                    }
                }
                initialized = count
            }
        }
    }
}

extension ElementwiseOperation {
    /// a ∘ b = b ∘ a exactly (for + and ×, up to which NaN a NaN result carries).
    var commutes: Bool { self == .add || self == .multiply }

    /// The operation's number in CKernels.h (BNLAB_ADD …).
    var kernelCode: Int32 {
        switch self {
        case .add: Int32(BNLAB_ADD)
        case .subtract: Int32(BNLAB_SUBTRACT)
        case .multiply: Int32(BNLAB_MULTIPLY)
        case .divide: Int32(BNLAB_DIVIDE)
        default: preconditionFailure("\(self) has no C loop: check runsInC first")
        }
    }
}
