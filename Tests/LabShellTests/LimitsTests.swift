@testable import LabShell
import BatchNormKit
import Testing

/// Every resource bound in README's Limits table, each checked through the language with the
/// message a learner sees.
@Suite struct LimitsTests {
    @Test func tensorElementCapIsCheckedBeforeAllocating() {
        let session = SessionHarness()
        #expect(!session.run("x = randn(100000, 100000)"))
        #expect(session.lastError.contains("a tensor of shape (100000, 100000) is larger than the limit of 268435456 elements"))
        #expect(session.lastError.contains("--max-elements or BNLAB_MAX_ELEMENTS"))
    }

    @Test func nestingDepthOfExpressionsAndBlocks() {
        let session = SessionHarness()
        #expect(!session.run(String(repeating: "-", count: 300) + "1"))
        #expect(session.lastError.contains("nested more than 200 levels deep"))
        #expect(!session.run(String(repeating: "repeat 1 { ", count: 201) + String(repeating: "}", count: 201)))
        #expect(session.lastError.contains("nested more than 200 levels deep"))
        #expect(!session.run("x = 1" + String(repeating: ".shape", count: 250)))
        #expect(session.lastError.contains("more than 200 calls and fields in a row"))
    }

    @Test func statementLength() {
        let session = SessionHarness()
        let line = String(repeating: "1,", count: 1 << 19)  // 1 MiB
        #expect(!session.run("x = [\n" + String(repeating: line + "\n", count: 9) + "]"))
        #expect(session.errors.contains { $0.contains("error: statement longer than 8 MiB") })
        var decoder = LineDecoder(maxLineBytes: 16)
        #expect(decoder.push(Array(String(repeating: "x", count: 40).utf8) + [10]).count == 1)
    }

    @Test func repeatCount() {
        let session = SessionHarness()
        #expect(!session.run("repeat 1e10 { }"))
        #expect(session.lastError.contains("repeat needs a whole number of times from 0 to 1000000000, got 10000000000"))
        #expect(!session.run("repeat -1 { }"))
        #expect(session.lastError.contains("from 0 to 1000000000, got -1"))
    }

    @Test func userFunctionCallsAreBoundedBeforeTheStackRunsOut() {
        let session = SessionHarness()
        #expect(!session.run("def f(n) { return f(n) }\nf(1)"))
        #expect(session.lastError.contains("recursion deeper than \(LanguageLimits.maxCallDepth) calls"))
        // Each call nests 150 more calls in its argument: whichever bound comes first, it is an error, not a crash.
        let nested = String(repeating: "k(", count: 150) + "n" + String(repeating: ")", count: 150)
        #expect(!session.run("def k(n) { return k(\(nested)) }\nk(1)"))
        #expect(session.lastError.contains("recursion deeper than") || session.lastError.contains("recursion too deep for the stack"))
        #expect(session.interpreter.frames.isEmpty)
    }

    @Test func ctrlCStopsALongLoop() {
        let session = SessionHarness()
        var polls = 0
        session.interpreter.console.isInterrupted = { polls += 1; return polls > 1000 }
        #expect(!session.run("repeat 1e9 { x = 1 }"))
        #expect(session.lastError.hasSuffix("interrupted"))
        session.interpreter.console.isInterrupted = { false }
        #expect(session.run("y = 2"))  // and the session goes on
    }

    @Test func printerDoesNotRecurseIntoRecords() {
        let session = SessionHarness()
        #expect(session.run("g = backward(batchnorm(2), randn(4, 2), randn(4, 2)); g"))
        #expect(session.output.last?.hasPrefix("record with fields") == true)
    }

    @Test func sandboxedConsoleKeepsFilesInItsFolder() {
        let session = SessionHarness()
        session.interpreter.console.sandboxFolder = "/nonexistent-sandbox"
        #expect(!session.run("save(ones(2), \"/tmp/escape.npy\")"))
        #expect(session.lastError.contains("only files inside the sandbox folder can be read or written here"))
        #expect(!session.run("load(\"../x.npy\")"))
        #expect(session.lastError.contains("only files inside the sandbox folder"))
    }

    @Test func epsZeroOnAConstantChannelIsExplained() {
        let session = SessionHarness()
        #expect(session.run("bn = batchnorm(2, eps: 0); y = bn(ones(4, 2))"))
        #expect(session.lastError.contains("warning: batchnorm(2) turned a finite input into 8 NaN values"))
        #expect(session.lastError.contains("with eps = 0 (x − μ)/√(σ² + eps) is 0/0; give the layer eps > 0"))
        #expect(session.run("y = batchnorm(2)(ones(4, 2))"))  // the default eps: zeros, no warning
        #expect(session.errors.count == 1)
    }
}
