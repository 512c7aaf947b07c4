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
        let g = geometry
        let offset = n * g.inChannels * g.height * g.width
        for c in 0..<g.inChannels {
            let plane = offset + c * g.height * g.width
            for i in 0..<g.kernelSize {
                for j in 0..<g.kernelSize {
                    let row = ((c * g.kernelSize + i) * g.kernelSize + j) * columns + n * positions
                    // The output columns whose w = ow·stride − padding + j falls inside the image.
                    let (first, end) = validRange(offset: j, size: g.width, outSize: g.outWidth)
                    for oh in 0..<g.outHeight {
                        let h = oh * g.stride - g.padding + i
                        let out = row + oh * g.outWidth
                        guard h >= 0 && h < g.height, first < end else {
                            for ow in 0..<g.outWidth { cols[out + ow] = 0 }
                            continue
                        }
                        for ow in 0..<first { cols[out + ow] = 0 }
                        let source = plane + h * g.width - g.padding + j
                        for ow in first..<end { cols[out + ow] = x[source + ow * g.stride] }
                        for ow in end..<g.outWidth { cols[out + ow] = 0 }
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

    /// The adjoint of `unfold`: adds every patch entry back onto the input element it was read
    /// from (padding entries are dropped), so an element seen by several patches gets the sum.
    func fold(_ cols: UnsafeBufferPointer<Float>, sample n: Int, into dx: UnsafeMutableBufferPointer<Float>) {
        let g = geometry
        let offset = n * g.inChannels * g.height * g.width
        for c in 0..<g.inChannels {
            let plane = offset + c * g.height * g.width
            for i in 0..<g.kernelSize {
                for j in 0..<g.kernelSize {
                    let row = ((c * g.kernelSize + i) * g.kernelSize + j) * columns + n * positions
                    for oh in 0..<g.outHeight {
                        let h = oh * g.stride - g.padding + i
                        guard h >= 0 && h < g.height else { continue }
                        for ow in 0..<g.outWidth {
                            let w = ow * g.stride - g.padding + j
                            if w >= 0 && w < g.width { dx[plane + h * g.width + w] += cols[row + oh * g.outWidth + ow] }
                        }
                    }
                }
            }
        }
    }
}
