/// Float32 data summed in Float64, eight values at a time: the inner loops of the statistics.
/// Unsafe pointers are confined to these few audited loops; callers pass in-bounds counts.
enum SIMDSum {
    @inline(__always)
    static func widen(_ p: UnsafePointer<Float>) -> (SIMD4<Double>, SIMD4<Double>) {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        return (SIMD4(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3])),
                SIMD4(Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7])))
    }

    /// Σ x over `count` values.
    static func of(_ x: UnsafePointer<Float>, count: Int) -> Double {
        var a = SIMD4<Double>(), b = SIMD4<Double>()
        var i = 0
        while i + 8 <= count {
            let (lo, hi) = widen(x + i)
            a += lo; b += hi
            i += 8
        }
        var sum = (a + b).sum()
        while i < count { sum += Double(x[i]); i += 1 }
        return sum
    }

    /// Σ (x − mean)² over `count` values.
    static func ofSquaredDeviations(_ x: UnsafePointer<Float>, count: Int, from mean: Double) -> Double {
        var a = SIMD4<Double>(), b = SIMD4<Double>()
        var i = 0
        while i + 8 <= count {
            let (lo, hi) = widen(x + i)
            let dl = lo - mean, dh = hi - mean
            a += dl * dl; b += dh * dh
            i += 8
        }
        var sum = (a + b).sum()
        while i < count { let d = Double(x[i]) - mean; sum += d * d; i += 1 }
        return sum
    }

    /// sums[j] += x[j] for j < count.
    static func accumulate(_ x: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Double>, count: Int) {
        var j = 0
        while j + 8 <= count {
            let (lo, hi) = widen(x + j)
            let s = UnsafeMutableRawPointer(sums + j)
            s.storeBytes(of: s.loadUnaligned(as: SIMD4<Double>.self) + lo, as: SIMD4<Double>.self)
            s.storeBytes(of: s.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self) + hi, toByteOffset: 32, as: SIMD4<Double>.self)
            j += 8
        }
        while j < count { sums[j] += Double(x[j]); j += 1 }
    }

    /// sums[j] += (x[j] − mean[j])² for j < count.
    static func accumulateSquaredDeviations(_ x: UnsafePointer<Float>, from mean: UnsafePointer<Double>,
                                            into sums: UnsafeMutablePointer<Double>, count: Int) {
        var j = 0
        while j + 8 <= count {
            let (lo, hi) = widen(x + j)
            let m = UnsafeRawPointer(mean + j), s = UnsafeMutableRawPointer(sums + j)
            let dl = lo - m.loadUnaligned(as: SIMD4<Double>.self)
            let dh = hi - m.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self)
            s.storeBytes(of: s.loadUnaligned(as: SIMD4<Double>.self) + dl * dl, as: SIMD4<Double>.self)
            s.storeBytes(of: s.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self) + dh * dh,
                         toByteOffset: 32, as: SIMD4<Double>.self)
            j += 8
        }
        while j < count { let d = Double(x[j]) - mean[j]; sums[j] += d * d; j += 1 }
    }
}
