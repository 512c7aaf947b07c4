import BatchNormKit
import BenchmarkKit
import Foundation
import Testing

/// `bnlab bench --json` goes through `JSONValue`: every string a result may carry comes back
/// unchanged from a strict JSON parser (Foundation's, standing in for bench/compare.py's).
@Suite struct BenchmarkJSONTests {
    /// Quotes, backslashes, every C0 control character, DEL, non-ASCII, an astral-plane emoji,
    /// "\r\n" (one Swift Character, two JSON escapes) and a lone combining mark.
    static let awkward: [String] = [
        "", "plain", "bnlab -c '1'", "say \"hi\"", "back\\slash", "\\\"", "tab\tnew\nline\r\n",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }), "del\u{7F}",
        "γ·x̂ ≤ 1.5× floor", "🙂 astral", "\u{301}combining", "</script>/slash", "\u{2028}\u{2029}",
    ]

    @Test func awkwardStringsRoundTripThroughAStrictParser() throws {
        for text in Self.awkward {
            let encoded = JSONValue.array([.string(text)]).text
            let decoded = try #require(JSONSerialization.jsonObject(with: Data(encoded.utf8)) as? [String])
            #expect(decoded == [text], "\(encoded.debugDescription)")
            // Nothing below U+0020 may appear raw inside the literal.
            #expect(!encoded.unicodeScalars.contains { $0.value < 0x20 }, "\(encoded.debugDescription)")
        }
    }

    @Test func reportNamesAndNotesRoundTrip() throws {
        var report = BenchmarkReport(threads: 2, runs: 3)
        report.results.append(.init(name: "copy", shape: [4, 2], medianMilliseconds: 2, minimumMilliseconds: 1, bytes: 64))
        for (i, text) in Self.awkward.enumerated() {
            report.results.append(.init(name: "op\(i) " + text, shape: [], medianMilliseconds: .nan,
                                        minimumMilliseconds: 1e-5, bytes: 0, note: text))
        }
        let json = try #require(JSONSerialization.jsonObject(with: Data(report.json(version: "9\"9").utf8)) as? [String: Any])
        #expect(json["version"] as? String == "9\"9" && json["threads"] as? Int == 2 && json["runs"] as? Int == 3)
        let results = try #require(json["results"] as? [[String: Any]])
        #expect(results.count == Self.awkward.count + 1)
        #expect(results[0]["floor_ratio"] as? Double == 1 && results[0]["shape"] as? [Int] == [4, 2])
        for (i, text) in Self.awkward.enumerated() {
            let row = results[i + 1]
            #expect(row["name"] as? String == "op\(i) " + text)
            #expect(row["note"] as? String == (text.isEmpty ? nil : text))
            #expect(row["median_ms"] is NSNull, "NaN is written as null")
            #expect(row["min_ms"] as? Double == 1e-5)
        }
    }

    @Test func layoutIsTheOneCompareReads() {
        var report = BenchmarkReport(threads: 1, runs: 1)
        report.results.append(.init(name: "copy", shape: [2], medianMilliseconds: 0.5, minimumMilliseconds: 0.25, bytes: 8))
        report.results.append(.init(name: "startup_c", shape: [], medianMilliseconds: 4.75, minimumMilliseconds: 4.5,
                                    bytes: 0, note: "bnlab -c '1'"))
        #expect(report.json(version: "0.1.0") == """
            {"tool":"bnlab","version":"0.1.0","threads":1,"runs":1,"vector_extensions":"\(VectorExtensions.current)",
             "results":[
              {"name":"copy","shape":[2],"median_ms":0.5,"min_ms":0.25,"bytes":8,"gbps":1.6e-05,"floor_ratio":1.0},
              {"name":"startup_c","shape":[],"median_ms":4.75,"min_ms":4.5,"bytes":0,"note":"bnlab -c '1'"}
             ]}
            """)
    }
}
