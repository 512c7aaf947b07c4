import Foundation
@testable import LabShell
import Testing

/// Every lesson in lessons/ runs non-interactively to the end with every check passing, and its
/// whole output equals the golden `LessonTranscripts/NAME.out`. After changing a lesson on
/// purpose: `RECORD_TRANSCRIPTS=1 swift test --filter LessonTests`, then read the diff.
@Suite struct LessonTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lessonsFolder = root.appendingPathComponent("lessons")
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("LessonTranscripts")

    static var lessons: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lessonsFolder.path)) ?? [])
            .filter { $0.hasSuffix(".bnl") && $0.first?.isNumber == true }.sorted()
    }

    @Test func thereIsACourse() {
        #expect(Self.lessons.count >= 12, "the course has at least 12 lessons: \(Self.lessons)")
    }

    @Test(arguments: lessons)
    func lessonRunsAndMatchesItsTranscript(_ name: String) throws {
        let source = try String(contentsOf: Self.lessonsFolder.appendingPathComponent(name), encoding: .utf8)
        let session = SessionHarness(name: "lessons/\(name)", keepGoing: false)
        #expect(session.run(source), "\(name) stopped: \(session.errors.joined(separator: "\n"))")
        #expect(!session.text.contains("check failed"))
        let actual = session.text + "\n"
        let golden = Self.goldenFolder.appendingPathComponent(name.replacingOccurrences(of: ".bnl", with: ".out"))
        try Snapshot.expectMatches(actual, golden: golden, name, rerun: "RECORD_TRANSCRIPTS=1 swift test --filter LessonTests")
    }

    @Test func aFailingCheckStopsTheLessonWithFileAndLine() {
        let session = SessionHarness(name: "lessons/99-broken.bnl", keepGoing: false)
        #expect(!session.run("> # Broken\n> a lesson whose claim is false\nx = 1\ncheck(x > 2, \"x is more than 2\")\nafter = 1"))
        #expect(session.lastError == "lessons/99-broken.bnl:4: check failed: x is more than 2")
        #expect(session.variable("after") == nil, "the lesson stopped at the failed check")
    }

    @Test func exercisesHintThenRevealOnATerminal() {
        var answers = ["7", "not a number (", "41 + 1"]
        let console = SessionHarness(waitForContinue: { _ in true })
        console.interpreter.console.ask = { _ in answers.isEmpty ? nil : answers.removeFirst() }
        #expect(console.run("exercise(\"six times seven\", answer: 42, hint: \"multiply\", solution: \"6 * 7\")"))
        let text = console.text
        #expect(text.contains("7 is not it. hint: multiply"))
        #expect(text.contains("that is not a number"))
        #expect(text.contains("right: 42"))
    }
}
