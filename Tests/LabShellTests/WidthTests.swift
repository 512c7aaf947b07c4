import BatchNormKit
import Foundation
@testable import LabShell
import Testing

/// Every command's output, every `help` page, every experiment's report and every lesson fits
/// the console: no line is wider than 80 columns (the piped width) or 60 (a narrow window).
/// Tensor grids trim themselves; tables must stack or abbreviate; prose must wrap at words.
@Suite struct WidthTests {
    static let widths = [80, 60]

    /// Names every command example may use, so each example runs rather than stopping at an
    /// unknown name (a failing example still prints an error, and that must fit too).
    static let prelude = """
        seed(1)
        x = randn(64, 8) * 3 + 5
        bn = batchnorm(8)
        y = bn(x)
        data = blobs(120, classes: 3)
        net = mlp([2, 16, 16, 3], norm: "batch")
        """

    /// The lines of `text` wider than `width` columns, each with its width, for the failure message.
    /// A piped diagnostic (`FILE:LINE:COL: error: …`) stays one line on purpose, for editors and
    /// grep; on a terminal it wraps (`aTerminalErrorWrapsAtWords`).
    static func tooWide(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.count > width && !isDiagnostic($0) }
            .map { "(\($0.count)) " + String($0) }
    }

    static func isDiagnostic(_ line: Substring) -> Bool {
        line.contains(": error: ") || line.contains(": warning: ") || line.contains(": check failed: ")
    }

    /// Records one issue listing every line of `text` wider than `width`, with its width.
    static func expectFits(_ text: String, width: Int, _ what: String,
                           sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let wide = tooWide(text, width: width)
        if !wide.isEmpty {
            // A raw comment: interpolating a String into a Comment would print it character by character.
            let message = "\(what) at \(width) columns:\n" + wide.joined(separator: "\n")
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
        }
    }

    static func session(width: Int) -> SessionHarness {
        let session = SessionHarness(width: width)
        session.run(prelude)
        return session
    }

    static var commandNames: [String] {
        CommandTable.all.map(\.name).filter { !["exit", "quit", "bench", "lesson", "experiment"].contains($0) }
    }

    @Test(arguments: widths)
    func everyCommandsExampleFits(width: Int) {
        for spec in CommandTable.all where Self.commandNames.contains(spec.name) {
            let session = Self.session(width: width)
            session.run(spec.example)
            Self.expectFits(session.text, width: width, "\(spec.example)")
        }
    }

    @Test(arguments: widths)
    func everyHelpPageFits(width: Int) {
        let session = SessionHarness(width: width)
        session.run("help")
        session.run("help all")
        for name in CommandTable.all.map(\.name) { session.run("help \(name)") }
        Self.expectFits(session.text, width: width, "help")
    }

    /// The layers' printouts and every stage of `step`, which carry long formulas.
    @Test(arguments: widths)
    func layersAndStepsFit(width: Int) {
        let session = Self.session(width: width)
        session.run("""
            batchnorm(8)
            layernorm(8)
            groupnorm(2, 8)
            instancenorm(8)
            rmsnorm(8)
            step(bn, x)
            step(bn, x, at: [3, 2])
            eval(bn)
            step(bn, x)
            stats(x)
            compare(bn, x)
            conventions(x, momentum: 0.1)
            track(bn, x, batch: 16, steps: 20)
            r = fit(net, data, epochs: 2, lr: 0.1)
            eval(net)
            small = fold(net)
            net
            r
            """)
        Self.expectFits(session.text, width: width, "layers and steps")
    }

    /// Each experiment's report, at one seed and one epoch (the table's shape does not depend on
    /// how long it trained).
    @Test(arguments: widths)
    func everyExperimentsReportFits(width: Int) {
        for name in ExperimentCatalogue.names {
            let session = SessionHarness(width: width)
            session.run("r = experiment(\"\(name)\", seeds: 1, epochs: 1)")
            Self.expectFits(session.text, width: width, "experiment(\"\(name)\")")
        }
    }

    static var lessons: [String] { LessonTests.lessons }

    @Test(arguments: lessons)
    func everyLessonFitsEightyAndSixtyColumns(_ name: String) throws {
        let source = try String(contentsOf: LessonTests.lessonsFolder.appendingPathComponent(name), encoding: .utf8)
        for width in Self.widths {
            let session = SessionHarness(name: "lessons/\(name)", keepGoing: false, width: width)
            session.run(source)
            Self.expectFits(session.text, width: width, name)
        }
    }
}

/// The console's last-resort fitting, on its own: prose breaks at spaces under its column, a
/// line with nowhere to break stays whole, colour escapes take no width.
@Suite struct LineFitTests {
    @Test func proseBreaksAtSpacesUnderTheLastColumn() {
        let line = "  Keras    moving ← m·moving + (1 − m)·batch, biased batch variance (÷ n); m = 1 − PyTorch's m"
        let fitted = LineFit.fit(line, width: 60).split(separator: "\n").map(String.init)
        #expect(fitted == ["  Keras    moving ← m·moving + (1 − m)·batch, biased batch",
                           "           variance (÷ n); m = 1 − PyTorch's m"])
    }

    @Test func aHeaderHangsTwoPastItsIndent() {
        let fitted = LineFit.fit("batchnorm(3): eps 1e-05, momentum 0.1 (PyTorch: weight of the new batch), affine, training mode", width: 50)
        #expect(fitted == "batchnorm(3): eps 1e-05, momentum 0.1 (PyTorch:\n  weight of the new batch), affine, training mode")
    }

    @Test func aLineWithNoSpaceStaysWhole() {
        let path = String(repeating: "a/", count: 50)
        #expect(LineFit.fit(path, width: 40) == path)
    }

    @Test func colourEscapesTakeNoColumns() {
        let red = "\u{1B}[1;31merror\u{1B}[0m: " + String(repeating: "x", count: 30)
        #expect(LineFit.fit(red, width: 40) == red, "37 visible columns fit 40")
    }

    @Test func aTerminalErrorWrapsAtWords() {
        let session = SessionHarness(terminal: true, width: 40)
        session.run("bn = batchnorm(4)\neval(bn)\ntrack(bn, randn(32, 4), batch: 8, steps: 3)")
        let lines = session.errors.joined(separator: "\n").split(separator: "\n")
        #expect(lines.count >= 2, "wrapped: \(lines)")
        #expect(lines.allSatisfy { LineFit.visibleWidth($0) <= 40 || $0.hasPrefix("  track") }, "\(lines)")
    }
}
