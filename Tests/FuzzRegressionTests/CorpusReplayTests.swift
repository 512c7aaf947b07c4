import Foundation
import FuzzHarness
import Testing

/// Replays the committed fuzz inputs (`Fuzz/regressions`: every crash libFuzzer found, and
/// `Fuzz/corpus`: the seeds) through the same harness the fuzz targets run. A trap or a
/// failed round trip here stops the whole test run, so passing means none of them crashes.
@Suite struct CorpusReplayTests {
    static let fuzzFolder: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // CorpusReplayTests.swift, FuzzRegressionTests, Tests
        return parts.joined(separator: "/") + "/Fuzz"
    }()

    static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        ["regressions", "corpus"].flatMap { kind in
            let folder = "\(fuzzFolder)/\(kind)/\(target)"
            return files(in: folder).map { ("\(kind)/\(target)/\($0)", read("\(folder)/\($0)")) }
        }
    }

    @Test(arguments: ["language", "lesson"])
    func languageInputsRunWithoutCrashing(_ target: String) {
        let sandbox = FuzzHarness.makeSandbox()
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty)
        for input in inputs {
            if target == "language" {
                FuzzHarness.runLanguage(input.bytes, sandbox: sandbox)
            } else {
                FuzzHarness.runLesson(input.bytes, sandbox: sandbox)
            }
        }
    }

    @Test(arguments: ["npy", "csv"])
    func fileInputsDecodeOrAreRefused(_ target: String) {
        let inputs = Self.inputs(target)
        #expect(!inputs.isEmpty)
        for input in inputs {
            if target == "npy" { FuzzHarness.runNpy(input.bytes) } else { FuzzHarness.runCSV(input.bytes) }
        }
    }

    // MARK: - Files

    static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map(Array.init) ?? []
    }
}
