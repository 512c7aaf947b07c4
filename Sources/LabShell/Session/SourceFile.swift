#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A script or lesson file read whole before it runs, with a one-line reason when it cannot be:
/// missing, a folder, unreadable, or too large. Its canonical path is what the interpreter's
/// `runningFiles` compares, so `run "a.bnl"` and `run "./a.bnl"` are seen as the same file.
struct SourceFile {
    /// Larger than this is refused before reading: four statements of the largest size.
    static let maxBytes = LanguageLimits.maxStatementBytes * 4

    let canonicalPath: String
    let bytes: [UInt8]

    /// Why a file could not be read, as the end of "cannot run PATH: …".
    struct Failure: Error {
        let reason: String
    }

    init(path: String) throws(Failure) {
        // O_NONBLOCK: a FIFO with no writer must not block the open itself.
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else { throw Failure(reason: Self.reason(errno)) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Failure(reason: Self.reason(errno)) }
        // Opening a folder succeeds; reading it is what fails, so ask first and say it plainly.
        guard status.st_mode & S_IFMT != S_IFDIR else { throw Failure(reason: "it is a folder, not a file") }
        // A pipe or device has no size to check, and a silent writer would block the read past Ctrl-C.
        guard status.st_mode & S_IFMT == S_IFREG else { throw Failure(reason: "it is not a regular file (a pipe or a device)") }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        guard status.st_size <= Self.maxBytes else {
            throw Failure(reason: "larger than \(Self.maxBytes >> 20) MiB")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw Failure(reason: Self.reason(errno)) }
            if count == 0 { break }
            bytes += buffer[0..<count]
            guard bytes.count <= Self.maxBytes else { throw Failure(reason: "larger than \(Self.maxBytes >> 20) MiB") }
        }
        self.bytes = bytes
        canonicalPath = Self.canonical(path)
    }

    /// The absolute path with links and `.`/`..` resolved; `path` itself if that fails.
    static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "it is a folder, not a file"
        default: String(cString: strerror(code))
        }
    }
}
