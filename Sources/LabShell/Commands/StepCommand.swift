import BatchNormKit

extension CommandTable {
    static var stepCommands: [CommandSpec] {
        [
            CommandSpec("step", "walk one BatchNorm forward pass stage by stage, with every number shown", brief: "walk one BatchNorm forward pass stage by stage",
                        example: "step(bn, x, at: [3, 2])",
                        positional: [StepCommand.layer, StepCommand.x], options: [StepCommand.at],
                        commandForm: true) { call throws(LabError) in
                try StepCommand(call: call).run()
            },
        ]
    }
}

/// `step(bn, x)`: the six stages of BatchNorm — mean, variance, normalize, scale, shift, running
/// update — each with a per-channel table, a trimmed view of the tensor and, with `at:`, one
/// element's real numbers written into the formula. On a terminal it waits for Enter between
/// stages (`q` stops, leaving the layer untouched); elsewhere every stage prints at once.
struct StepCommand {
    static let layer = Param.batchNorm("layer", "a batchnorm layer")
    static let x = Param.tensor("x", "the batch, (N, C, …)")
    static let at = Param<Tensor?>.tensor("at", "an index such as [n, c] or [n, c, h, w]: follow that element through every formula")

    let call: Invocation
    var console: Console { call.interpreter.console }
    var precision: Int { call.interpreter.formatter.precision }

    func run() throws(LabError) -> Value {
        let bn = call[Self.layer]
        let x = call[Self.x]
        let stages = try call.engine { () throws(TensorError) in try bn.forwardStages(x, updatingRunningStatistics: false) }
        let element = try elementIndex(in: x)
        let name = call.displayName(Self.x, fallback: "x")
        let texts = stageTexts(bn, x, stages, name: name, element: element)
        for (number, text) in texts.enumerated() {
            console.print("step \(number + 1)/\(texts.count) · " + text)
            guard number < texts.count - 1, let wait = console.waitForContinue else { continue }
            if !wait("[Enter: next stage, q: stop] ") {
                console.print("stopped before step \(number + 2): \(bn.layerName) was not changed")
                return .none
            }
        }
        if let update = stages.runningUpdate { bn.applyRunningUpdate(update) }
        return .none
    }

    /// The flat index of `at:`, checked against the shape.
    private func elementIndex(in x: Tensor) throws(LabError) -> (flat: Int, channel: Int, text: String)? {
        guard let at = call[Self.at] else { return nil }
        guard at.rank == 1, at.count == x.rank, at.scalars.allSatisfy({ $0.isFinite && $0 == $0.rounded() }) else {
            throw LabError(.value, "at: needs one whole number per axis of \(x.shapeDescription), e.g. [\(x.shape.map { _ in "0" }.joined(separator: ", "))]", at: call.locationOf(Self.at))
        }
        var flat = 0
        var index: [Int] = []
        for (axis, value) in at.scalars.enumerated() {
            // Checked as a Float first: converting 1e30 to Int would trap.
            guard value >= 0, value < Float(x.shape[axis]) else {
                throw LabError(.value, "at: index \(NumberFormat.shortest(Double(value))) on axis \(axis) is out of range 0…\(x.shape[axis] - 1) for \(x.shapeDescription)", at: call.locationOf(Self.at))
            }
            index.append(Int(value))
            flat = flat * x.shape[axis] + Int(value)
        }
        return (flat, index[1], "[" + index.map(String.init).joined(separator: ", ") + "]")
    }

    private func f(_ v: Double) -> String { NumberFormat.fixed(v, decimals: precision) }
    /// A number as a term inside a formula: negatives in parentheses, `(0.5 − (−0.4))`.
    private func t(_ v: Double) -> String { v < 0 ? "(" + f(v) + ")" : f(v) }
    private func t(_ v: Float) -> String { t(Double(v)) }
    private func f(_ v: Float) -> String { NumberFormat.fixed(Double(v), decimals: precision) }

    private func table(_ rows: [(String, [Double])], fixed: Bool = false) -> String {
        call.interpreter.formatter.channelTable(rows.map { ($0.0, Tensor(vector: $0.1.map { Float($0) })) }, fixedDecimals: fixed)
            .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    private func view(_ t: Tensor) -> String {
        TensorFormatter(precision: precision, threshold: 6, edgeItems: 2, ellipsis: call.interpreter.glyphs.ellipsis).format(t)
            .split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
    }

    private func stageTexts(_ bn: BatchNorm, _ x: Tensor, _ s: BatchNormStages, name: String,
                            element: (flat: Int, channel: Int, text: String)?) -> [String] {
        let c = element?.channel ?? 0
        let n = x.batchSize * x.spatialSize
        let axes = x.rank == 2 ? "axis 0" : "axes 0, " + (2..<x.rank).map(String.init).joined(separator: ", ")
        let marker = "  ▸ \(name)\(element?.text ?? "")"
        let xValue = element.map { x.scalars[$0.flat] } ?? 0
        var texts: [String] = []
        if s.usedBatchStatistics {
            texts.append("batch mean  μ = (1/n) Σ x, per channel over n = \(n) values (\(axes))\n"
                         + table([("μ", s.mean)]) + (element.map { _ in "\n\(marker) is in channel \(c): μ = \(f(s.mean[c]))" } ?? ""))
            var text = "batch variance  σ² = (1/n) Σ (x − μ)²  (biased: this one normalizes)\n"
                + table([("σ²", s.variance), ("σ²·n/(n−1)", s.unbiasedVariance ?? [])])
                + (n > 1 ? "\n  the unbiased σ²·n/(n−1) = σ²·\(n)/\(n - 1) is what PyTorch averages into running_var" : "")
            if element != nil { text += "\n\(marker): σ² = \(f(s.variance[c]))" }
            texts.append(text)
        } else {
            texts.append("mean: \(bn.training ? "this layer keeps no running statistics" : "eval mode uses running_mean, not the batch")\n" + table([("μ (running)", s.mean)]))
            texts.append("variance: eval mode uses running_var, not the batch\n" + table([("σ² (running)", s.variance)]))
        }
        let check = Moments.perChannel(of: s.normalized)
        var normalize = "normalize  x̂ = (x − μ) / √(σ² + ε), ε = \(NumberFormat.shortest(s.eps))\n" + view(s.normalized)
        normalize += "\n" + table([("mean of x̂", check.mean), ("var of x̂", check.variance)], fixed: true)
        normalize += !check.mean.allSatisfy(\.isFinite) ? "\n  (some channels are NaN: with ε = 0 a constant channel divides 0 by 0; PyTorch's ε = 1e-5 exists for this)"
            : s.usedBatchStatistics ? "\n  (mean 0 and variance σ²/(σ² + ε) ≈ 1 in every channel)"
            : "\n  (eval mode: x̂ has mean 0 and variance 1 only if the running statistics fit this batch)"
        if let e = element {
            normalize += "\n\(marker): x̂ = (\(t(xValue)) − \(t(s.mean[c]))) / √(\(f(s.variance[c])) + \(NumberFormat.shortest(s.eps))) = \(f(s.normalized.scalars[e.flat]))"
        }
        texts.append(normalize)
        var scale = "scale  γ·x̂  (γ is learned: it can undo the normalization)\n" + table([("γ", bn.gamma.scalars.map(Double.init))]) + "\n" + view(s.scaled)
        if let e = element {
            scale += "\n\(marker): γ·x̂ = \(t(bn.gamma.scalars[c])) × \(t(s.normalized.scalars[e.flat])) = \(f(s.scaled.scalars[e.flat]))"
        }
        texts.append(scale)
        var shift = "shift  y = γ·x̂ + β  (the layer's output)\n" + table([("β", bn.beta.scalars.map(Double.init))]) + "\n" + view(s.output)
        if let e = element {
            shift += "\n\(marker): y = \(t(s.scaled.scalars[e.flat])) + \(t(bn.beta.scalars[c])) = \(f(s.output.scalars[e.flat]))"
        }
        texts.append(shift)
        guard let u = s.runningUpdate else {
            texts.append("running statistics: " + (bn.tracksRunningStats ? "no update in eval mode" : "this layer keeps none") + "; nothing changes")
            return texts
        }
        // The rule on the header line, what running_var takes below it.
        let rule = u.ruleDescription.split(separator: ";", maxSplits: 1)
        var update = "running statistics  \(rule[0])\n" + (rule.count > 1 ? " " + rule[1] + "\n" : "")
            + table([("mean before", u.meanBefore), ("mean after", u.meanAfter), ("var before", u.varianceBefore), ("var after", u.varianceAfter)])
            + "\n  num_batches_tracked \(u.numBatchesTracked - 1) → \(u.numBatchesTracked)"
        if element != nil {
            let keep = NumberFormat.shortest(1 - u.weightOfBatch), weight = NumberFormat.shortest(u.weightOfBatch)
            update += "\n  ▸ channel \(c): running_mean = \(keep) × \(t(u.meanBefore[c])) + \(weight) × \(t(u.batchMean[c])) = \(f(u.meanAfter[c]))"
            update += "\n    running_var = \(keep) × \(t(u.varianceBefore[c])) + \(weight) × \(t(u.batchVariance[c])) = \(f(u.varianceAfter[c]))"
        }
        texts.append(update)
        return texts
    }
}
