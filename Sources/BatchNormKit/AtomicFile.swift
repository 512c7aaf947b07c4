#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Whole-file reads and all-or-nothing writes for the data-file formats, on plain POSIX calls
/// (no Foundation, so the library stays quick to load).
///
/// A save goes to a temporary file next to the target, is flushed to disk, then renamed over the
/// target, so an interrupted or failed save never leaves a half-written `.npy` behind and never
/// damages the file that was there before.
enum AtomicFile {
    /// Makes temporary names unique within the process; the PID makes them unique across processes.
    private static let counter = Atomic<Int>(0)

    /// Reads every byte of `path`, refusing files larger than `limit` bytes before reading them.
    static func readAll(path: String, limit: Int) throws(DataFileError) -> [UInt8] {
        try checkPath(path, writing: false)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw .notFound(path: path)
            case EISDIR: throw .isDirectory(path: path)
            default: throw .cannotOpen(path: path, reason: describe(errno: code))
            }
        }
        defer { close(fd) }

        var info = stat()
        var capacity = 1 << 16
        if fstat(fd, &info) == 0 {
            // Opening a folder read-only succeeds on Linux; only the first read would fail.
            if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
            if (info.st_mode & S_IFMT) == S_IFREG {
                let size = Int(info.st_size)
                guard size <= limit else { throw .tooLarge(path: path, bytes: size, limit: limit) }
                // One spare byte lets the read that reports end-of-file land without a resize.
                capacity = size + 1
            }
        }

        // The stat size is only a hint: pipes report 0 and a file can grow while we read it,
        // so the limit is enforced on what is actually read.
        var buffer = [UInt8](repeating: 0, count: capacity)
        var filled = 0
        while true {
            if filled == buffer.count {
                let growth = min(max(buffer.count, 1 << 16), limit + 1 - filled)
                buffer.append(contentsOf: repeatElement(0, count: growth))
            }
            let got = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(fd, base + filled, raw.count - filled)
            }
            if got == 0 { break }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EISDIR { throw .isDirectory(path: path) }
                throw .cannotRead(path: path, reason: describe(errno: code))
            }
            filled += got
            guard filled <= limit else { throw .tooLarge(path: path, bytes: filled, limit: limit) }
        }
        buffer.removeLast(buffer.count - filled)
        return buffer
    }

    /// Replaces `path` with `bytes`, or throws and leaves `path` exactly as it was.
    static func write(_ bytes: [UInt8], to path: String) throws(DataFileError) {
        try checkPath(path, writing: true)
        let (folder, name) = split(path)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .cannotWrite(path: path, reason: "the path names a folder, not a file")
        }
        let serial = counter.add(1, ordering: .relaxed).newValue
        let temporary = folder + "." + name + ".tmp-\(getpid())-\(serial)"

        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: errno, folder: folder))
        }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }

        // Saving over a file keeps its permissions, as writing it in place would.
        var existing = stat()
        if stat(path, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG {
            fchmod(fd, existing.st_mode & 0o7777)
        }

        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return posixWrite(fd, base + written, raw.count - written)
            }
            if result < 0 {
                let code = errno
                if code == EINTR { continue }
                close(fd)
                throw .cannotWrite(path: path, reason: describeWriteFailure(errno: code, folder: folder))
            }
            written += result
        }
        // Without fsync the rename can reach the disk before the data, and a crash would leave
        // an empty file under the target's name.
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: code, folder: folder))
        }
        if close(fd) != 0 {
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: errno, folder: folder))
        }
        if rename(temporary, path) != 0 {
            let code = errno
            let reason = code == EISDIR || code == ENOTEMPTY || code == EEXIST
                ? "a folder with that name is in the way"
                : describeWriteFailure(errno: code, folder: folder)
            throw .cannotWrite(path: path, reason: reason)
        }
        renamed = true
        // Makes the rename itself durable; a failure here loses nothing already written.
        let folderFD = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            close(folderFD)
        }
    }

    /// Rejects paths the C calls would misread: an embedded NUL would silently cut the path short.
    private static func checkPath(_ path: String, writing: Bool) throws(DataFileError) {
        let problem: String?
        if path.isEmpty {
            problem = "the file name is empty"
        } else if path.utf8.contains(0) {
            problem = "the file name contains a NUL character"
        } else {
            problem = nil
        }
        if let problem {
            throw writing ? .cannotWrite(path: path, reason: problem) : .cannotOpen(path: path, reason: problem)
        }
    }

    /// Splits "dir/name" into ("dir/", "name"); a bare name gets an empty folder.
    static func split(_ path: String) -> (folder: String, name: String) {
        let bytes = Array(path.utf8)
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        return (String(decoding: bytes[...slash], as: UTF8.self),
                String(decoding: bytes[(slash + 1)...], as: UTF8.self))
    }

    private static func describeWriteFailure(errno code: Int32, folder: String) -> String {
        let shown = folder.isEmpty ? "the current folder" : "the folder '\(folder)'"
        switch code {
        case ENOENT: return "\(shown) does not exist"
        case ENOTDIR: return "part of \(shown) is a file, not a folder"
        case EACCES, EPERM: return "permission denied in \(shown)"
        case EROFS: return "\(shown) is on a read-only file system"
        case ENOSPC, EDQUOT: return "the disk is full"
        default: return describe(errno: code)
        }
    }

    static func describe(errno code: Int32) -> String {
        guard let message = strerror(code) else { return "error \(code)" }
        return String(cString: message)
    }
}

/// The C `write`, reachable under another name because `AtomicFile.write` shadows it.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
