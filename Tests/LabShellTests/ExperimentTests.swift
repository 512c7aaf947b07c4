@testable import LabShell
import BatchNormKit
import Testing

/// `experiment(...)` at the prompt: reproducible, its record says what the rule says, what it
/// prints agrees with the record, it fits 80 columns, and bad options are refused with the range.
@Suite struct ExperimentTests {
    static let quick = "seeds: 2, epochs: 2"

    @Test(arguments: ExperimentCatalogue.names)
    func sameSeedSameFiguresAndThePrintedVerdictIsTheRecords(_ name: String) {
        let first = SessionHarness(), second = SessionHarness(), other = SessionHarness()
        #expect(first.run("r = experiment(\"\(name)\", \(Self.quick))\nr.verdict"), "\(first.text)")
        second.run("r = experiment(\"\(name)\", \(Self.quick))\nr.verdict")
        other.run("r = experiment(\"\(name)\", \(Self.quick), seed: 1)\nr.verdict")
        #expect(first.text == second.text)
        #expect(first.text != other.text)
        #expect(first.text.contains("experiment \(name):"))
        // The last line is r.verdict; the printed verdict line must say the same.
        let verdict = first.output.last ?? ""
        #expect(Verdict.allCases.map { "\"\($0.rawValue)\"" }.contains(verdict))
        #expect(first.text.contains("verdict: " + verdict.replacingOccurrences(of: "\"", with: "").uppercased() + " —"))
        let wide = first.text.split(separator: "\n").filter { $0.count > 80 }
        #expect(wide.isEmpty, "lines over 80 columns: \(wide)")
    }

    @Test func theRecordCarriesTheProtocol() {
        let s = SessionHarness()
        #expect(s.run("""
            r = experiment("bn", \(Self.quick))
            r.arms[0].name
            r.arms[1].name
            r.seeds
            r.higher_is_better
            r.margin
            len = r.arms[1].values
            r.arms[1].lr
            r.settings
            """), "\(s.text)")
        #expect(s.output.suffix(7).starts(with: ["\"no norm\"", "\"BatchNorm\"", "2", "false", "0.02"]))
        #expect(s.text.contains("list of 0"))
    }

    @Test func aSweepHasOneComparisonPerSetting() {
        let s = SessionHarness()
        #expect(s.run("r = experiment(\"batch\", \(Self.quick))\nr.settings[0].setting\nr.settings[-1].setting\nr.settings[0].arms[1].name"), "\(s.text)")
        #expect(s.output.suffix(3) == ["2", "128", "\"LayerNorm\""])
    }

    @Test(arguments: [
        ("experiment(\"dept\")", "did you mean 'depth'"),
        ("experiment(\"bn\", seeds: 0)", "seeds must be from 1 to 50, got 0"),
        ("experiment(\"bn\", seeds: 1000000)", "seeds must be from 1 to 50, got 1000000"),
        ("experiment(\"bn\", epochs: -1)", "epochs must be from 1 to 200, got -1"),
        ("experiment(\"bn\", epochs: 0)", "epochs must be from 1 to 200, got 0"),
        ("experiment(\"bn\", data: \"digts\")", "did you mean \"digits\""),
        ("r = experiment(\"bn\", seeds: 2, epochs: 1)\nr.arms[2]", "out of range for a list of 2"),
    ])
    func badInputIsAClearError(_ source: String, _ message: String) {
        let s = SessionHarness()
        s.run(source)
        #expect(s.errors.contains { $0.contains(message) }, "\(s.errors)")
        #expect(s.errors.allSatisfy { $0.contains(":") }, "errors carry a position: \(s.errors)")
    }

    @Test func listingNamesEveryExperiment() {
        let s = SessionHarness()
        s.run("experiment")
        for name in ExperimentCatalogue.names { #expect(s.text.contains("  \(name) ")) }
    }
}
