import Foundation
import Testing

/// `bnlab bench` runs end to end (tiny shapes: the figures are not checked, only their shape and
/// arithmetic), and refuses bad flags with a message.
@Suite struct BenchCommandTests {
    @Test func quickJSONHasEveryOperationAndConsistentRatios() throws {
        let run = try CommandLineTests.bnlab(["bench", "--quick", "--json", "--threads", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["copy", "copy_fresh", "bn_train", "bn_eval", "bn_backward", "layernorm", "hist50",
                     "startup_c", "first_prompt", "bn_train_peak_memory", "course_piped"] {
            #expect(run.stdout.contains("{\"name\":\"\(name)\""), "missing \(name)")
        }
        #expect(run.stdout.hasPrefix("{\"tool\":\"bnlab\",\"version\":\"0.1.0\",\"threads\":1,\"runs\":1,"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        let copy = try #require(results.first { $0["name"] as? String == "copy" })
        #expect(abs(try #require(copy["floor_ratio"] as? Double) - 1) < 1e-9)
        // A ratio is the time over what the floor needs for the same bytes.
        let floor = try #require(copy["bytes"] as? Double) / #require(copy["median_ms"] as? Double)
        for result in results {
            guard let ratio = result["floor_ratio"] as? Double, let bytes = result["bytes"] as? Double,
                  let median = result["median_ms"] as? Double else { continue }
            #expect(abs(ratio - median / (bytes / floor)) <= 0.01 * ratio + 1e-3, "\(result)")
        }
    }

    @Test func badFlagsAreRefused() throws {
        let runs = try CommandLineTests.bnlab(["bench", "--runs", "0"])
        #expect(runs.status != 0 && runs.stderr.contains("--runs must be from 1 to 1000"))
        let threads = try CommandLineTests.bnlab(["bench", "--threads", "0"])
        #expect(threads.status != 0 && threads.stderr.contains("--threads must be from 1 to 256"))
    }

    @Test func sizesThatCannotFitAreRefusedBeforeAnyWork() throws {
        let capped = try CommandLineTests.bnlab(["bench", "--shape", "100000,1000,1000,1000"])
        #expect(capped.status == 1 && capped.stderr.contains("larger than the limit of 268435456 elements"))
        #expect(!capped.stdout.contains("copy"), "nothing may run before the refusal")
        let huge = try CommandLineTests.bnlab(["bench", "--shape", "100000,1000,100,10"],
                                               environment: ["BNLAB_MAX_ELEMENTS": "1000000000000"])
        #expect(huge.status == 1 && huge.stderr.contains("the benchmark needs about 1525878 MiB"))
        let empty = try CommandLineTests.bnlab(["bench", "--shape", "0,3"])
        #expect(empty.status == 1 && empty.stderr.contains("2 to 4 positive sizes"))
        let words = try CommandLineTests.bnlab(["bench", "--shape", "abc"])
        #expect(words.status != 0 && words.stderr.contains("--shape wants sizes separated by commas"))
    }
}
