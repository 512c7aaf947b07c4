import CKernels

/// The matrix products a Linear layer needs, on row-major `[Float]` storage.
///
/// The C kernel keeps tiles of C in registers and uses the widest vectors the CPU has, but adds
/// each element's products in k order with one float32 rounding per operation, as the plain i-k-j
/// loop did: the result is the same on every machine, path and thread count.
enum Matmul {
    /// C (m×n) = A (m×k) · B (k×n), added to `c` (which must hold m·n values).
    static func multiplyAdd(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, into c: inout [Float]) {
        guard m > 0, k > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    bnlab_matmul_add(a.baseAddress!, b.baseAddress!, Int64(m), Int64(k), Int64(n), c.baseAddress!)
                }
            }
        }
    }

    /// C (m×n) = Aᵀ · B for A stored k×m, added to `c`: `multiplyAdd(transpose(a), b, …)`'s bits
    /// without making the transpose.
    static func multiplyAddTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, into c: inout [Float]) {
        guard m > 0, k > 0, n > 0 else { return }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    bnlab_matmul_add_transposed_a(a.baseAddress!, b.baseAddress!, Int64(m), Int64(k), Int64(n), c.baseAddress!)
                }
            }
        }
    }

    /// Aᵀ (columns×rows) of A (rows×columns).
    static func transpose(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { t, initialized in
            a.withUnsafeBufferPointer { a in
                if rows * columns > 0 { bnlab_transpose(a.baseAddress!, Int64(rows), Int64(columns), t.baseAddress!) }
            }
            initialized = rows * columns
        }
    }
}
