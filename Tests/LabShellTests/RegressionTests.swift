import Foundation
@testable import LabShell
import BatchNormKit
import Testing

/// Inputs that once crashed or hung bnlab (found by an adversarial review); each must now be a
/// clear error. Run in-process: a trap here fails the whole test run.
@Suite struct RegressionTests {
    @Test(arguments: [
        "batchnorm(1)(zeros(0, 1, 1e14, 1e14))",           // overflow in spatialSize
        "groupnorm(1, 16)(zeros(0, 16, 1e14, 1e4))",       // overflow in the group size
        "layernorm(10000)(zeros(0, 1, 999999999999999, 10000))",
        "zeros(1e14, 0) + zeros(0)",                        // a loop of 10¹⁴ empty rows
        "x = zeros(1e14, 1, 0); bn = batchnorm(1); eval(bn); backward(bn, x, x)",
        "x = zeros(4096, 4096); y = [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]",  // allocated before the cap
        "x = 1e400",
        "randn(1e18)",
        "step(batchnorm(2), randn(4, 2), at: [1e30, 0])",  // Float → Int trap before the range check
        "step(batchnorm(2), randn(4, 2), at: [0, 0] / 0)",
        "hist([1e7])",                                      // constant above 2²³: ±0.5 rounds away
        "hist([-3e38, 3e38])",                              // span overflows float32
        "hist([0], range: [-2e38, 2e38], bins: 1)",
        "track(batchnorm(1), zeros(2, 1, 0), batch: 2)",    // NaN population mean in the plot
        "a = [[0], [1], [2]]; track(batchnorm(1), a / a, batch: 2, steps: 1)",
    ])
    func isAnErrorNotACrash(_ source: String) {
        let session = SessionHarness()
        #expect(!session.run(source))
        #expect(session.lastError.contains("error:"))
    }

    @Test func trackStaysCheapOnLargeDataSets() {
        // Drawing a mini-batch used to copy the index range of the whole data set every step.
        let session = SessionHarness()
        #expect(session.run("x = randn(200000, 1); track(batchnorm(1), x, batch: 2, steps: 2000)"))
    }

    /// An unfinished statement used to re-join all its lines on every new line: 40,000 lines took 53 s.
    @Test(.timeLimit(.minutes(1))) func longMultiLineStatementsAreLinear() {
        let session = SessionHarness()
        let source = "x = [\n" + String(repeating: "1,\n", count: 200_000) + "]\n"
        #expect(session.run(source))
        if case .tensor(let t)? = session.variable("x") { #expect(t.count == 200_000) } else { Issue.record("x") }
    }

    /// A UTF-8 byte-order mark (Windows editors write one) starts a script without an error.
    @Test func byteOrderMarkIsNotACharacter() {
        let session = SessionHarness()
        #expect(session.run("\u{FEFF}x = 41 + 1\nx"), "\(session.errors)")
        #expect(session.output.last == "42")
    }

    /// A lesson over the size limit is named with the limit in MiB (`>>` binds tighter than `*`
    /// in Swift: the message used to say "larger than 0 MiB").
    @Test func anOversizedLessonNamesTheLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-big-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lesson = folder.appendingPathComponent("01-big.bnl")
        let line = "> " + String(repeating: "a", count: 1022) + "\n"
        try ("> # Big\n" + String(repeating: line, count: 33 * 1024)).write(to: lesson, atomically: true, encoding: .utf8)
        let session = SessionHarness(configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path))
        session.run("lesson 1")
        #expect(session.lastError.contains("larger than 32 MiB"), "\(session.errors)")
    }

    /// A lesson that runs itself, or two that run each other, stop with a message (it used to
    /// recurse until the stack overflowed).
    @Test func lessonsCannotRunThemselves() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "> # Self\n> s\nlesson 1\n".write(to: folder.appendingPathComponent("01-self.bnl"), atomically: true, encoding: .utf8)
        try "> # A\n> a\nlesson 3\n".write(to: folder.appendingPathComponent("02-a.bnl"), atomically: true, encoding: .utf8)
        try "> # B\n> b\nlesson 2\n".write(to: folder.appendingPathComponent("03-b.bnl"), atomically: true, encoding: .utf8)
        for which in [1, 2] {
            let session = SessionHarness(configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path))
            session.run("lesson \(which)")
            #expect(session.errors.contains { $0.contains("lesson \(which) is already running") }, "\(session.errors)")
            #expect(session.run("1 + 1") && session.output.last == "2")
        }
    }

    /// `1.e5` and `2.E-3` are numbers, as in Python; `1.shape` still reads as a field.
    @Test func pointThenExponentIsANumber() {
        let session = SessionHarness()
        #expect(session.run("a = 1.e5\nb = 2.E-3\na\nb"), "\(session.errors)")
        #expect(session.output.suffix(2) == ["100000", "0.002"])
        session.run("1.shape")
        #expect(session.lastError.contains("no field"), "\(session.errors)")
    }

    /// Prose with no blank line is printed in bounded pieces instead of piling up (8 M lines of
    /// `> text` used to reach 3.85 GB before anything printed).
    @Test func endlessNarrationIsPrintedAsItGoes() {
        var paragraph = Narration.Paragraph()
        var printed = 0
        for _ in 0..<20_000 { printed += paragraph.add("some prose text that goes on").count }
        #expect(printed >= 5, "paragraphs printed before the end: \(printed)")
    }
}
