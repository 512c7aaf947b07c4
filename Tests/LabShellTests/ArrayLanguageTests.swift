@testable import LabShell
import BatchNormKit
import Testing

/// The array language through the shell: syntax, precedence, the messages a learner sees, and
/// BatchNorm's forward written by hand, CS231n-style.
@Suite struct ArrayLanguageTests {
    func value(_ expression: String, setup: String = "x = [[1, 2, 3], [4, 5, 6]]") -> Value? {
        let session = SessionHarness()
        #expect(session.run(setup + "\nr = " + expression), "\(expression): \(session.lastError)")
        return session.variable("r")
    }

    func number(_ expression: String) -> Double? {
        if case .number(let v)? = value(expression) { return v }
        return nil
    }

    func tensor(_ expression: String) -> Tensor? {
        if case .tensor(let t)? = value(expression) { return t }
        return nil
    }

    func error(_ line: String, setup: String = "x = [[1, 2, 3], [4, 5, 6]]") -> String {
        let session = SessionHarness()
        #expect(session.run(setup))
        #expect(!session.run(line), "\(line) should fail")
        return session.lastError
    }

    @Test func powerBindsTighterThanMinusAndGroupsToTheRight() {
        #expect(number("-2**2") == -4)
        #expect(number("2**3**2") == 512)
        #expect(number("2 ** -1") == 0.5)
        #expect(number("(-2) ** 2") == 4)
        #expect(number("2 * 3 ** 2") == 18)
        #expect(tensor("x ** 2")?.scalars == [1, 4, 9, 16, 25, 36])
        #expect(tensor("2 ** [1, 2]")?.scalars == [2, 4])
        #expect(error("0 ** -1").contains("0 cannot be raised to a negative power"))
        #expect(error("x[10^20]").contains("'^' is not an operator here: write ** for a power"))
    }

    @Test(arguments: [("-2 ** 2", "-2 ** 2"), ("(-2) ** 2", "(-2) ** 2"), ("(2 ** 3) ** 2", "(2 ** 3) ** 2"),
                      ("2 ** 3 ** 2", "2 ** 3 ** 2"), ("2 ** -x", "2 ** -x"), ("(a @ b) * c", "a @ b * c"),
                      ("x[1:3, ::2, -1]", "x[1:3, ::2, -1]"), ("x[:, 0]", "x[:, 0]"), ("x[::-1].T", "x[::-1].T"),
                      ("mean(xc ** 2, axis: 0)", "mean(xc ** 2, axis: 0)")])
    func newSyntaxIsWrittenBackAsSource(_ written: String, _ shown: String) throws {
        guard case .expression(let expr)? = try Parser.parse(written).first else { Issue.record("not an expression"); return }
        #expect(expr.sourceText == shown)
    }

    @Test func comparisonsOfTensorsAreMasks() {
        #expect(tensor("(x > 2) * 1.0")?.scalars == [0, 0, 1, 1, 1, 1])
        #expect(tensor("x <= [2, 5, 1]")?.scalars == [1, 1, 0, 0, 1, 0])
        #expect(tensor("3 == x")?.scalars == [0, 0, 1, 0, 0, 0])
        #expect(tensor("x != x")?.scalars == [0, 0, 0, 0, 0, 0])
        #expect(tensor("where(x > 3, x, 0)")?.scalars == [0, 0, 0, 4, 5, 6])
        #expect(tensor("where(x > 3, 1, [10, 20, 30])")?.scalars == [10, 20, 30, 1, 1, 1])
        if case .bool(true)? = value("1 < 2") {} else { Issue.record("numbers still compare to true/false") }
    }

    @Test func broadcastingAndItsErrors() {
        #expect(tensor("x - mean(x, axis: 0)")?.scalars == [-1.5, -1.5, -1.5, 1.5, 1.5, 1.5])
        #expect(tensor("x / sum(x, axis: 1, keepdims: true)")?.shape == [2, 3])
        #expect(tensor("[[1], [2]] + [10, 20, 30]")?.scalars == [11, 21, 31, 12, 22, 32])
        #expect(error("x + [1, 2]") == "<test>:2:3: error: operands could not be broadcast together with shapes (2, 3) and (2)")
        #expect(error("y = ones(100000, 1) + ones(1, 10000)", setup: "")
                .contains("a tensor of shape (100000, 10000) is larger than the limit of 268435456 elements"))
    }

    @Test func indexingAndSlicing() {
        #expect(number("x[1, 2]") == 6)
        #expect(number("x[-1, -3]") == 4)
        #expect(tensor("x[-1]")?.scalars == [4, 5, 6])
        #expect(tensor("x[:, 0]")?.scalars == [1, 4])
        #expect(tensor("x[:, ::-1]")?.scalars == [3, 2, 1, 6, 5, 4])
        #expect(tensor("x[:, 1:]")?.shape == [2, 2])
        #expect(tensor("x[3:1]")?.shape == [0, 3])
        #expect(tensor("x[::2]")?.shape == [1, 3])
        #expect(tensor("x[1e30:]")?.shape == [0, 3])
        #expect(tensor("x[-1e30:]")?.shape == [2, 3])
        #expect(tensor("x.T")?.scalars == [1, 4, 2, 5, 3, 6])
        #expect(tensor("randn(2, 3, 4, 5)[:, :, 2:5]")?.shape == [2, 3, 2, 5])
    }

    @Test func indexErrorsAreOneLineWithAPlace() {
        #expect(error("x[10]") == "<test>:2:3: error: index 10 is out of range for axis 0 with size 2")
        #expect(error("x[0, -4]") == "<test>:2:6: error: index -4 is out of range for axis 1 with size 3")
        #expect(error("x[10**20]") == "<test>:2:3: error: index 1e+20 is out of range for axis 0 with size 2")
        #expect(error("x[1e300]").contains("index 1e+300 is out of range for axis 0 with size 2"))
        #expect(error("x[::0]") == "<test>:2:3: error: slice step cannot be zero")
        #expect(error("x[0, 0, 0]").contains("too many indices for a tensor of rank 2: 3 were given"))
        #expect(error("x[0.5]").contains("an index is a whole number, got 0.5"))
        #expect(error("x[1:\"a\"]").contains("a slice bound is a whole number, got a string"))
        #expect(error("x[]").contains("expected a value"))
    }

    @Test func reductionsWithAxes() {
        #expect(tensor("sum(x, axis: 0)")?.scalars == [5, 7, 9])
        #expect(tensor("mean(x, axis: -1, keepdims: true)")?.shape == [2, 1])
        #expect(tensor("var(x, axis: 0, correction: 1)")?.scalars == [4.5, 4.5, 4.5])
        #expect(tensor("var(x, axis: 0)")?.scalars == [2.25, 2.25, 2.25])
        #expect(tensor("max(x, axis: 1)")?.scalars == [3, 6])
        #expect(number("min(x, axis: [0, 1])") == 1)
        #expect(tensor("sum(x, keepdims: true)")?.shape == [1, 1])
        // Without axis: every value, biased, as bnlab's var(x) has always been.
        let v = number("var(x)") ?? 0, unbiased = number("var(x, correction: 1)") ?? 0
        #expect(abs(v - 35.0 / 12) < 1e-12 && abs(unbiased - 3.5) < 1e-12)
        #expect(error("sum(x, axis: 2)").contains("axis 2 is out of range for a tensor of rank 2 (axes are -2 to 1)"))
        #expect(error("sum(x, axis: 1e300)").contains("axis 1e+300 is out of range"))
        #expect(error("mean(x, axis: [1, -1])").contains("axis -1 is named twice"))
        #expect(error("var(x, axis: 0, correction: -1)").contains("correction must be a number ≥ 0"))
    }

    @Test func shapesMatmulAndJoins() {
        #expect(tensor("x @ x.T")?.scalars == [14, 32, 32, 77])
        #expect(tensor("[1, 1] @ x")?.scalars == [5, 7, 9])
        #expect(number("[1, 2] @ [3, 4]") == 11)
        #expect(error("x @ x").contains("cannot multiply (2, 3) @ (2, 3)"))
        #expect(error("2 @ x").contains("@ multiplies matrices and vectors"))
        #expect(tensor("permute(randn(2, 3, 4), [2, 0, -2])")?.shape == [4, 2, 3])
        #expect(tensor("concat([x, x[0:1]], axis: 0)")?.shape == [3, 3])
        #expect(tensor("concat([x, x], axis: -1)")?.shape == [2, 6])
        #expect(tensor("stack([x, x], axis: 2)")?.shape == [2, 3, 2])
        #expect(tensor("sqrt(x ** 2)")?.scalars == [1, 2, 3, 4, 5, 6])
        #expect(tensor("relu(x - 3)")?.scalars == [0, 0, 0, 1, 2, 3])
        #expect(number("log(exp(2))") == 2)
        #expect(error("stack([x, x[0]])").contains("stack expects each tensor to be equal size"))
    }

    /// BatchNorm's training-mode forward, written the way CS231n's assignment writes it, against
    /// the `batchnorm` layer: the same float32 result to within a few ulps (the layer computes its
    /// statistics in Float64 and normalizes with one fused formula; the hand version rounds each step).
    @Test(arguments: [[64, 8], [5, 3]])
    func handWrittenForwardMatchesTheLayer(shape: [Int]) throws {
        let session = SessionHarness()
        let c = shape[1]
        #expect(session.run("""
        seed(4)
        x = randn(\(shape[0]), \(c)) * 3 + 5
        gamma = rand(\(c)) + 0.5
        beta = randn(\(c))
        bn = batchnorm(\(c)); bn.gamma = gamma; bn.beta = beta
        mu = mean(x, axis: 0)
        xc = x - mu
        v = mean(xc ** 2, axis: 0)
        y = xc / sqrt(v + 1e-5) * gamma + beta
        expected = bn(x)
        err = max(abs(y - expected))
        """), "\(session.lastError)")
        let y = session.tensor("y"), expected = session.tensor("expected")
        #expect(y.count == shape[0] * c)
        for (a, b) in zip(y, expected) {
            #expect(abs(a - b) <= 4 * Swift.max(abs(b).ulp, Float.ulpOfOne), "\(a) vs \(b)")
        }
    }
}
