import CKernels

/// Float32 data summed in Float64, eight lanes at a time: the inner loops of the statistics.
/// The loops run in C at the CPU's vector width (`VectorExtensions`); the lanes and the order
/// in which they are added up are fixed here, so every machine gives the same bits.
/// Unsafe pointers are confined to these few audited loops; callers pass in-bounds counts.
enum SIMDSum {
    /// Eight floats at `p` as two halves in Float64 (the gradient sums' and normalize's loads).
    @inline(__always)
    static func widen(_ p: UnsafePointer<Float>) -> (SIMD4<Double>, SIMD4<Double>) {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        return (SIMD4(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3])),
                SIMD4(Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7])))
    }

    /// The eight lane sums of the first ⌊count/8⌋·8 values, by `kernel`, added up as two halves.
    @inline(__always)
    private static func lanes(_ kernel: (UnsafeMutablePointer<Double>) -> Void) -> Double {
        var lanes = SIMD8<Double>()
        withUnsafeMutablePointer(to: &lanes) { $0.withMemoryRebound(to: Double.self, capacity: 8, kernel) }
        return (lanes.lowHalf + lanes.highHalf).sum()
    }

    /// Σ x over `count` values.
    static func of(_ x: UnsafePointer<Float>, count: Int) -> Double {
        let groups = count / 8
        var sum = lanes { bnlab_sum_lanes(x, Int64(groups), $0) }
        var i = groups * 8
        while i < count { sum += Double(x[i]); i += 1 }
        return sum
    }

    /// Σ (x − mean)² over `count` values.
    static func ofSquaredDeviations(_ x: UnsafePointer<Float>, count: Int, from mean: Double) -> Double {
        let groups = count / 8
        var sum = lanes { bnlab_squared_deviation_lanes(x, Int64(groups), mean, $0) }
        var i = groups * 8
        while i < count { let d = Double(x[i]) - mean; sum += d * d; i += 1 }
        return sum
    }

    /// sums[j] += x[j] for j < count.
    static func accumulate(_ x: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Double>, count: Int) {
        bnlab_accumulate(x, Int64(count), sums)
    }

    /// sums[j] += (x[j] − mean[j])² for j < count.
    static func accumulateSquaredDeviations(_ x: UnsafePointer<Float>, from mean: UnsafePointer<Double>,
                                            into sums: UnsafeMutablePointer<Double>, count: Int) {
        bnlab_accumulate_squared_deviations(x, mean, Int64(count), sums)
    }
}
