/// BatchNorm whose training-mode statistics come from ghost batches of `ghostSize` samples inside
/// each batch (Hoffer, Hubara & Soudry 2017, "Train longer, generalize better"): the batch's rows
/// are cut into consecutive chunks and each chunk is normalized with its own mean and variance.
///
/// It is also what data-parallel training computes without SyncBatchNorm: K replicas, each with
/// a per-device batch of b, each normalizing over its own b samples while the gradients are
/// averaged over all K·b. One process simulates it exactly, because the mean loss over K·b
/// samples is the average of the K replicas' mean losses when the chunks are the same size.
/// (`torch.nn.SyncBatchNorm` all-reduces the statistics instead, which is plain `BatchNorm` over
/// the whole batch.) In eval mode the running statistics are used, as in BatchNorm.
public final class GhostBatchNorm: NormalizationLayer {
    /// The layer whose γ, β, eps and running statistics the ghost batches share.
    public let batchNorm: BatchNorm
    public let ghostSize: Int

    public init(_ batchNorm: BatchNorm, ghostSize: Int) throws(TensorError) {
        guard ghostSize >= 2 else {
            throw .invalidArgument("a ghost batch needs at least 2 samples (BatchNorm cannot normalize one), got \(ghostSize)")
        }
        self.batchNorm = batchNorm
        self.ghostSize = ghostSize
    }

    public var layerName: String { "batchnorm(\(batchNorm.numFeatures)) over ghost batches of \(ghostSize)" }
    public var training: Bool {
        get { batchNorm.training }
        set { batchNorm.training = newValue }
    }
    public var eps: Double {
        get { batchNorm.eps }
        set { batchNorm.eps = newValue }
    }
    public var isAffine: Bool { batchNorm.isAffine }
    public var gamma: Tensor { batchNorm.gamma }
    public var beta: Tensor { batchNorm.beta }
    public func setGamma(_ value: Tensor) throws(TensorError) { try batchNorm.setGamma(value) }
    public func setBeta(_ value: Tensor) throws(TensorError) { try batchNorm.setBeta(value) }
    public var settings: [LayerSetting] { batchNorm.settings + [LayerSetting("ghost_batch_size", .number(Double(ghostSize)))] }
    public var summary: String { "statistics per channel over each ghost batch of \(ghostSize) samples" }
    public var nanSources: [NaNSource] { batchNorm.nanSources }

    /// The row ranges of the ghost batches of a batch of `n`: consecutive chunks of `ghostSize`;
    /// a last chunk of one sample joins the chunk before it, since BatchNorm cannot normalize it alone.
    public func ghostBatches(of n: Int) -> [Range<Int>] {
        var chunks = stride(from: 0, to: n, by: ghostSize).map { $0..<Swift.min($0 + ghostSize, n) }
        if chunks.count > 1, let last = chunks.last, last.count == 1 {
            chunks.removeLast()
            chunks[chunks.count - 1] = chunks[chunks.count - 1].lowerBound..<n
        }
        return chunks
    }

    public func forward(_ x: Tensor) throws(TensorError) -> Tensor { try forward(x, updatingRunningStatistics: true) }

    /// Each ghost batch updates the running statistics in turn, as each replica's BatchNorm does
    /// its own (with K replicas, PyTorch keeps replica 0's copy; here the K updates are chained).
    func forward(_ x: Tensor, updatingRunningStatistics: Bool) throws(TensorError) -> Tensor {
        guard batchNorm.usesBatchStatistics, x.rank >= 1 else { return try batchNorm.forward(x, updatingRunningStatistics: updatingRunningStatistics) }
        var outputs: [Float] = []
        outputs.reserveCapacity(x.count)
        for rows in ghostBatches(of: x.shape[0]) {
            let y = try batchNorm.forward(Self.rows(rows, of: x), updatingRunningStatistics: updatingRunningStatistics)
            outputs += y.scalars
        }
        return Tensor(uncheckedShape: x.shape, scalars: outputs)
    }

    /// dx per ghost batch (each chunk's statistics depend only on its own rows); dγ and dβ summed
    /// over the chunks, since the loss sums over all of them.
    public func backward(_ x: Tensor, _ dy: Tensor) throws(TensorError) -> NormGradients {
        guard batchNorm.usesBatchStatistics, x.rank >= 1, dy.shape == x.shape else { return try batchNorm.backward(x, dy) }
        var dx: [Float] = []
        dx.reserveCapacity(x.count)
        var dgamma = [Float](repeating: 0, count: batchNorm.numFeatures), dbeta = dgamma
        for rows in ghostBatches(of: x.shape[0]) {
            let g = try batchNorm.backward(Self.rows(rows, of: x), Self.rows(rows, of: dy))
            dx += g.dx.scalars
            for c in dgamma.indices {
                dgamma[c] += g.dgamma.scalars[c]
                dbeta[c] += g.dbeta.scalars[c]
            }
        }
        return NormGradients(dx: Tensor(uncheckedShape: x.shape, scalars: dx), dgamma: Tensor(vector: dgamma),
                             dbeta: Tensor(vector: dbeta))
    }

    /// Rows `range` of `x` along axis 0 (contiguous in row-major order).
    static func rows(_ range: Range<Int>, of x: Tensor) -> Tensor {
        let rowSize = x.shape[0] == 0 ? 0 : x.count / x.shape[0]
        return Tensor(uncheckedShape: [range.count] + x.shape.dropFirst(),
                      scalars: Array(x.scalars[range.lowerBound * rowSize..<range.upperBound * rowSize]))
    }
}

extension GhostBatchNorm: TrainableNorm {}

extension MLP {
    /// The same model (its very layers, not copies) with every BatchNorm normalizing over ghost
    /// batches of `size`: what K replicas with per-device batches of `size` compute without
    /// SyncBatchNorm. A model without BatchNorm is returned as it is.
    public func withGhostBatches(of size: Int) throws(TensorError) -> MLP {
        let ghosted = try blocks.map { (block: MLPBlock) throws(TensorError) -> MLPBlock in
            guard let bn = block.trainableNorm as? BatchNorm else { return block }
            return MLPBlock(linear: block.linear, normKind: block.normKind, norm: try GhostBatchNorm(bn, ghostSize: size),
                            activation: block.activation, order: block.order)
        }
        let model = MLP(sizes: sizes, norm: normKind, activation: activation, order: order, groups: groups, blocks: ghosted, output: output)
        model.freezeNormParameters(normParametersFrozen)
        return model
    }
}
