import BatchNormKit

/// How an experiment's result reads in the terminal: what was run, the sweep and the arms as
/// tables, both arms' loss curves on one plot, the verdict with the rule behind it, and the
/// findings. Everything fits `width`; every number comes from the result.
struct ExperimentReport {
    let result: ExperimentResult
    let width: Int
    let precision: Int
    let glyphs: Glyphs

    /// Counts (rates or scales that work) read as counts: whole numbers per seed, one decimal for a mean.
    private var countsMetric: Bool { !result.isPercentage && result.arms.allSatisfy { $0.values.allSatisfy { $0 == $0.rounded() } } }

    private func show(_ v: Double) -> String {
        if countsMetric { return v == v.rounded() ? NumberFormat.shortest(v) : NumberFormat.fixed(v, decimals: 1) }
        return result.isPercentage ? NumberFormat.percent(v) : NumberFormat.fixed(v, decimals: min(precision, 3))
    }

    private func prose(_ text: String) -> String { Narration.wrapProse(text, width: width) }

    func render() -> String {
        let r = result
        let seedList = r.seeds == 1 ? "1 seed" : "\(r.seeds) paired seeds (same split and shuffles for both arms)"
        var parts = [prose("experiment \(r.name): \"\(r.claim)\"")]
        var setup = "data \(r.dataName); \(seedList); \(r.epochs) epoch\(r.epochs == 1 ? "" : "s") per run. "
        if !r.grid.isEmpty {
            setup += "Each arm's learning rate is chosen from " + r.grid.map(NumberFormat.shortest).joined(separator: ", ")
                + " by \(r.tuning) (on a split carved from the training part); the test set is only for the figures."
        }
        parts.append(prose(setup.trimmingTrailingSpaces()))
        if !r.settings.isEmpty, let settingName = r.settingName {
            parts.append(settingsTable(settingName))
        }
        parts.append(prose("metric: \(r.metric)" + (r.higherIsBetter ? ", higher is better" : "")))
        parts.append(armsTable())
        let plot = CurvePlot(width: width, glyphs: glyphs, precision: min(precision, 3))
            .render(title: "training loss (eval mode, whole training set), \(r.curveNote)", xLabel: "epoch",
                    series: r.arms.map { CurvePlot.Series(name: $0.name, curves: $0.curves) })
        if !plot.isEmpty { parts.append(plot) }
        parts.append(prose(verdictLine()))
        parts.append(prose("rule: " + r.rule + "."))
        parts.append(r.findings.map(prose).joined(separator: "\n"))
        if r.interrupted {
            parts.append(prose("interrupted: the verdict covers only the \(r.seeds) of \(r.requestedSeeds) seeds that finished."))
        }
        return parts.joined(separator: "\n")
    }

    private func verdictLine() -> String {
        let c = result.main
        let difference = c.treatment.mean - c.baseline.mean
        let better = (difference > 0) == result.higherIsBetter ? c.treatment.name : c.baseline.name
        let gap = result.isPercentage ? NumberFormat.percent(abs(difference)).replacingPercentWithPoints
            : countsMetric ? NumberFormat.fixed(abs(difference), decimals: 1) : NumberFormat.fixed(abs(difference), decimals: 3)
        return "verdict: \(result.verdict.rawValue.uppercased()) — \(c.treatment.name) better in \(c.treatmentWins) of "
            + "\(c.baseline.values.count) seeds, \(c.baseline.name) in \(c.baselineWins); on average \(better) by \(gap) "
            + "(margin \(result.marginText))."
    }

    private func armsTable() -> String {
        var table = TextTable(header: ["arm", "lr", "mean", "min", "max"])
        for arm in result.arms {
            table.rows.append([arm.name, NumberFormat.shortest(arm.learningRate), show(arm.mean), show(arm.min), show(arm.max)])
        }
        var text = table.render(width: width)
        for arm in result.arms {
            text += "\n" + prose("  \(arm.name), seed by seed: " + arm.values.map(show).joined(separator: " "))
        }
        return text
    }

    private func settingsTable(_ settingName: String) -> String {
        let tuned = !result.grid.isEmpty
        var table = TextTable(header: [settingName] + result.arms.map(\.name) + ["verdict"])
        for c in result.settings {
            let cells = c.arms.map { arm in NumberFormat.percent(arm.mean) + (tuned ? " @" + NumberFormat.shortest(arm.learningRate) : "") }
            table.rows.append([NumberFormat.shortest(c.setting ?? .nan)] + cells + [c.verdict.rawValue])
        }
        var text = table.render()
        if text.split(separator: "\n").contains(where: { $0.count > width }) {
            // Too narrow for the columns: one block per setting instead.
            text = result.settings.map { c in
                "\(settingName) \(NumberFormat.shortest(c.setting ?? .nan)): " + c.arms.map { arm in
                    "\(arm.name) \(NumberFormat.percent(arm.mean))" + (tuned ? " @" + NumberFormat.shortest(arm.learningRate) : "")
                }.joined(separator: ", ") + " — \(c.verdict.rawValue)"
            }.map(prose).joined(separator: "\n")
        }
        let note = "mean test accuracy over the seeds" + (tuned ? "; @ the rate chosen for that setting" : "")
        return text + "\n" + prose("(" + note + ")")
    }
}

private extension String {
    /// "5.0%" → "5.0 points": a difference of two percentages is in percentage points.
    var replacingPercentWithPoints: String { hasSuffix("%") ? String(dropLast()) + " points" : self }
}
