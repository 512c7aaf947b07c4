@testable import LabShell
import BatchNormKit
import Foundation
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

    @Test func sandboxedConsoleKeepsFilesInItsFolder() throws {
        let folder = try Scratch()
        let session = SessionHarness()
        session.interpreter.console.sandboxFolder = folder.path
        #expect(!session.run("save(ones(2), \"/tmp/escape.npy\")"))
        #expect(session.lastError.contains("/tmp/escape.npy is outside the folder bnlab was started in"), "\(session.lastError)")
        #expect(!session.run("load(\"../x.npy\")"))
        #expect(session.lastError.contains("../x.npy is outside the folder bnlab was started in"))
        #expect(session.lastError.contains("--files-anywhere"))
        #expect(session.run("save(ones(2), \"in.npy\"); y = load(\"in.npy\")"))
        #expect(session.tensor("y") == [1, 1])
        // A symbolic link that leaves the folder is refused too, for load and for save (which would write through it).
        try #require(symlink("/etc", folder.path + "/etc") == 0)
        #expect(!session.run("save(ones(2), \"etc/x.npy\")"))
        #expect(session.lastError.contains("etc/x.npy is outside the folder"))
    }

    /// ESC sequences in a lesson's prose, a string or a quoted line never reach the terminal raw.
    @Test func controlCharactersArePrintedEscaped() {
        let session = SessionHarness()
        #expect(session.run("> title\u{1B}]0;pwned\u{07} and \u{1B}[2J\ns = \"a\u{1B}[2Jb\"\ns"))
        let shown = session.output.joined(separator: "\n")
        #expect(shown.contains("title\\e]0;pwned\\x07 and \\e[2J") && shown.contains("a\\e[2Jb"), "\(shown)")
        #expect(!shown.contains("\u{1B}") && !shown.contains("\u{07}"))
        #expect(!session.run("y = s + \"\u{1B}[2J\" + 1"))
        #expect(!session.lastError.contains("\u{1B}"), "\(session.lastError)")
    }

    /// An 8 MiB `zeros(1,1,…)` once took 2.6 GB to parse; the token count now bounds it.
    @Test func statementTokenCount() {
        let session = SessionHarness()
        #expect(!session.run("x = zeros(" + String(repeating: "1,", count: 600_000) + "1)"))
        #expect(session.lastError.contains("a statement of more than 1048576 tokens (numbers, names, symbols) is refused"),
                "\(session.lastError.prefix(200))")
        #expect(session.run("x = [" + String(repeating: "1,", count: 100_000) + "1]"))
        #expect(session.tensor("x").count == 100_001)
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
