import CKernels

/// The one C call behind `BlockNormBackward` on finite inputs (block_norm_backward.c): the
/// unsafe pointers stay here. Counts are checked by the caller; every array is in bounds.
enum BlockNormLoops {
    static func gradients(_ x: [Float], _ dy: [Float], blocks: Int, blockSize: Int, run: Int, parameters: Int,
                          mean: [Double], inverseStd: [Double], centred: Bool, gamma: [Double]?,
                          dgamma: inout [Double], dbeta: inout [Double], dx: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == blocks * blockSize && dy.count == x.count && dx.count == x.count)
        precondition(mean.count == blocks && inverseStd.count == blocks && dgamma.count == parameters && dbeta.count == parameters)
        precondition((gamma?.count ?? parameters) == parameters)
        let run64 = Int64(run)
        gamma.withOptionalPointer { g in
            bnlab_block_norm_backward(x, dy, Int64(blocks), Int64(blockSize), run64, Int64(parameters), mean, inverseStd,
                                      centred ? 1 : 0, g, &dgamma, &dbeta, dx.baseAddress!)
        }
    }
}

extension Optional where Wrapped == [Double] {
    /// The array's storage, or nil for no array (γ absent).
    fileprivate func withOptionalPointer<R>(_ body: (UnsafePointer<Double>?) -> R) -> R {
        switch self {
        case .some(let values): values.withUnsafeBufferPointer { body($0.baseAddress) }
        case .none: body(nil)
        }
    }
}
