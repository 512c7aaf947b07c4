@testable import LabShell
import Testing

/// `a, b = f(x)`: a function's `return a, b` comes back as a list; unpacking gives each name one
/// item, or one row of a tensor, as Python does, and any other count is an error naming both.
@Suite struct UnpackingTests {
    @Test func aFunctionsTwoValuesGoToTwoNames() {
        let s = SessionHarness()
        #expect(s.run("def f(x) { return x, 2 * x }\nm, v = f(3)"), "\(s.errors)")
        #expect(s.number("m") == 3 && s.number("v") == 6)
    }

    @Test func aTensorUnpacksByRows() {
        let s = SessionHarness()
        #expect(s.run("p, q = [[1, 2], [3, 4]]\na, b, c = [5, 6, 7]"), "\(s.errors)")
        #expect(s.tensor("p") == [1, 2] && s.tensor("q") == [3, 4])
        #expect(s.number("a") == 5 && s.number("c") == 7)
    }

    @Test(arguments: [
        ("m, v = [1, 2, 3]", "1:1: error: cannot unpack a tensor of shape (3) into 2 names: its first axis must have 2 rows"),
        ("def f() { return 1, 2, 3 }\na, b = f()", "2:1: error: cannot unpack 3 values into 2 names (a, b)"),
        ("a, b = 5", "1:1: error: cannot unpack a number into 2 names"),
        ("a, = 3", "1:4: error: expected a name after ','"),
        ("a, b c", "1:6: error: expected '=' after the names, as in a, b = f(x), found 'c'"),
        ("x, help = [1, 2]", "1:4: error: 'help' is a command; pick another name for the variable"),
    ])
    func aWrongCountOrShapeIsAnErrorWithItsPlace(_ source: String, _ message: String) {
        let s = SessionHarness()
        #expect(!s.run(source))
        #expect(s.lastError.contains(message), "\(s.lastError)")
        #expect(s.variable("a") == nil && s.variable("m") == nil, "nothing is assigned when unpacking fails")
    }

    @Test func aLessonReplacesUnpackedNamesLikeAssignedOnes() {
        let s = SessionHarness()
        #expect(LessonVariables.assigned(in: "m, v = [1, 2]\nw = 3\n", interpreter: s.interpreter) == ["m", "v", "w"])
    }
}
