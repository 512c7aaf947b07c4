@testable import LabShell
import Foundation
import Testing

/// `lesson N` at the prompt names the learner's variables it will replace, once, before it
/// starts, and keeps their values as NAME_before; what an earlier lesson made it replaces quietly.
@Suite struct LessonVariablesTests {
    static let lesson = "> # Names\n> assigns x and y\nx = 1\nrepeat 2 { y = x + 1 }\n> z is only read\nz2 = 5\n"

    private func session() throws -> (SessionHarness, URL) {
        let folder = try LessonEchoTests.lessonsFolder(["01-names.bnl": Self.lesson])
        return (SessionHarness(configuration: SessionConfiguration(dataFolder: "data", lessonsFolder: folder.path)), folder)
    }

    @Test func theLearnersValuesAreNamedOnceAndKept() throws {
        let (s, folder) = try session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(s.run("x = 123\ny = [4, 5]\nz = 9\nlesson 1"), "\(s.errors)")
        #expect(s.lines.first == "lesson 1 will replace your x, y (kept as x_before, y_before)")
        #expect(s.lines.filter { $0.contains("will replace") }.count == 1)
        #expect(s.number("x_before") == 123 && s.number("x") == 1 && s.tensor("y_before") == [4, 5] && s.number("z") == 9)
        #expect(s.variable("z_before") == nil)
    }

    @Test func whatALessonMadeIsReplacedQuietlyWhatTheLearnerChangedIsKept() throws {
        let (s, folder) = try session()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(s.run("lesson 1\nlesson 1"), "\(s.errors)")
        #expect(!s.text.contains("will replace"), "\(s.text)")
        // After the learner assigns x again it is theirs; x_before is taken, so the copy is x_before2.
        #expect(s.run("x = 7\nx_before = 0\nlesson 1"), "\(s.errors)")
        #expect(s.text.contains("lesson 1 will replace your x (kept as x_before2)"), "\(s.text)")
        #expect(s.number("x_before2") == 7 && s.number("x_before") == 0)
    }

    @Test func theNamesComeFromTheLessonsCodeNotItsProse() {
        let s = SessionHarness()
        #expect(LessonVariables.assigned(in: Self.lesson + "> w = 1 is prose\n", interpreter: s.interpreter) == ["x", "y", "z2"])
    }
}
