import Foundation
import Testing

/// Golden files for what a person reads: `expectMatches` compares a whole output with its golden
/// file and, on a mismatch, records every differing line (a line diff, expected `-` and actual `+`),
/// not only the first. With RECORD_TRANSCRIPTS set it writes the new baseline and *fails*, as
/// swift-argument-parser's snapshots do, so a recording run can never pass for a checking one.
enum Snapshot {
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_TRANSCRIPTS"] != nil }

    static func expectMatches(_ actual: String, golden: URL, _ name: String, rerun: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        if recording {
            let old = try? String(contentsOf: golden, encoding: .utf8)
            try actual.write(to: golden, atomically: true, encoding: .utf8)
            Issue.record(old == actual
                ? "\(name): recorded the baseline again, unchanged; run without RECORD_TRANSCRIPTS to check"
                : "\(name): recorded a new baseline (\(golden.lastPathComponent)); read `git diff`, then run without RECORD_TRANSCRIPTS",
                sourceLocation: sourceLocation)
            return
        }
        let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? ""
        guard !expected.isEmpty else {
            Issue.record("no golden file for \(name): \(rerun)", sourceLocation: sourceLocation)
            return
        }
        guard actual != expected else { return }
        let changes = diff(expected: expected, actual: actual)
        Issue.record(Comment(rawValue: "\(name) differs from \(golden.lastPathComponent):\n\(changes)\n(after an intended change: \(rerun))"),
                     sourceLocation: sourceLocation)
    }

    /// Every removed (`-`) and inserted (`+`) line with its line number, in order.
    static func diff(expected: String, actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines: [(Int, String)] = []
        for change in new.difference(from: old) {
            switch change {
            case .remove(let offset, let element, _): lines.append((2 * offset, "-\(offset + 1): \(element)"))
            case .insert(let offset, let element, _): lines.append((2 * offset + 1, "+\(offset + 1): \(element)"))
            }
        }
        return lines.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "\n")
    }
}

@Suite struct SnapshotDiffTests {
    @Test func everyChangedLineIsListed() {
        let diff = Snapshot.diff(expected: "a\nb\nc\nd", actual: "a\nB\nc\nD\ne")
        #expect(diff.contains("-2: b") && diff.contains("+2: B") && diff.contains("-4: d") && diff.contains("+4: D")
                && diff.contains("+5: e"), "\(diff)")
        #expect(!diff.contains(": a") && !diff.contains(": c"))
    }
}
