/// The matrix products a Linear layer needs, on row-major `[Float]` storage.
///
/// The loop order is i-k-j: the innermost loop walks one contiguous row of B and one of C, which
/// the compiler vectorizes. No reduction is reordered, so the result is the same on every machine.
enum Matmul {
    /// C (m×n) = A (m×k) · B (k×n), added to `c` (which must hold m·n values).
    static func multiplyAdd(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, into c: inout [Float]) {
        guard m > 0, k > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let (a, b, c) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    for i in 0..<m {
                        let cRow = c + i * n
                        for p in 0..<k {
                            let aip = a[i * k + p]
                            let bRow = b + p * n
                            for j in 0..<n { cRow[j] += aip * bRow[j] }
                        }
                    }
                }
            }
        }
    }

    /// Aᵀ (columns×rows) of A (rows×columns).
    static func transpose(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        var t = [Float](repeating: 0, count: rows * columns)
        a.withUnsafeBufferPointer { a in
            t.withUnsafeMutableBufferPointer { t in
                for r in 0..<rows {
                    for c in 0..<columns { t[c * rows + r] = a[r * columns + c] }
                }
            }
        }
        return t
    }
}
