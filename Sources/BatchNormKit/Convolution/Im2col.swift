/// The unfolding that turns a convolution into one matrix product per sample, and its adjoint.
///
/// Column p = oh·W_out + ow of the unfolded matrix holds the k×k patch of every input channel that
/// output position (oh, ow) sees; row r = (c·k + i)·k + j is channel c, kernel row i, column j.
/// Positions that fall in the zero padding read 0. With the patches laid out this way the
/// convolution of sample n is W (C_out, C_in·k·k) · cols (C_in·k·k, H_out·W_out), which the
/// tested, deterministic `Matmul` computes; the backward pass is two more products and `fold`.
struct Im2col {
    let geometry: ConvGeometry

    var rows: Int { geometry.inChannels * geometry.kernelSize * geometry.kernelSize }
    var columns: Int { geometry.outHeight * geometry.outWidth }

    /// The (rows, columns) patch matrix of one sample, whose values start at `offset` of `x`.
    func unfold(_ x: UnsafeBufferPointer<Float>, offset: Int, into cols: UnsafeMutableBufferPointer<Float>) {
        let g = geometry
        for c in 0..<g.inChannels {
            let plane = offset + c * g.height * g.width
            for i in 0..<g.kernelSize {
                for j in 0..<g.kernelSize {
                    let row = ((c * g.kernelSize + i) * g.kernelSize + j) * columns
                    for oh in 0..<g.outHeight {
                        let h = oh * g.stride - g.padding + i
                        let inside = h >= 0 && h < g.height
                        for ow in 0..<g.outWidth {
                            let w = ow * g.stride - g.padding + j
                            cols[row + oh * g.outWidth + ow] = inside && w >= 0 && w < g.width ? x[plane + h * g.width + w] : 0
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `unfold`: adds every patch entry back onto the input element it was read
    /// from (padding entries are dropped), so an element seen by several patches gets the sum.
    func fold(_ cols: UnsafeBufferPointer<Float>, into dx: UnsafeMutableBufferPointer<Float>, offset: Int) {
        let g = geometry
        for c in 0..<g.inChannels {
            let plane = offset + c * g.height * g.width
            for i in 0..<g.kernelSize {
                for j in 0..<g.kernelSize {
                    let row = ((c * g.kernelSize + i) * g.kernelSize + j) * columns
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
