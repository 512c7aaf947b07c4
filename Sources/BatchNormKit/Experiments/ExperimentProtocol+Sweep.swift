extension ExperimentProtocol {
    /// Trains the arms of every setting of a sweep in one go (one progress count, all cores busy).
    /// `arms(s)` gives the arms at setting s, baseline first; `rates(s)` the rates they run at
    /// (the grid to tune over, or the one rate the setting fixes). Indexed [setting][arm][rate][seed].
    func sweep(_ settings: [Double], rates: (Double) -> [Double],
               arms: (Double) -> [ArmSpec]) throws(TensorError) -> [[[[RunOutcome]]]] {
        let perSetting = settings.map(arms)
        let ratesPerSetting = settings.map(rates)
        let flatRates = zip(perSetting, ratesPerSetting).flatMap { specs, rates in specs.map { _ in rates } }
        let runs = try train(perSetting.flatMap { $0 }, rates: flatRates)
        var start = 0
        return perSetting.map { specs in
            defer { start += specs.count }
            return Array(runs[start..<start + specs.count])
        }
    }

    /// Per seed, how many settings got within `tolerance` of that seed's best metric over every
    /// setting and both arms: the width of the range that works, per arm.
    func usableCounts(_ comparisons: [Comparison], tolerance: Double) -> (baseline: [Double], treatment: [Double]) {
        let seeds = comparisons.first?.baseline.values.count ?? 0
        var counts = (baseline: [Double](repeating: 0, count: seeds), treatment: [Double](repeating: 0, count: seeds))
        for seed in 0..<seeds {
            let best = comparisons.flatMap { [$0.baseline.values[seed], $0.treatment.values[seed]] }.max() ?? 0
            for c in comparisons {
                if c.baseline.values[seed] >= best - tolerance { counts.baseline[seed] += 1 }
                if c.treatment.values[seed] >= best - tolerance { counts.treatment[seed] += 1 }
            }
        }
        return counts
    }

    /// Per arm, the settings whose mean metric is within `tolerance` of the best mean of any arm.
    func settingsNearBest(_ comparisons: [Comparison], tolerance: Double) -> [[Double]] {
        let best = comparisons.map { max($0.baseline.mean, $0.treatment.mean) }.max() ?? 0
        return [0, 1].map { arm in comparisons.filter { $0.arms[arm].mean >= best - tolerance }.compactMap(\.setting) }
    }
}
