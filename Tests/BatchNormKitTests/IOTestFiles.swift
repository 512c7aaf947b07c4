@testable import BatchNormKit
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif


/// Fixture and scratch locations for the file-format tests (shared with CSVFileTests).
///
/// Fixtures live in `Fixtures/files` (regenerate with `make_fixtures.py`); written files go to a
/// fresh folder under the repository's git-ignored `tmp/`, so the tests never read outside the repo.
enum IOTestFiles {
    static let folder: String = {
        let file = "\(#filePath)"
        return "\(file[..<(file.lastIndex(of: "/") ?? file.endIndex)])/Fixtures/files"
    }()

    static func path(_ name: String) -> String { "\(folder)/\(name)" }

    static func bytes(_ name: String) throws -> [UInt8] {
        try AtomicFile.readAll(path: path(name), limit: 1 << 20)
    }

    private static let serial = Mutex(0)

    /// A new empty folder `<repo>/tmp/io-tests-PID-N`; pass it to `removeScratch` when done.
    static func makeScratch() throws -> String {
        let root = "\(folder)/../../../../tmp"
        mkdir(root, 0o755)
        let n = serial.withLock { value in
            value += 1
            return value
        }
        let scratch = "\(root)/io-tests-\(getpid())-\(n)"
        guard mkdir(scratch, 0o755) == 0 else {
            throw DataFileError.cannotWrite(path: scratch, reason: AtomicFile.describe(errno: errno))
        }
        return scratch
    }

    /// Names in a folder, without "." and "..".
    static func listing(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func removeScratch(_ folder: String) {
        for name in listing(folder) {
            let path = "\(folder)/\(name)"
            if unlink(path) != 0 { rmdir(path) }
        }
        rmdir(folder)
    }
}
