import BatchNormKit

extension CommandTable {
    /// Watching running averages converge, and comparing the frameworks' conventions.
    static var trackingCommands: [CommandSpec] {
        typealias P = Tracking
        return [
            CommandSpec("track", "run mini-batches of x through a layer in training mode and plot its running statistics converging", brief: "plot a layer's running statistics converging over batches",
                        example: "track(bn, x, batch: 16, steps: 200)",
                        positional: [P.layer, P.trackedData], options: [P.batch, P.trackSteps, P.channel]) { call throws(LabError) in
                try Tracking(call: call).track()
            },
            CommandSpec("conventions", "the same mini-batches under PyTorch, Keras and the paper's running statistics, side by side", brief: "PyTorch's, Keras's and the paper's running statistics",
                        example: "conventions(x, momentum: 0.1)",
                        positional: [P.data], options: [P.batch, P.conventionSteps, P.momentum]) { call throws(LabError) in
                try Tracking(call: call).conventions()
            },
        ]
    }
}

/// Shared work of `track` and `conventions`: validating the sizes, drawing seeded mini-batches.
struct Tracking {
    static let layer = Param.batchNorm("layer", "a batchnorm layer in training mode (its running statistics change)")
    static let trackedData = Param.tensor("x", "the data set, (N, C, …); its own statistics are the population values")
    static let data = Param.tensor("x", "the data set, (N, C, …)")
    static let batch = Param.integer("batch", default: 16, "samples per mini-batch, drawn from x without replacement")
    static let trackSteps = Param.integer("steps", default: 100, "how many mini-batches (1 to 100000)")
    static let conventionSteps = Param.integer("steps", default: 50, "how many mini-batches (1 to 100000)")
    static let channel = Param.integer("channel", default: 0, "the channel to plot")
    static let momentum = Param.number("momentum", default: BatchNorm.Convention.pytorch.defaultMomentum,
                                       "PyTorch's momentum; Keras gets 1 − momentum for the same decay")

    let call: Invocation
    var interpreter: Interpreter { call.interpreter }

    /// The data, batch size and step count; each command passes its own `steps` (its own default).
    private func dataSet(steps stepsParameter: Param<Int>) throws(LabError) -> (x: Tensor, batch: Int, steps: Int) {
        let x = call[Self.data]
        guard (2...4).contains(x.rank) else {
            throw LabError(.value, "\(call.command.name) needs a data set shaped (N, C), (N, C, L) or (N, C, H, W); got \(x.shapeDescription)", at: call.locationOf(Self.data))
        }
        guard x.count > 0, x.nonFiniteCounts == (0, 0) else {
            throw LabError(.value, "\(call.command.name) needs a non-empty data set of finite numbers; \(call.displayName(Self.data, fallback: "x")) "
                + (x.count == 0 ? "is empty" : "holds NaN or infinite values"), at: call.locationOf(Self.data))
        }
        let batch = call[Self.batch]
        guard batch >= 2, batch <= x.shape[0] else {
            throw LabError(.value, "batch must be from 2 to the \(x.shape[0]) samples of x, got \(batch)", at: call.locationOf(Self.batch))
        }
        let steps = call[stepsParameter]
        guard (1...100_000).contains(steps) else {
            throw LabError(.value, "steps must be from 1 to 100000, got \(steps)", at: call.locationOf(stepsParameter))
        }
        return (x, batch, steps)
    }

    private func miniBatch(of x: Tensor, size: Int) throws(LabError) -> Tensor {
        let indices = interpreter.generator.sample(size, from: x.shape[0])
        return try call.engine { () throws(TensorError) in try x.samples(indices) }
    }

    func track() throws(LabError) -> Value {
        let bn = call[Self.layer]
        guard bn.training, bn.tracksRunningStats else {
            throw LabError(.value, bn.tracksRunningStats ? "\(bn.layerName) is in eval mode, so nothing would move: train(\(call.displayName(Self.layer, fallback: "bn"))) first"
                                                        : "\(bn.layerName) keeps no running statistics (track_running_stats: false)", at: call.locationOf(Self.layer))
        }
        let (x, batch, steps) = try dataSet(steps: Self.trackSteps)
        guard x.shape[1] == bn.numFeatures else {
            throw LabError(.channelMismatch(layer: bn.layerName, expected: bn.numFeatures, got: x.shape), at: call.locationOf(Self.data))
        }
        let channel = call[Self.channel]
        guard (0..<bn.numFeatures).contains(channel) else {
            throw LabError(.value, "channel must be from 0 to \(bn.numFeatures - 1), got \(channel)", at: call.locationOf(Self.channel))
        }
        // Memory stays bounded: the plotted channel's whole series, and for the table only the
        // shown channels at the steps the sparklines sample.
        let shown = CommandTable.shownChannels(bn.numFeatures).compactMap { $0 }
        let sparkWidth = max(8, min(steps, interpreter.console.width - 64))
        let sampled = Set((0..<sparkWidth).map { max(0, min(steps - 1, ($0 + 1) * steps / sparkWidth - 1)) })
        var meanSeries: [Double] = [], varianceSeries: [Double] = []
        var snapshots: [Int: [Double]] = [:]
        for step in 0..<steps {
            if interpreter.console.isInterrupted() {
                // The batches already run have moved the layer's running statistics for good.
                let name = call.displayName(Self.layer, fallback: "the layer")
                let note = step == 0 ? "track stopped before its first batch; \(name)'s running statistics are unchanged"
                    : "track stopped after \(step) of \(steps) batches; \(name)'s running statistics include those \(step)"
                interpreter.console.print(Narration.wrap(note, width: interpreter.console.width))
                throw LabError.interrupted.located(at: call.location)
            }
            let mini = try miniBatch(of: x, size: batch)
            _ = try call.engine { () throws(TensorError) in try bn.forward(mini) }
            meanSeries.append(Double(bn.runningMean.scalars[channel]))
            varianceSeries.append(Double(bn.runningVar.scalars[channel]))
            if sampled.contains(step) { snapshots[step] = shown.map { Double(bn.runningMean.scalars[$0]) } }
        }
        let population = Moments.perChannel(of: x)
        let p = interpreter.formatter.precision
        let plot = LinePlot(width: interpreter.console.width, glyphs: interpreter.glyphs, precision: p)
        var text = "\(steps) mini-batches of \(batch) from \(call.displayName(Self.data, fallback: "x")) \(x.shapeDescription) through \(bn.layerName); "
            + (bn.momentum.map { "momentum \(NumberFormat.shortest($0))" } ?? "momentum none (cumulative average)") + "\n"
        text += plot.render(title: "running_mean[\(channel)]", series: meanSeries,
                            reference: population.mean[channel], referenceLabel: "population mean") + "\n"
        text += plot.render(title: "running_var[\(channel)]", series: varianceSeries,
                            reference: population.variance[channel], referenceLabel: "population var") + "\n"
        var table = TextTable(header: ["channel", "running mean", "population", "running var", "population", "mean over steps"])
        for entry in CommandTable.shownChannels(bn.numFeatures) {
            guard let c = entry, let position = shown.firstIndex(of: c) else { table.rows.append(["…"]); continue }
            // One character per slice of steps, showing the last step of the slice.
            let series = sampled.sorted().compactMap { snapshots[$0]?[position] }
            let low = min(series.min() ?? 0, population.mean[c]), high = max(series.max() ?? 0, population.mean[c])
            table.rows.append([String(c), NumberFormat.fixed(Double(bn.runningMean.scalars[c]), decimals: p), NumberFormat.fixed(population.mean[c], decimals: p),
                               NumberFormat.fixed(Double(bn.runningVar.scalars[c]), decimals: p), NumberFormat.fixed(population.variance[c], decimals: p),
                               interpreter.glyphs.sparkline(series, low: low, high: high)])
        }
        table.alignNumbers = true
        text += table.render(width: interpreter.console.width)
        interpreter.console.print(text)
        return .none
    }

    func conventions() throws(LabError) -> Value {
        let (x, batch, steps) = try dataSet(steps: Self.conventionSteps)
        let m = call[Self.momentum]
        guard m > 0, m < 1 else { throw LabError(.value, "momentum must be between 0 and 1 (exclusive), got \(NumberFormat.shortest(m))", at: call.locationOf(Self.momentum)) }
        let c = x.shape[1]
        let layers: [(String, BatchNorm)] = try call.engine { () throws(TensorError) in [
            ("PyTorch m=\(NumberFormat.shortest(m))", try BatchNorm(numFeatures: c, momentum: m)),
            ("Keras m=\(NumberFormat.shortest(1 - m))", try BatchNorm(numFeatures: c, momentum: 1 - m, convention: .keras)),
            ("Keras m=0.99", try BatchNorm(numFeatures: c, convention: .keras)),
            ("paper avg", try BatchNorm(numFeatures: c, momentum: .some(nil))),
        ] }
        for _ in 0..<steps {
            if interpreter.console.isInterrupted() { throw LabError.interrupted.located(at: call.location) }
            let mini = try miniBatch(of: x, size: batch)
            for (_, layer) in layers { _ = try call.engine { () throws(TensorError) in try layer.forward(mini) } }
        }
        let population = Moments.perChannel(of: x)
        let p = interpreter.formatter.precision
        var table = TextTable(header: ["channel", "stat", "population"] + layers.map(\.0), labelColumns: 2)
        for entry in CommandTable.shownChannels(c) {
            guard let channel = entry else { table.rows.append(["…"]); continue }
            table.rows.append([String(channel), "mean", NumberFormat.fixed(population.mean[channel], decimals: p)]
                              + layers.map { NumberFormat.fixed(Double($0.1.runningMean.scalars[channel]), decimals: p) })
            table.rows.append(["", "var", NumberFormat.fixed(population.variance[channel], decimals: p)]
                              + layers.map { NumberFormat.fixed(Double($0.1.runningVar.scalars[channel]), decimals: p) })
        }
        interpreter.console.print("""
        the same \(steps) mini-batches of \(batch) from \(call.displayName(Self.data, fallback: "x")) \(x.shapeDescription) in four conventions:
          PyTorch  running ← (1 − m)·running + m·batch, unbiased batch variance (÷ n−1)
          Keras    moving ← m·moving + (1 − m)·batch, biased variance (÷ n); m = 1 − PyTorch's m
          paper    Ioffe & Szegedy: the average of all batches, unbiased (PyTorch momentum none)
        \(table.render(width: interpreter.console.width))
        with few batches the slow average (Keras 0.99) is still near its start, 0 and 1
        """)
        return .none
    }
}
