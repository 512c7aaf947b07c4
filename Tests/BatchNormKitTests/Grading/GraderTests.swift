@testable import BatchNormKit
import Testing

/// The grader passes a correct float32 implementation on every case, names each classic mistake,
/// and points at the first wrong element and the stage otherwise.
@Suite struct GraderTests {
    /// CS231n's forward as a student writes it, in float32: two passes, per channel.
    static func studentForward(_ x: Tensor, _ gamma: Tensor, _ beta: Tensor, eps: Float, onePass: Bool = false, unbiased: Bool = false) -> Tensor {
        let c = x.shape[1], spatial = x.spatialSize, n = x.batchSize * spatial
        var y = x.scalars
        for channel in 0..<c {
            let members = x.scalars.indices.filter { ($0 / spatial) % c == channel }
            var mean: Float = 0, variance: Float = 0
            if onePass {
                var s: Float = 0, s2: Float = 0
                for i in members { s += x.scalars[i]; s2 += x.scalars[i] * x.scalars[i] }
                mean = s / Float(n)
                variance = s2 / Float(n) - mean * mean
            } else {
                for i in members { mean += x.scalars[i] }
                mean /= Float(n)
                for i in members { variance += (x.scalars[i] - mean) * (x.scalars[i] - mean) }
                variance /= Float(unbiased ? n - 1 : n)
            }
            for i in members { y[i] = (x.scalars[i] - mean) / (variance + eps).squareRoot() * gamma.scalars[channel] + beta.scalars[channel] }
        }
        return try! Tensor(shape: x.shape, scalars: y)
    }

    static func forwardOutcomes(seed: UInt64 = 3, _ student: (Tensor, Tensor, Tensor, Float) -> Tensor) throws -> [GradeOutcome] {
        try GradeCases.make(for: .batchnormForward, seed: seed).map { c in
            Grader.check([student(c.arguments[0], c.arguments[1], c.arguments[2], Float(c.setting))], task: .batchnormForward, against: c)
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aCorrectFloat32ForwardPassesEveryCase(seed: UInt64) throws {
        let outcomes = try Self.forwardOutcomes(seed: seed) { Self.studentForward($0, $1, $2, eps: $3) }
        #expect(outcomes.count == 8)
        for outcome in outcomes { #expect(outcome.passed, "\(outcome.caseName): \(outcome.message)") }
    }

    @Test func theUnbiasedVarianceIsNamed() throws {
        let outcomes = try Self.forwardOutcomes { Self.studentForward($0, $1, $2, eps: $3, unbiased: true) }
        let failure = try #require(outcomes.first { !$0.passed })
        #expect(failure.message.hasPrefix("x̂ uses the unbiased variance (÷ n−1)"), "\(failure.message)")
    }

    @Test func epsOutsideTheSquareRootIsNamed() throws {
        let outcomes = try Self.forwardOutcomes { x, g, b, eps in
            // (x − μ) / (√σ² + ε), the mistake, computed plainly.
            var r = ReferenceNormalization(shape: x.shape, groups: .perChannel, eps: Double(eps), parameterAxis: .channel)
            r.epsOutsideSquareRoot = true
            return try! Tensor(shape: x.shape, scalars: r.forward(x.scalars.map(Double.init), gamma: g.scalars.map(Double.init), beta: b.scalars.map(Double.init)).map(Float.init))
        }
        // Case 1 has no constant channel and eps 1e-5: the mistake shows there first.
        let failure = try #require(outcomes.first { !$0.passed })
        #expect(failure.message.hasPrefix("eps is outside the square root"), "\(failure.message)")
    }

    @Test func theOnePassVarianceFailsOnlyWhereItCancels() throws {
        let outcomes = try Self.forwardOutcomes { Self.studentForward($0, $1, $2, eps: $3, onePass: true) }
        let failed = outcomes.filter { !$0.passed }.map(\.caseName)
        #expect(failed.contains("2-D (64, 3), channel 1 at 10⁴ ± 10⁻²"), "\(outcomes.map { "\($0.caseName): \($0.message)" })")
        let message = try #require(outcomes.first { !$0.passed }).message
        #expect(message.contains("y[") && message.contains("expected") && message.contains("E[x²] − E[x]²"), "\(message)")
    }

    @Test func theWrongAxisIsNamed() throws {
        let outcomes = try Self.forwardOutcomes { x, g, b, eps in
            var r = ReferenceNormalization(shape: x.shape, groups: x.rank == 4 ? .overBatchOnly : .perSample, eps: Double(eps), parameterAxis: .channel)
            r.unbiased = false
            return try! Tensor(shape: x.shape, scalars: r.forward(x.scalars.map(Double.init), gamma: g.scalars.map(Double.init), beta: b.scalars.map(Double.init)).map(Float.init))
        }
        let failure = try #require(outcomes.first { !$0.passed })
        #expect(failure.message.hasPrefix("the statistics are computed over the wrong axis: per sample (axis 1)"), "\(failure.message)")
    }

    @Test func anUnknownMistakeGivesTheElementAndTheStage() throws {
        let outcomes = try Self.forwardOutcomes { x, g, b, eps in
            // μ forgotten in channel 0 only.
            var y = Self.studentForward(x, g, b, eps: eps)
            let c = x.shape[1], spatial = x.spatialSize
            for i in y.scalars.indices where (i / spatial) % c == 0 { y.scalars[i] += g.scalars[0] * 0.5 }
            return y
        }
        let failure = try #require(outcomes.first { !$0.passed })
        #expect(failure.message.hasPrefix("y[0, 0]: expected "), "\(failure.message)")
        #expect(failure.message.contains("in channel 0, (y − β)/γ has mean 0.500, not 0: the stage that differs is μ"), "\(failure.message)")
    }

    @Test func backwardMistakesAreNamedAndTheGradientCheckHolds() throws {
        let cases = try GradeCases.make(for: .batchnormBackward, seed: 5)
        for c in cases {
            let right = Grader.check(c.expected, task: .batchnormBackward, against: c)
            #expect(right.passed, "\(c.name): \(right.message)")
            #expect(right.message.contains("centred difference within"), "\(right.message)")
        }
        let c = cases[1]
        let sumDy = c.expected[2]
        let forgotXHat = Grader.check([c.expected[0], sumDy, c.expected[2]], task: .batchnormBackward, against: c)
        #expect(forgotXHat.message.hasPrefix("dgamma is Σ dy, without x̂"), "\(forgotXHat.message)")
        let wrongAxis = Grader.check([c.expected[0], try Tensor(repeating: 0, shape: [c.arguments[1].shape[0]]), c.expected[2]], task: .batchnormBackward, against: c)
        #expect(wrongAxis.message.contains("summed over axis 1 instead of over the batch (axis 0)"), "\(wrongAxis.message)")
        let tooFew = Grader.check([c.expected[0]], task: .batchnormBackward, against: c)
        #expect(tooFew.message == "the function returned 1 value; batchnorm_backward returns 3 values (return dx, dgamma, dbeta)")
    }

    @Test func theBiasedRunningVarianceIsNamed() throws {
        let cases = try GradeCases.make(for: .runningUpdate, seed: 1)
        let c = cases[0]
        let x = c.arguments[2], m = c.setting
        let batch = Moments.perChannel(of: x)
        let biased = try Tensor(shape: [x.shape[1]], scalars: c.arguments[1].scalars.indices.map { Float((1 - m) * Double(c.arguments[1].scalars[$0]) + m * batch.variance[$0]) })
        let outcome = Grader.check([c.expected[0], biased], task: .runningUpdate, against: c)
        #expect(outcome.message.hasPrefix("running_var takes the biased batch variance (÷ n)"), "\(outcome.message)")
        #expect(Grader.check(c.expected, task: .runningUpdate, against: c).passed)
    }

    /// Statistics per position rather than per channel average out to mean 0 and variance 1 per
    /// channel: the message must not blame γ·x̂ + β alone.
    @Test func perPositionStatisticsAreNotBlamedOnTheScaleAlone() throws {
        let c = try #require(try GradeCases.make(for: .batchnormForward, seed: 4).first { $0.name == "4-D (2, 3, 4, 5)" })
        var r = ReferenceNormalization(shape: c.arguments[0].shape, groups: .overBatchOnly, eps: c.setting, parameterAxis: .channel)
        r.epsOutsideSquareRoot = true
        let y = try Tensor(shape: c.arguments[0].shape, scalars: r.forward(c.arguments[0].scalars.map(Double.init),
            gamma: c.arguments[1].scalars.map(Double.init), beta: c.arguments[2].scalars.map(Double.init)).map(Float.init))
        let outcome = Grader.check([y], task: .batchnormForward, against: c)
        #expect(outcome.message.contains("either γ·x̂ + β is wrong, or μ and σ² were taken over the wrong elements"), "\(outcome.message)")
    }
}
