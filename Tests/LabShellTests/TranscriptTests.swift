import Foundation
@testable import LabShell
import Testing

/// Golden transcripts: every `Transcripts/NAME.bnl` runs as a piped session would (with
/// --keep-going), and everything it prints must equal `NAME.out` line for line. A first line
/// `# width: N` runs it on an N-column console (80 otherwise).
/// Re-record after an intended change with `RECORD_TRANSCRIPTS=1 swift test --filter TranscriptTests`
/// (the recording run fails on purpose; run again to check).
@Suite struct TranscriptTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var scripts: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".bnl") }.sorted()
    }

    @Test(arguments: scripts)
    func transcriptMatches(_ script: String) throws {
        let source = try String(contentsOf: Self.folder.appendingPathComponent(script), encoding: .utf8)
        var width = 80
        if source.hasPrefix("# width: "), let n = Int(source.dropFirst(9).prefix { $0.isNumber }) { width = n }
        let session = SessionHarness(name: script, keepGoing: true, width: width)
        session.run(source)
        let actual = session.text + "\n"
        let goldenURL = Self.folder.appendingPathComponent(script.replacingOccurrences(of: ".bnl", with: ".out"))
        try Snapshot.expectMatches(actual, golden: goldenURL, script,
                                   rerun: "RECORD_TRANSCRIPTS=1 swift test --filter TranscriptTests")
    }
}
