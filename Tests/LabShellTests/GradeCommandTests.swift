@testable import LabShell
import Foundation
import Testing

/// `grade(fn, task)` on functions written in the language as a CS231n student would: the right
/// ones pass, each classic mistake fails with the message that names it.
@Suite struct GradeCommandTests {
    static let forward = """
        def bn_forward(x, gamma, beta, eps: 1e-5) {
          axes = 0
          if x.ndim == 4 { axes = [0, 2, 3] }
          mu = mean(x, axis: axes, keepdims: true)
          xc = x - mu
          var_ = mean(xc ** 2, axis: axes, keepdims: true)
          xhat = xc / sqrt(var_ + eps)
          return gamma * xhat + beta
        }
        """

    static let backward = """
        def bn_backward(dy, x, gamma, eps: 1e-5) {
          axes = 0
          n = x.shape[0]
          if x.ndim == 4 {
            axes = [0, 2, 3]
            n = x.shape[0] * x.shape[2] * x.shape[3]
          }
          mu = mean(x, axis: axes, keepdims: true)
          sigma = sqrt(mean((x - mu) ** 2, axis: axes, keepdims: true) + eps)
          xhat = (x - mu) / sigma
          dbeta = sum(dy, axis: axes, keepdims: true)
          dgamma = sum(dy * xhat, axis: axes, keepdims: true)
          dx = gamma / (n * sigma) * (n * dy - dbeta - xhat * dgamma)
          return dx, dgamma, dbeta
        }
        """

    /// Runs `source`, grades `name` as `task` with seed 7, and returns the session.
    static func graded(_ source: String, _ name: String, _ task: String) -> SessionHarness {
        let s = SessionHarness()
        s.run(source)
        s.run("g = grade(\(name), \"\(task)\", seed: 7)")
        return s
    }

    static func field(_ s: SessionHarness, _ name: String) -> Value? {
        guard case .record(let r)? = s.variable("g") else { return nil }
        return r[name]
    }

    /// The session's output with the console's line breaks taken out.
    static func flat(_ s: SessionHarness) -> String {
        s.text.replacingOccurrences(of: "\n  ", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    static func mistake(_ s: SessionHarness) -> String? {
        if case .string(let m)? = field(s, "mistake") { return m }
        return nil
    }

    @Test func theStudentsForwardAndBackwardPass() {
        for (source, name, task) in [(Self.forward, "bn_forward", "batchnorm_forward"), (Self.backward, "bn_backward", "batchnorm_backward")] {
            let s = Self.graded(source, name, task)
            guard case .bool(true)? = Self.field(s, "passed") else {
                Issue.record("\(name) should pass:\n\(s.text)")
                continue
            }
            #expect(Self.flat(s).contains("\(name) passes all"), "\(s.text)")
            #expect(!s.text.contains("✗"))
        }
    }

    @Test func theUnbiasedVarianceIsNamed() {
        let source = Self.forward.replacingOccurrences(of: "var_ = mean(xc ** 2, axis: axes, keepdims: true)",
                                                       with: "var_ = var(x, axis: axes, keepdims: true, correction: 1)")
        let s = Self.graded(source, "bn_forward", "batchnorm_forward")
        #expect(Self.mistake(s) == "unbiased_variance", "\(s.text)")
        #expect(Self.flat(s).contains("✗ 2-D (4, 3): x̂ uses the unbiased variance (÷ n−1)"), "\(s.text)")
    }

    @Test func epsOutsideTheSquareRootIsNamed() {
        let source = Self.forward.replacingOccurrences(of: "xhat = xc / sqrt(var_ + eps)", with: "xhat = xc / (sqrt(var_) + eps)")
        let s = Self.graded(source, "bn_forward", "batchnorm_forward")
        #expect(Self.mistake(s) == "eps_outside_sqrt", "\(s.text)")
        #expect(Self.flat(s).contains("eps is outside the square root"), "\(s.text)")
    }

    @Test func summingOverTheWrongAxisIsNamed() {
        let source = Self.forward.replacingOccurrences(of: "axes = 0\n", with: "axes = 1\n")
        let s = Self.graded(source, "bn_forward", "batchnorm_forward")
        #expect(Self.mistake(s) == "wrong_axis", "\(s.text)")
        #expect(Self.flat(s).contains("per sample (axis 1); BatchNorm averages each channel over the batch (axis 0)"), "\(s.text)")
    }

    @Test func forgettingXHatInDGammaIsNamed() {
        let source = Self.backward.replacingOccurrences(of: "dgamma = sum(dy * xhat, axis: axes, keepdims: true)\n  dx",
                                                        with: "dgamma = sum(dy * xhat, axis: axes, keepdims: true)\n  wrong = sum(dy, axis: axes, keepdims: true)\n  dx")
            .replacingOccurrences(of: "return dx, dgamma, dbeta", with: "return dx, wrong, dbeta")
        let s = Self.graded(source, "bn_backward", "batchnorm_backward")
        #expect(Self.mistake(s) == "dgamma_without_xhat", "\(s.text)")
        #expect(Self.flat(s).contains("dgamma is Σ dy, without x̂"), "\(s.text)")
    }

    @Test func anUnknownErrorGivesTheElementAndTheStage() {
        let source = Self.forward.replacingOccurrences(of: "return gamma * xhat + beta", with: "return gamma * (xhat + 0.5) + beta")
        let s = Self.graded(source, "bn_forward", "batchnorm_forward")
        #expect(Self.flat(s).contains("✗ 2-D (4, 3): y[0, 0]: expected"), "\(s.text)")
        #expect(Self.flat(s).contains("has mean 0.500, not 0: the stage that differs is μ"), "\(s.text)")
        if case .string(let first)? = Self.field(s, "first_failure") {
            #expect(first.hasPrefix("2-D (4, 3): y[0, 0]: expected"))
        } else {
            Issue.record("first_failure is a string")
        }
    }

    @Test func anErrorInsideTheFunctionStopsTheGradeOnce() {
        let s = Self.graded("def f(x, gamma, beta, eps: 1e-5) {\n  return x + nope\n}", "f", "batchnorm_forward")
        #expect(Self.flat(s).contains("✗ 2-D (4, 3): it stopped with an error: <test>:2:14: unknown name 'nope'"), "\(s.text)")
        #expect(Self.flat(s).contains("the other 7 cases were not run"), "\(s.text)")
        guard case .bool(false)? = Self.field(s, "passed") else { Issue.record("passed is false"); return }
    }

    @Test func badCallsAreOneLineErrors() {
        let s = SessionHarness()
        s.run(Self.forward)
        #expect(!s.run("grade(bn_forward, \"batchnorm_froward\")"))
        #expect(s.lastError.contains("no grading task named \"batchnorm_froward\" — did you mean \"batchnorm_forward\"?"), "\(s.lastError)")
        #expect(!s.run("grade(mean, \"batchnorm_forward\")"))
        #expect(s.lastError.contains("grade needs a function written with def"), "\(s.lastError)")
        #expect(!s.run("def two(x, g) { return x }\ngrade(two, \"batchnorm_forward\")"))
        #expect(s.lastError.contains("cannot be graded as batchnorm_forward: it is called with x, gamma, beta and eps"), "\(s.lastError)")
    }

    @Test func theSameSeedGradesTheSameCases() {
        let a = Self.graded(Self.forward, "bn_forward", "batchnorm_forward")
        let b = Self.graded(Self.forward, "bn_forward", "batchnorm_forward")
        #expect(a.text == b.text)
        #expect(a.text.contains("(seed: 7)"))
    }
}
