/// The unfolding that turns a convolution into one matrix product per sample, and its adjoint.
///
/// Column n·P + p (P = H_out·W_out, p = oh·W_out + ow) of the unfolded matrix holds the k×k patch of every input channel that
/// output position (oh, ow) sees; row r = (c·k + i)·k + j is channel c, kernel row i, column j.
/// Positions that fall in the zero padding read 0. With the patches laid out this way the
/// convolution of a whole batch is W (C_out, C_in·k·k) · cols (C_in·k·k, N·P), one product the
/// tested, deterministic `Matmul` computes; the backward pass is two more products and `fold`.
struct Im2col {
    let geometry: ConvGeometry

    var rows: Int { geometry.inChannels * geometry.kernelSize * geometry.kernelSize }
    /// Output positions per sample, P.
    var positions: Int { geometry.outHeight * geometry.outWidth }
    /// Columns of the whole batch's matrix, N·P.
    var columns: Int { geometry.batch * positions }

    /// Sample n's patches, into its P columns of the (rows, columns) matrix.
    func unfold(_ x: UnsafeBufferPointer<Float>, sample n: Int, into cols: UnsafeMutableBufferPointer<Float>) {
        forEachRun(sample: n) { out, source, count, first, end in
            for ow in 0..<count where ow < first || ow >= end { cols[out + ow] = 0 }
            if let source { for ow in first..<end { cols[out + ow] = x[source + ow * geometry.stride] } }
        }
    }

    /// The adjoint of `unfold`: adds every patch entry back onto the input element it was read
    /// from (padding entries are dropped), so an element seen by several patches gets the sum.
    func fold(_ cols: UnsafeBufferPointer<Float>, sample n: Int, into dx: UnsafeMutableBufferPointer<Float>) {
        forEachRun(sample: n) { out, source, _, first, end in
            if let source { for ow in first..<end { dx[source + ow * geometry.stride] += cols[out + ow] } }
        }
    }

    /// Visits one output row of one patch entry (channel c, kernel row i, column j, output row
    /// oh) of sample n: where its W_out values start in the matrix, where the input element of
    /// output column 0 would be (nil when the whole row reads padding), and the columns
    /// first..<end whose input element lies inside the image.
    @inline(__always)
    private func forEachRun(sample n: Int, _ body: (_ out: Int, _ source: Int?, _ count: Int, _ first: Int, _ end: Int) -> Void) {
        let g = geometry
        let offset = n * g.inChannels * g.height * g.width
        for c in 0..<g.inChannels {
            let plane = offset + c * g.height * g.width
            for i in 0..<g.kernelSize {
                for j in 0..<g.kernelSize {
                    let row = ((c * g.kernelSize + i) * g.kernelSize + j) * columns + n * positions
                    let (first, end) = validRange(offset: j, size: g.width, outSize: g.outWidth)
                    for oh in 0..<g.outHeight {
                        let h = oh * g.stride - g.padding + i
                        let inside = h >= 0 && h < g.height && first < end
                        body(row + oh * g.outWidth, inside ? plane + h * g.width - g.padding + j : nil, g.outWidth,
                             inside ? first : 0, inside ? end : 0)
                    }
                }
            }
        }
    }

    /// The output positions first..<end along an axis of `size` whose input index
    /// o·stride − padding + offset lies in 0..<size.
    private func validRange(offset: Int, size: Int, outSize: Int) -> (Int, Int) {
        let g = geometry
        var first = 0
        while first < outSize && first * g.stride - g.padding + offset < 0 { first += 1 }
        var end = outSize
        while end > first && (end - 1) * g.stride - g.padding + offset >= size { end -= 1 }
        return (first, end)
    }
}
