import BatchNormKit
@testable import LabShell
import Testing

/// The core of the language exactly as the foundation issue writes it, with the numbers checked
/// against the engine called directly (and so against PyTorch, through the engine's own tests).
@Suite struct InterpreterTests {
    @Test func theIssuesCoreScriptRuns() throws {
        let session = SessionHarness(keepGoing: false)
        let ok = session.run("""
        # a comment; statements are separated by newlines or ';'
        seed(7)
        x = randn(64, 8) * 3 + 5          # N×C standard normal, scaled and shifted
        bn = batchnorm(8)                 # eps 1e-5, momentum 0.1, affine, tracking running stats
        bn2 = batchnorm(8, eps: 0.001, momentum: none)   # none = cumulative average
        bn.gamma = ones(8) * 2            # fields read and assigned with '.'
        y = bn(x)                         # forward in the layer's mode; training mode updates running stats
        eval(bn)                          # and train(bn)
        ye = bn(x)
        train(bn)
        dy = randn(64, 8)
        g = backward(bn, x, dy)           # a record with g.dx, g.dgamma, g.dbeta
        dx = g.dx
        ln = layernorm(8)                 # over the trailing dims given
        inn = instancenorm(8)
        gn = groupnorm(2, 8)              # 2 groups over 8 channels
        repeat 100 { y2 = bn2(randn(16, 8) * 3 + 5) }
        x
        """)
        #expect(ok, "\(session.text)")

        // The same computation through the engine.
        var rng = SeededGenerator(seed: 7)
        let x = try Tensor.randn([64, 8], using: &rng).combined(with: 3, .multiply).combined(with: 5, .add)
        #expect(session.tensor("x") == x.scalars)
        let bn = try BatchNorm(numFeatures: 8)
        try bn.setGamma(Tensor(vector: [Float](repeating: 2, count: 8)))
        #expect(session.tensor("y") == (try bn.forward(x)).scalars)
        bn.training = false
        #expect(session.tensor("ye") == (try bn.forward(x)).scalars)
        bn.training = true
        let dy = try Tensor.randn([64, 8], using: &rng)
        #expect(session.tensor("dx") == (try bn.backward(x, dy)).dx.scalars)

        let bn2 = try BatchNorm(numFeatures: 8, eps: 0.001, momentum: .some(nil))
        for _ in 0..<100 {
            _ = try bn2.forward(Tensor.randn([16, 8], using: &rng).combined(with: 3, .multiply).combined(with: 5, .add))
        }
        guard case .layer(let shellBN2 as BatchNorm)? = session.variable("bn2") else {
            Issue.record("bn2 is not a batchnorm"); return
        }
        #expect(shellBN2.runningMean == bn2.runningMean && shellBN2.runningVar == bn2.runningVar)
        #expect(shellBN2.numBatchesTracked == 100 && shellBN2.momentum == nil && shellBN2.eps == 0.001, "\(shellBN2.numBatchesTracked) \(String(describing: shellBN2.momentum)) \(shellBN2.eps) \(session.text.suffix(300))")
        #expect(session.output.last?.hasPrefix("tensor (64, 8)\n[[") == true)
    }

    @Test func layersAreSharedLikePythonObjects() {
        let session = SessionHarness()
        session.run("bn = batchnorm(2); alias = bn; y = alias(randn(4, 2)); n = bn.num_batches_tracked")
        #expect(session.number("n") == 1)
    }

    @Test func fieldsReadAndWrite() {
        let session = SessionHarness()
        #expect(session.run("""
        bn = batchnorm(3)
        bn.gamma = [1, 2, 3]
        bn.beta = 0.5
        bn.momentum = none
        bn.eps = 0.01
        bn.training = false
        bn.running_mean = [1, 1, 1]
        g = bn.gamma; b = bn.beta; m = bn.momentum; e = bn.eps; t = bn.training; rm = bn.running_mean
        """), "\(session.text)")
        #expect(session.tensor("g") == [1, 2, 3])
        #expect(session.tensor("b") == [0.5, 0.5, 0.5])
        #expect(session.tensor("rm") == [1, 1, 1])
        #expect(session.number("e") == 0.01)
        if case .none? = session.variable("m") {} else { Issue.record("momentum should be none") }
        if case .bool(false)? = session.variable("t") {} else { Issue.record("training should be false") }
        #expect(!session.run("bn.gamma = [1, 2]"))
        #expect(session.lastError.contains("gamma must have shape (3), got (2)"))
        #expect(!session.run("bn.num_features = 4"))
        #expect(session.lastError.contains("read-only"))
        #expect(!session.run("bn.gama"))
        #expect(session.lastError.contains("did you mean 'gamma'?"))
    }

    @Test func kerasConventionIsSelectable() throws {
        let session = SessionHarness()
        #expect(session.run("k = batchnorm(4, convention: \"keras\"); m = k.momentum; e = k.eps"))
        #expect(session.number("m") == 0.99 && session.number("e") == 0.001)
    }

    /// NumPy's rule: shapes line up from the right, so one value per channel of (N, C, L) is a
    /// (1, C, 1) tensor, as in PyTorch; a bare (C) vector there is an error with that hint.
    @Test func arithmeticBroadcastsPerChannel() {
        let session = SessionHarness()
        #expect(session.run("x = ones(2, 3, 2) * reshape([1, 2, 3], 1, 3, 1); y = 1 - [[1, 2], [3, 4]]; z = [2, 4] / 2"))
        #expect(session.tensor("x") == [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        #expect(session.tensor("y") == [0, -1, -2, -3])
        #expect(session.tensor("z") == [1, 2])
        #expect(session.run("w = ones(2, 3) * [1, 2, 3]"))
        #expect(session.tensor("w") == [1, 2, 3, 1, 2, 3])
        #expect(!session.run("ones(2, 3) + ones(3, 2)"))
        #expect(session.lastError.contains("operands could not be broadcast together with shapes (2, 3) and (3, 2)"))
        #expect(!session.run("ones(2, 3, 2) * [1, 2, 3]"))
        #expect(session.lastError.contains("for one value per channel, reshape the vector to (1, 3, 1)"))
    }

    @Test func seedMakesSessionsReproducible() {
        let a = SessionHarness(), b = SessionHarness()
        a.run("x = randn(3, 2)")
        b.run("x = randn(3, 2)")
        #expect(a.tensor("x") == b.tensor("x"), "a fresh session uses a fixed default seed")
        a.run("seed(1); y = rand(5)")
        b.run("seed(1); y = rand(5)")
        #expect(a.tensor("y") == b.tensor("y"))
    }

    @Test func saveAndLoadRoundTripThroughTheShell() throws {
        let dir = "/tmp/bnlab-shell-\(UInt32.random(in: 0...UInt32.max))"
        let session = SessionHarness()
        #expect(session.run("""
        x = randn(5, 3)
        save(x, "\(dir)-x.npy")
        save(x, "\(dir)-x.csv")
        a = load("\(dir)-x.npy")
        b = load("\(dir)-x.csv")
        """), "\(session.text)")
        #expect(session.tensor("a") == session.tensor("x"))
        #expect(session.tensor("b") == session.tensor("x"))
        #expect(!session.run("load(\"\(dir)-missing.npy\")"))
        #expect(session.lastError.contains("missing.npy"))
        #expect(!session.run("save(x, \"/nonexistent-dir/x.npy\")"))
        #expect(session.lastError == "<test>:7:9: error: cannot write /nonexistent-dir/x.npy: the folder '/nonexistent-dir/' does not exist")
    }

    @Test func unknownNamesSuggestTheClosest() {
        let session = SessionHarness()
        session.run("learning_rate = 3")
        #expect(!session.run("learning_rat"))
        #expect(session.lastError == "<test>:2:1: error: unknown name 'learning_rat' — did you mean 'learning_rate'?")
        #expect(!session.run("batchnrom(4)"))
        #expect(session.lastError.contains("did you mean 'batchnorm'?"))
    }

    @Test func wrongArgumentsAreExplained() {
        let session = SessionHarness()
        #expect(!session.run("batchnorm()"))
        #expect(session.lastError.contains("batchnorm needs C"))
        #expect(!session.run("batchnorm(\"8\")"))
        #expect(session.lastError.contains("C must be a whole number, got a string"))
        #expect(!session.run("batchnorm(8, 9)"))
        #expect(session.lastError.contains("takes 1 positional argument"))
        #expect(!session.run("batchnorm(8, convention: \"tf\")"))
        #expect(session.lastError.contains("convention must be \"pytorch\" or \"keras\""))
        #expect(!session.run("bn = batchnorm(4); bn(randn(1, 4))"))
        #expect(session.lastError.contains("Expected more than 1 value per channel when training"))
        #expect(!session.run("groupnorm(3, 4)"))
        #expect(session.lastError.contains("num_channels (4) must be divisible by num_groups (3)"))
        #expect(!session.run("randn = 3"))
        #expect(session.lastError.contains("'randn' is a command"))
    }

    @Test func nanInInputIsWarnedAbout() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(2); x = [[1, 2], [3, 4]] * [0, 1] / [0, 1]; y = bn(x)"))
        #expect(session.errors.contains { $0.contains("warning: the input to batchnorm(2) contains 2 NaN values") })
    }

    @Test func exitStopsTheRun() {
        let session = SessionHarness()
        session.run("a = 1\nexit\na = 2")
        #expect(session.number("a") == 1)
    }

    @Test func helpComesFromTheCommandTable() {
        let session = SessionHarness()
        session.run("help")
        for command in session.interpreter.commandNames {
            #expect(session.output.last?.contains(command) == true, "help lists \(command)")
        }
        session.run("help batchnorm")
        #expect(session.output.last?.hasPrefix("batchnorm(C, eps: 1e-05, momentum: 0.1") == true)
        #expect(session.output.last?.contains("example: bn = batchnorm(8, eps: 0.001, momentum: none)") == true)
        session.run("help(batchn)")
        #expect(session.output.last?.hasPrefix("batchnorm(") == true, "a unique prefix is enough")
        #expect(!session.run("help batchnrm"))
        #expect(session.lastError.contains("did you mean 'batchnorm'?"))
    }

    @Test func completionUsesCommandsVariablesAndFields() {
        let session = SessionHarness()
        session.run("bn = batchnorm(4); learning_rate = 3")
        let completer = Completer(interpreter: session.interpreter)
        #expect(completer.candidates(line: "hel", wordStart: 0, prefix: "hel") == ["help"])
        #expect(completer.candidates(line: "x = learn", wordStart: 4, prefix: "learn") == ["learning_rate"])
        #expect(completer.candidates(line: "bn.run", wordStart: 3, prefix: "run") == ["running_mean", "running_var"])
        #expect(completer.candidates(line: "y = bn.num_b", wordStart: 7, prefix: "num_b") == ["num_batches_tracked"])
        #expect(completer.candidates(line: "zz.a", wordStart: 3, prefix: "a") == [])
    }

    @Test func terminalErrorsShowACaret() {
        let session = SessionHarness(terminal: true)
        session.run("x = randn(2, 3) +* 2")
        #expect(session.lastError == "error: expected a value, found '*'\n  x = randn(2, 3) +* 2\n                   ^")
    }

    @Test func continuationLinesJoinUntilBracketsClose() {
        let session = SessionHarness()
        #expect(session.runner.feed("x = [[1, 2],") == .needsMore)
        #expect(session.runner.feed("     [3, 4]]") == .ran(succeeded: true))
        #expect(session.tensor("x") == [1, 2, 3, 4])
        #expect(session.runner.feed("repeat 2 {") == .needsMore)
        #expect(session.runner.feed("  x = x * 2") == .needsMore)
        #expect(session.runner.feed("}") == .ran(succeeded: true))
        #expect(session.tensor("x") == [4, 8, 12, 16])
        #expect(session.runner.feed("f(") == .needsMore)
        #expect(!session.runner.finish())
        #expect(session.lastError == "<test>:6:2: error: unexpected end of input: '(' opened here is never closed")
    }
}
