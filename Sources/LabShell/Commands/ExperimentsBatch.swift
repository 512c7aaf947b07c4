import BatchNormKit

/// experiment("batch"): how noisy batch statistics get as batches shrink, and what that costs
/// BatchNorm compared with GroupNorm and LayerNorm, which use no batch statistics at all.
struct ExperimentsBatch {
    let base: Experiments

    func run(_ data: Dataset) throws(LabError) -> String {
        let population = ChannelSummary.summarize(columnZero(data.x)[...])
        var generator = SeededGenerator(seed: base.seed &+ 1)
        var table = TextTable(header: ["batch", "std of batch mean", "σ/√b", "test acc BN", "test acc GroupNorm", "test acc LayerNorm"])
        var accuracies: [(batch: Int, bn: Double, others: Double)] = []
        let sizes = [2, 4, 8, 16, 64, 128].filter { $0 <= data.count / 2 }
        let norms = [NormKind.batch, .group, .layer]
        // Small batches take the most steps, so they go first.
        let runs = try base.trainAll(sizes.flatMap { b in
            norms.map { norm in Experiments.TrainingJob(data: data, norm: norm, configure: { $0.batchSize = b }) }
        })
        for (sizeIndex, b) in sizes.enumerated() {
            // 200 random batches: how far does a batch's mean of feature 0 wander from the population's?
            var means: [Float] = []
            for _ in 0..<200 {
                let rows = generator.sample(b, from: data.count)
                means.append(Float(rows.map { Double(data.x.scalars[$0 * data.features]) }.reduce(0, +) / Double(b)))
            }
            let noise = ChannelSummary.summarize(means[...]).std
            var row = [String(b), base.fixed(noise), base.fixed(population.std / Double(b).squareRoot())]
            var results: [Double] = []
            for normIndex in norms.indices {
                let run = runs[sizeIndex * norms.count + normIndex]
                let accuracy = run.final?.testAccuracy ?? .nan
                results.append(accuracy)
                row.append(run.result.divergence == nil ? base.percent(accuracy) : "diverged")
            }
            accuracies.append((b, results[0], max(results[1], results[2])))
            table.rows.append(row)
        }
        // A comparison only means something where at least one network learned: well above chance.
        let chance = 1 / Double(data.classes)
        let trained = accuracies.filter { max($0.bn, $0.others) > chance + 0.25 }
        let untrained = accuracies.filter { max($0.bn, $0.others) <= chance + 0.25 }.map { String($0.batch) }
        let behind = trained.filter { $0.bn < $0.others - 0.02 }.map { String($0.batch) }
        var verdict = behind.isEmpty
            ? "where the networks learned, BN kept up with the batch-independent norms"
            : "at batch \(behind.joined(separator: ", ")) BN's test accuracy falls below a batch-independent norm's"
        if !untrained.isEmpty {
            verdict += "; at batch \(untrained.joined(separator: ", ")) no network learned at this learning rate (lr 0.1 with momentum 0.9 is too noisy for batches that small), so those rows compare nothing"
        }
        return table.render() + "\nthe batch mean's noise follows σ/√b; " + verdict
            + ". A batch of one cannot be trained with BN at all: PyTorch refuses it (\"Expected more than 1 value per channel\")."
    }

    private func columnZero(_ x: Tensor) -> [Float] {
        stride(from: 0, to: x.count, by: max(1, x.shape[1])).map { x.scalars[$0] }
    }
}

/// experiment("gap") and experiment("freeze"): the running statistics at inference, and how
/// fine-tuning can corrupt them.
struct ExperimentsInference {
    let base: Experiments

    private func batchNorms(_ model: MLP) -> [BatchNorm] {
        model.blocks.compactMap { $0.norm as? BatchNorm }
    }

    private func accuracy(_ model: MLP, _ data: Dataset, chunk: Int) throws(LabError) -> Double {
        var correct = 0.0
        for start in stride(from: 0, to: data.count, by: chunk) where min(start + chunk, data.count) - start > 1 {
            let indices = Array(start..<min(start + chunk, data.count))
            let (x, labels) = try base.call.engine { () throws(TensorError) in try data.batch(indices) }
            let logits = try base.call.engine { () throws(TensorError) in try model.forward(x) }
            correct += Loss.accuracy(logits: logits, labels: labels) * Double(labels.count)
        }
        return correct / Double(data.count)
    }

    func gap(_ data: Dataset) throws(LabError) -> String {
        let (trained, _, test) = try base.train(data, norm: .batch)
        let stale = try base.train(data, norm: .batch, prepare: { model in
            for bn in batchNorms(model) { bn.momentum = 0.001 }
        }).run
        let evalAccuracy = trained.final?.testAccuracy ?? .nan
        let staleAccuracy = stale.final?.testAccuracy ?? .nan
        trained.model.training = true  // the forgotten eval(): test batches normalize with their own statistics
        let forgotSmall = try accuracy(trained.model, test, chunk: 4)
        let forgotLarge = try accuracy(trained.model, test, chunk: test.count)
        var table = TextTable(header: ["at inference", "test accuracy"])
        table.rows = [["eval mode, running statistics from training", base.percent(evalAccuracy)],
                      ["eval mode, running statistics stale (momentum 0.001)", base.percent(staleAccuracy)],
                      ["forgot eval(): batch statistics of 4 test samples", base.percent(forgotSmall)],
                      ["forgot eval(): batch statistics of the whole test set", base.percent(forgotLarge)]]
        return table.render(width: base.interpreter.console.width) + "\nthe moving averages matter: stale ones cost "
            + base.percent(max(0, evalAccuracy - staleAccuracy)) + ", and predictions made in training mode depend on which other samples share the batch"
    }

    func freeze(_ data: Dataset) throws(LabError) -> String {
        // Fine-tune on inputs from a shifted distribution with γ/β frozen and a tiny learning rate,
        // so any change in accuracy comes from the running statistics alone.
        func fineTune(keepStatistics: Bool) throws(LabError) -> (before: Double, after: Double, meanDrift: Double) {
            let (trained, trainSet, test) = try base.train(data, norm: .batch)
            let before = trained.final?.testAccuracy ?? .nan
            let model = trained.model
            model.freezeNormParameters(true)
            let shifted = try base.call.engine { () throws(TensorError) in
                try Dataset(x: trainSet.x.combined(with: 3, .multiply).combined(with: 2, .add), labels: trainSet.labels,
                            classes: trainSet.classes, name: trainSet.name + " shifted")
            }
            let norms = batchNorms(model)
            let meansBefore = norms.first?.runningMean.scalars ?? []
            if keepStatistics { for bn in norms { bn.momentum = 0 } }
            var config = TrainingConfig()
            config.epochs = 1
            config.learningRate = 1e-6
            config.seed = base.seed
            _ = try base.call.engine { () throws(TensorError) in try Trainer.train(model, train: shifted, test: test, config: config) }
            let after = try base.call.engine { () throws(TensorError) in try Trainer.evaluate(model, on: test) }.accuracy
            let drift = zip(meansBefore, norms.first?.runningMean.scalars ?? []).map { abs(Double($1) - Double($0)) }.max() ?? 0
            return (before, after, drift)
        }
        let bug = try fineTune(keepStatistics: false), fix = try fineTune(keepStatistics: true)
        var table = TextTable(header: ["fine-tuning with γ/β frozen", "test acc before", "test acc after", "largest running_mean change"])
        table.rows = [["BN left in training mode (the bug)", base.percent(bug.before), base.percent(bug.after), base.fixed(bug.meanDrift)],
                      ["running statistics kept fixed (the fix)", base.percent(fix.before), base.percent(fix.after), base.fixed(fix.meanDrift)]]
        return table.render(width: base.interpreter.console.width)
            + "\nfreezing γ and β does not freeze the running statistics: in training mode every batch of the new data moves them. "
            + "The fix in PyTorch is bn.eval() on the frozen layers (here: momentum 0, which keeps them fixed the same way)."
    }
}
