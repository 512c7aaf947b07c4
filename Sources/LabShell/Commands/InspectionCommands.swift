import BatchNormKit

extension CommandTable {
    /// Looking at data: per-channel statistics, batch vs running statistics, histograms, display settings.
    static var inspectionCommands: [CommandSpec] {
        typealias P = InspectionParameters
        return [
            CommandSpec("stats", "per-channel mean, variance, std, min, max and share of NaN/Inf",
                        example: "stats(x)", positional: [P.statsTensor],
                        commandForm: true) { call throws(LabError) in
                let x = call[P.statsTensor]
                guard x.count > 0 else { throw LabError(.value, "\(call.displayName(P.statsTensor, fallback: "the tensor")) is empty: no statistics", at: call.locationOf(P.statsTensor)) }
                let interpreter = call.interpreter
                let summaries = ChannelSummary.perChannel(of: x)
                let n = x.rank == 1 ? x.count : x.batchSize * x.spatialSize
                var table = TextTable(header: ["channel", "mean", "var (÷n)", "std", "min", "max", "NaN/Inf"])
                let p = interpreter.formatter.precision
                for channel in shownChannels(summaries.count) {
                    guard let c = channel else { table.rows.append(["…"]); continue }
                    let s = summaries[c]
                    table.rows.append([String(c), NumberFormat.fixed(s.mean, decimals: p), NumberFormat.fixed(s.variance, decimals: p),
                                       NumberFormat.fixed(s.std, decimals: p), NumberFormat.fixed(Double(s.min), decimals: p),
                                       NumberFormat.fixed(Double(s.max), decimals: p), NumberFormat.percent(s.nonFiniteShare)])
                }
                let name = call.displayName(P.statsTensor, fallback: "tensor")
                interpreter.console.print("\(name) \(x.shapeDescription): per channel, over \(n) values each\n" + table.render(width: interpreter.console.width))
                if summaries.contains(where: { $0.nanCount + $0.infiniteCount > 0 }) {
                    interpreter.warn("\(name) holds NaN or infinite values; the statistics above are of the finite ones, "
                                     + "but channel_means and training-mode batchnorm give NaN for those channels", at: call.locationOf(P.statsTensor))
                }
                return .none
            },
            CommandSpec("compare", "a layer's running mean/var next to the batch mean/var of x, per channel", brief: "a layer's running mean/var beside the batch's, per channel",
                        example: "compare(bn, x)", pytorch: "x.mean(dim=0) - bn.running_mean; x.var(dim=0) - bn.running_var # unbiased, as running_var stores it; dim=(0, 2, 3) for (N, C, H, W)",
                        positional: [P.compareLayer, P.compareBatch],
                        commandForm: true) { call throws(LabError) in
                let bn = call[P.compareLayer]
                guard bn.tracksRunningStats else {
                    throw LabError(.value, "\(bn.layerName) keeps no running statistics (track_running_stats: false): nothing to compare", at: call.locationOf(P.compareLayer))
                }
                let x = call[P.compareBatch]
                guard (2...4).contains(x.rank), x.shape[1] == bn.numFeatures else {
                    throw LabError(.channelMismatch(layer: bn.layerName, expected: bn.numFeatures, got: x.shape), at: call.locationOf(P.compareBatch))
                }
                let batch = Moments.perChannel(of: x)
                let p = call.interpreter.formatter.precision
                var table = TextTable(header: ["channel", "batch mean", "running mean", "diff",
                                               "batch var", "running var", "diff"])
                let unbiased = batch.unbiasedVariance
                for channel in shownChannels(bn.numFeatures) {
                    guard let c = channel else { table.rows.append(["…"]); continue }
                    let (rm, rv) = (Double(bn.runningMean.scalars[c]), Double(bn.runningVar.scalars[c]))
                    let v = bn.convention == .pytorch ? unbiased[c] : batch.variance[c]
                    table.rows.append([String(c), NumberFormat.fixed(batch.mean[c], decimals: p), NumberFormat.fixed(rm, decimals: p),
                                       NumberFormat.fixed(batch.mean[c] - rm, decimals: p), NumberFormat.fixed(v, decimals: p),
                                       NumberFormat.fixed(rv, decimals: p), NumberFormat.fixed(v - rv, decimals: p)])
                }
                let varianceKind = bn.convention == .pytorch ? "unbiased (÷ n−1), as running_var stores it" : "biased (÷ n), as Keras stores it"
                call.interpreter.console.print("""
                \(bn.layerName) after \(bn.numBatchesTracked) batch\(bn.numBatchesTracked == 1 ? "" : "es") vs this batch \(x.shapeDescription); batch var is \(varianceKind)
                \(table.render(width: call.interpreter.console.width))
                """)
                return .none
            },
            CommandSpec("hist", "a histogram of x, or of x and y side by side on the same bins (before/after)", brief: "a histogram of x, or of x and y on the same bins",
                        example: "hist(x, bn(x), bins: 20, normal: true)",
                        positional: [HistogramCommand.x, HistogramCommand.y],
                        options: [HistogramCommand.bins, HistogramCommand.range, HistogramCommand.channel, HistogramCommand.normal],
                        commandForm: true) { call throws(LabError) in
                try HistogramCommand.run(&call)
            },
            CommandSpec("precision", "how many decimals numbers, tables, tensors and plots show (default 4; 12 shows every digit a float32 holds)",
                        example: "precision(6)", pytorch: "torch.set_printoptions(precision=6)", positional: [P.digits], commandForm: true) { call throws(LabError) in
                let digits = call[P.digits]
                guard (0...12).contains(digits) else { throw LabError(.value, "precision must be from 0 to 12, got \(digits)", at: call.locationOf(P.digits)) }
                call.interpreter.formatter.precision = digits
                return .none
            },
            CommandSpec("ascii", "draw plots with plain ASCII characters (true) or Unicode blocks (false)", brief: "draw plots with plain ASCII (true) or Unicode blocks (false)",
                        example: "ascii(true)", positional: [P.ascii], commandForm: true) { call throws(LabError) in
                call.interpreter.asciiRequested = call[P.ascii]
                return .none
            },
        ]
    }

    /// The channels a per-channel table shows: all of up to 16, else the first and last 8 with
    /// nil marking the "…" row, so a million channels print (and cost) like sixteen.
    static func shownChannels(_ count: Int) -> [Int?] {
        count <= 16 ? Array(0..<count) : Array(0..<8) + [nil] + Array((count - 8)..<count)
    }

}

/// The parameters of the inspection commands (hist's are `HistogramCommand`'s).
enum InspectionParameters {
    static let statsTensor = Param.tensor("x", "the tensor (channels on axis 1)")
    static let compareLayer = Param.batchNorm("layer", "a batchnorm layer")
    static let compareBatch = Param.tensor("x", "a batch, (N, C, …)")
    static let digits = Param.integer("digits", "0 to 12")
    static let ascii = Param.bool("on", "true or false")
}
