#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a data file for `load`, refusing what cannot be read with a bound.
///
/// Only regular files are read. A pipe (FIFO), socket or device has no size up front, so neither
/// the size limit nor the "refuse before reading" checks can apply, and a pipe whose writer never
/// writes would block `read` for ever, past Ctrl-C. Opening uses `O_NONBLOCK`, so even a FIFO
/// with no writer at all is refused at once instead of blocking the `open` itself.
struct ReadableFile {
    let fd: Int32
    /// The size `stat` reported when the file was opened.
    let size: Int

    init(path: String, limit: Int) throws(DataFileError) {
        try AtomicFile.checkPath(path, writing: false)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            switch code {
            case ENOENT: throw .notFound(path: path)
            case EISDIR: throw .isDirectory(path: path)
            default: throw .cannotOpen(path: path, reason: AtomicFile.describe(errno: code))
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = close(fd)
            throw .cannotOpen(path: path, reason: AtomicFile.describe(errno: code))
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            _ = close(fd)
            // Opening a folder read-only succeeds on Linux; only the first read would fail.
            if kind == S_IFDIR { throw .isDirectory(path: path) }
            throw .cannotOpen(path: path, reason: "it is \(ReadableFile.describe(kind: kind)), not a regular file; "
                + "bnlab reads only files whose size it can check first (save the data to a file)")
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            _ = close(fd)
            throw .tooLarge(path: path, bytes: size, limit: limit)
        }
        // Regular files never block; the flag only mattered for the open.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        self.size = size
    }

    private static func describe(kind: mode_t) -> String {
        switch kind {
        case S_IFIFO: return "a pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
