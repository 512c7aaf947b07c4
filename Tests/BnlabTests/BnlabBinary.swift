import Foundation

/// Where the built `bnlab` executable is, for tests that run the real binary.
///
/// `BNLAB_BINARY` wins, so CI or a developer can point the tests at any build.
/// Otherwise we look next to the test runner: SwiftPM puts the test bundle
/// (`bnlabPackageTests.xctest`) and the `bnlab` executable in the same
/// `.build/<triple>/<config>/` folder, and the test target depends on `bnlab`,
/// so it is built before the tests run.
enum BnlabBinary {
    /// Raised when no executable could be found; the message says where we looked.
    struct NotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "bnlab executable not found. Build it (`swift build`) or set BNLAB_BINARY. Looked in:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// The executable's location. Throws `NotFound` (listing the searched paths) instead of
    /// trapping, so a missing build fails one test with a readable message.
    static var url: URL {
        get throws {
            let fileManager = FileManager.default
            if let override = ProcessInfo.processInfo.environment["BNLAB_BINARY"], !override.isEmpty {
                guard fileManager.isExecutableFile(atPath: override) else {
                    throw NotFound(searched: ["BNLAB_BINARY=\(override) (not an executable file)"])
                }
                return URL(fileURLWithPath: override)
            }
            let candidates = candidateDirectories().map { $0.appendingPathComponent("bnlab").path }
            for path in candidates where fileManager.isExecutableFile(atPath: path) {
                return URL(fileURLWithPath: path)
            }
            throw NotFound(searched: candidates)
        }
    }

    static var path: String {
        get throws { try url.path }
    }

    /// Folders that may hold the executable, most reliable first, without duplicates.
    private static func candidateDirectories() -> [URL] {
        var directories: [URL] = []
        // /proc/self/exe is the test runner itself, whichever way `swift test` launched it
        // (the .xctest file on Linux, or a separate runner for Swift Testing).
        if let runner = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: runner).deletingLastPathComponent())
        }
        // On macOS the .xctest is a bundle directory whose parent holds the executable.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        if let main = Bundle.main.executableURL {
            directories.append(main.deletingLastPathComponent())
        }
        var seen = Set<String>()
        return directories.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }
}
