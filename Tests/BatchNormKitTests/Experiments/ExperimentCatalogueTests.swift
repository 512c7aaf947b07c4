@testable import BatchNormKit
import Testing

/// Every experiment, run small: its verdicts follow the rule from its own figures, its arms are
/// paired seed for seed, each arm's rate comes from the grid, and Ctrl-C keeps finished seeds.
@Suite struct ExperimentCatalogueTests {
    static func context(seeds: Int, epochs: Int = 2, firstSeed: UInt64 = 3, stop: @escaping () -> Bool = { false },
                        progress: @escaping (Int, Int) -> Void = { _, _ in }) throws -> ExperimentContext {
        var generator = SeededGenerator(seed: firstSeed)
        var options = ExperimentOptions()
        options.seeds = seeds
        options.epochs = epochs
        options.firstSeed = firstSeed
        return ExperimentContext(data: try Dataset.spirals(samples: 300, using: &generator), options: options,
                                 shouldStop: stop, progress: progress)
    }

    static func recomputed(_ c: Comparison, _ r: ExperimentResult) -> Verdict {
        VerdictRule.decide(baseline: c.baseline.values, treatment: c.treatment.values,
                           higherIsBetter: r.higherIsBetter, margin: r.margin).verdict
    }

    /// The digits as images, for the experiments that prefer them (`conv`).
    static func digitsContext(seeds: Int, epochs: Int = 2) throws -> ExperimentContext {
        var options = ExperimentOptions()
        options.seeds = seeds
        options.epochs = epochs
        options.firstSeed = 3
        return ExperimentContext(data: try Dataset.digits(path: TrainingDatasetTests.digitsPath).images([1, 8, 8]), options: options)
    }

    @Test(arguments: ExperimentCatalogue.names)
    func verdictFollowsTheRuleFromTheFigures(_ name: String) throws {
        let experiment = try #require(ExperimentCatalogue.named(name))
        let r = try experiment.run(experiment.preferredData == "digits" ? Self.digitsContext(seeds: 3) : Self.context(seeds: 3))
        #expect(r.seeds == 3 && !r.interrupted)
        #expect(r.arms.count == 2)
        #expect(r.arms.allSatisfy { $0.values.count == 3 && $0.values.allSatisfy(\.isFinite) })
        #expect(r.verdict == Self.recomputed(r.main, r))
        #expect(r.findings.contains { $0.contains(r.verdict.rawValue) }, "a finding states the verdict: \(r.findings)")
        for setting in r.settings {
            #expect(setting.arms.count == 2 && setting.arms.allSatisfy { $0.values.count == 3 })
            // Sweeps' settings are compared on test accuracy.
            #expect(setting.verdict == VerdictRule.decide(baseline: setting.baseline.values, treatment: setting.treatment.values,
                                                          higherIsBetter: true, margin: 0.01).verdict)
        }
        // conv tunes on 0.01–0.03–0.1 only, to stay fast enough for its lesson (ConvNetComparison.rates).
        if !r.grid.isEmpty && name != "conv" {
            #expect(r.grid.count >= 4 && r.grid.min()! <= 0.001 && r.grid.max()! >= 0.3)
        }
    }

    @Test func tunedArmsReportAGridRate() throws {
        let r = try ExperimentCatalogue.named("bn")!.run(Self.context(seeds: 2))
        #expect(r.arms.allSatisfy { ExperimentProtocol.grid.contains($0.learningRate) })
        #expect(r.arms.allSatisfy { $0.curves.count == 2 && $0.curves.allSatisfy { $0.count == 2 } })
    }

    @Test func sameSeedsSameFiguresOtherSeedsOthers() throws {
        let a = try ExperimentCatalogue.named("regularization")!.run(Self.context(seeds: 2))
        let b = try ExperimentCatalogue.named("regularization")!.run(Self.context(seeds: 2))
        let c = try ExperimentCatalogue.named("regularization")!.run(Self.context(seeds: 2, firstSeed: 11))
        #expect(a.arms.map(\.values) == b.arms.map(\.values))
        #expect(a.arms.map(\.values) != c.arms.map(\.values))
    }

    /// Ctrl-C after the first seed's runs: the result holds the finished seeds only, still paired.
    @Test func stoppingKeepsTheFinishedSeeds() throws {
        let counter = Counter()
        let perSeed = 2 * ExperimentProtocol.grid.count
        let context = try Self.context(seeds: 4, stop: { counter.value >= perSeed + 1 },
                                       progress: { done, _ in counter.value = done })
        let r = try ExperimentCatalogue.named("bn")!.run(context)
        #expect(r.seeds >= 1 && r.seeds < 4 && r.interrupted)
        #expect(r.arms[0].values.count == r.seeds && r.arms[1].values.count == r.seeds)
        #expect(r.verdict == Self.recomputed(r.main, r))
    }

    @Test func noiseInjectionMovesTheInputsButLeavesEvalAlone() throws {
        let r = try ExperimentCatalogue.named("noise")!.run(Self.context(seeds: 2, epochs: 3))
        #expect(r.figure("shift_noisy")! > r.figure("shift_clean")!)
    }

    @Test func batchMeanNoiseFollowsSigmaOverRootB() throws {
        var generator = SeededGenerator(seed: 1)
        let data = try Dataset.spirals(samples: 600, using: &generator)
        for n in BatchSizeSweep.batchMeanNoise(data, sizes: [4, 16, 64], seed: 2) {
            #expect(abs(n.measured / n.predicted - 1) < 0.2, "batch \(n.size): \(n.measured) vs \(n.predicted)")
        }
    }

    /// The smoothness probe leaves the model exactly as it found it.
    @Test func gradientChangeRestoresTheModel() throws {
        var generator = SeededGenerator(seed: 5)
        let data = try Dataset.spirals(samples: 200, using: &generator)
        let model = try MLP(sizes: [2, 16, 16, 3], norm: .batch, using: &generator)
        let before = model.parameterSlots.map { $0.values() }
        let mean = (model.blocks[0].norm as! BatchNorm).runningMean.scalars
        let beta = try LossSmoothness.gradientChange(model, on: data, learningRate: 0.1)
        #expect(beta.isFinite && beta > 0)
        #expect(model.parameterSlots.map { $0.values() } == before)
        #expect((model.blocks[0].norm as! BatchNorm).runningMean.scalars == mean)
    }
}

/// A value the stop and progress closures share (they run one at a time under the kit's lock).
final class Counter: @unchecked Sendable {
    var value = 0
}
