@testable import LabShell
import BatchNormKit
import Testing

/// Every experiment is reproducible: the same seed gives the same figures, run after run, and a
/// different seed gives different ones (so the test could fail).
@Suite struct ExperimentTests {
    @Test(arguments: ExperimentCatalogue.names)
    func sameSeedSameFigures(_ name: String) {
        let first = SessionHarness(), second = SessionHarness(), other = SessionHarness()
        #expect(first.run("experiment(\"\(name)\", epochs: 2)"), "\(first.text)")
        second.run("experiment(\"\(name)\", epochs: 2)")
        other.run("experiment(\"\(name)\", epochs: 2, seed: 1)")
        #expect(first.text == second.text)
        #expect(first.text != other.text)
        #expect(first.text.contains("experiment \(name):"))
    }
}
