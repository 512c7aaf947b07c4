import CKernels

/// The inner loops of BatchNorm backward, in C at the CPU's vector width (backward.c), each value
/// in Float64 and rounded once. They were Swift SIMD loops; the row sums' eight lanes and the
/// order they are added up in are still fixed here, so every level gives those loops' bits.
/// Unsafe pointers are confined to these loops; callers pass in-bounds counts.
enum GradientLoops {
    /// (Σ dy, Σ dy·(x − mean)) over a row: eight lanes in C, added up as two halves, then the tail.
    static func rowSums(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int, mean: Double) -> (Double, Double) {
        let groups = count / 8
        var lanes = SIMD16<Double>()
        withUnsafeMutablePointer(to: &lanes) {
            $0.withMemoryRebound(to: Double.self, capacity: 16) { bnlab_gradient_row_lanes(x, dy, Int64(groups), mean, $0) }
        }
        let (sums, centered) = (lanes.lowHalf, lanes.highHalf)
        var a = (sums.lowHalf + sums.highHalf).sum(), b = (centered.lowHalf + centered.highHalf).sum()
        var i = groups * 8
        while i < count { let g = Double(dy[i]); a += g; b += g * (Double(x[i]) - mean); i += 1 }
        return (a, b)
    }

    /// sums[j] = Σ dy[j], centered[j] = Σ dy[j]·(x[j] − mean[j]) over `rows` consecutive samples of
    /// `count` columns, added in sample order onto 0 (what `+=` into a fresh piece's zeros gave).
    static func columnSums(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, rows: Int, count: Int, mean: UnsafePointer<Double>,
                           sums: UnsafeMutablePointer<Double>, centered: UnsafeMutablePointer<Double>) {
        bnlab_gradient_column_sums(x, dy, Int64(rows), Int64(count), mean, sums, centered)
    }

    /// The pieces' sums per channel onto 0: block by block, then position by position within a block.
    static func merge(_ first: [Double], _ second: [Double], blocks: Int, channels: Int, inner: Int,
                      into sums: inout [Double], _ centered: inout [Double]) {
        guard blocks > 0, channels > 0, inner > 0 else { return }
        precondition(first.count == blocks * channels * inner && second.count == first.count)
        precondition(sums.count == channels && centered.count == channels)
        bnlab_gradient_merge_columns(first, second, Int64(blocks), Int64(channels), Int64(inner), &sums, &centered)
    }

    /// dx = scale·(dy − dyMean − (x − mean)·slope).
    static func inputGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                              count: Int, plan p: ChannelGradientPlan, streaming: Int32 = 0) {
        bnlab_gradient_input(x, dy, dx, Int64(count), p.mean, p.scale, p.dyMean, p.slope, streaming)
    }

    /// After a run of streaming stores: they reach memory before anything this thread does next.
    static func storeFence() { bnlab_store_fence() }

    /// `rows` samples of an (N, C) input, each column with its own plan (as columns of numbers).
    static func columnsInputGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                     rows: Int, plan: ColumnPlan, usesBatchStatistics: Bool) {
        if usesBatchStatistics {
            bnlab_gradient_input_columns(x, dy, dx, Int64(rows), Int64(plan.count), plan.mean, plan.scale, plan.dyMean, plan.slope)
        } else {
            bnlab_gradient_scaled_columns(dy, dx, Int64(rows), Int64(plan.count), plan.scale)
        }
    }

    /// dx = dy·scale (eval mode: the statistics are constants).
    static func scaled(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int, by scale: Double) {
        bnlab_gradient_scaled(dy, dx, Int64(count), scale)
    }
}
