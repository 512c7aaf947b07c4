/// What one hidden block of an `MLP` computed on one input, stage by stage: the tensors a learner
/// draws to see a norm at work inside a real network (`hist(a[0].before_norm, a[0].after_norm)`).
public struct BlockActivations: Sendable {
    /// The block's input: the data for the first block, the previous block's output after that.
    public let input: Tensor
    /// The Linear layer's output z = x·Wᵀ + b.
    public let linear: Tensor
    /// What enters the norm: z in order `.pre`, the activation f(z) in order `.post`.
    public let beforeNorm: Tensor
    /// What leaves the norm; equal to `beforeNorm` when the block has no norm.
    public let afterNorm: Tensor
    /// The activation's output: f(afterNorm) in order `.pre`, f(z) in order `.post`.
    public let afterActivation: Tensor
    /// What the block hands to the next one.
    public let output: Tensor
}

extension MLP {
    /// The forward pass of every hidden block, keeping each stage, in the model's current mode but
    /// without changing the model: BatchNorm in training mode normalizes with this batch's
    /// statistics and leaves its running statistics alone (a look, not a training step; PyTorch's
    /// forward hooks in train mode would update them), and nothing `backward` reads is replaced.
    public func activations(_ x: Tensor) throws(TensorError) -> [BlockActivations] {
        try checkInput(x)
        var result: [BlockActivations] = []
        var h = x
        for block in blocks {
            let stages = try block.stages(h)
            result.append(stages)
            h = stages.output
        }
        return result
    }
}

extension MLPBlock {
    /// One block's forward pass with its stages, leaving the block and its norm as they were
    /// (no running-statistics update, no stored state, no training noise).
    ///     pre:  z = x·Wᵀ + b,  n = norm(z),  a = f(n)      post: z = x·Wᵀ + b,  a = f(z),  n = norm(a)
    func stages(_ x: Tensor) throws(TensorError) -> BlockActivations {
        let z = try linear.forward(x)
        switch order {
        case .pre:
            let n = try trainableNorm?.forward(z, updatingRunningStatistics: false) ?? z
            let a = activation.forward(n)
            return BlockActivations(input: x, linear: z, beforeNorm: z, afterNorm: n, afterActivation: a, output: a)
        case .post:
            let a = activation.forward(z)
            let n = try trainableNorm?.forward(a, updatingRunningStatistics: false) ?? a
            return BlockActivations(input: x, linear: z, beforeNorm: a, afterNorm: n, afterActivation: a, output: n)
        }
    }
}
