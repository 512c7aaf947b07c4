import CKernels

/// The one C call behind `BlockNormBackward` on finite inputs (block_norm_backward.c): the
/// unsafe pointers stay here. Counts are checked by the caller; every array is in bounds.
enum BlockNormLoops {
    static func gradients(_ x: [Float], _ dy: [Float], blocks: Int, blockSize: Int, run: Int, parameters: Int,
                          mean: [Double], inverseStd: [Double], centred: Bool, gamma: [Double]?,
                          dgamma: inout [Double], dbeta: inout [Double], dx: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count == blocks * blockSize && dy.count == x.count && dx.count == x.count)
        precondition(mean.count == blocks && inverseStd.count == blocks && dgamma.count == parameters && dbeta.count == parameters)
        // No γ: ones, as the Swift loop's `?? 1` multiplied by.
        let gamma = gamma ?? [Double](repeating: 1, count: parameters)
        precondition(gamma.count == parameters)
        // Each block reads γ[first ..< first + blockSize/run] with first a multiple of blockSize/run.
        precondition(run > 0 && blockSize % run == 0 && parameters % (blockSize / run) == 0)
        bnlab_block_norm_backward(x, dy, Int64(blocks), Int64(blockSize), Int64(run), Int64(parameters), mean, inverseStd,
                                  centred ? 1 : 0, gamma, &dgamma, &dbeta, dx.baseAddress!)
    }
}
