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
        let file = try ReadableFile(path: path, limit: limit)
        let fd = file.fd
        defer { close(fd) }
        // One spare byte lets the read that reports end-of-file land without a resize.
        let capacity = file.size + 1

        // The stat size is only a hint: a file can grow while we read it, so the limit is
        // enforced on what is actually read.
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
    static func write(_ bytes: [UInt8], to path: String,
                      shouldStop: () -> Bool = { false }) throws(DataFileError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(DataFileError) in try write(header: [], body: raw, to: path, shouldStop: shouldStop) }
        }
        try result.get()
    }

    /// The size of one `write` call; `shouldStop` is polled before each, so Ctrl-C stops a
    /// 256 MiB save within a few milliseconds.
    static let chunkBytes = 8 << 20

    /// Replaces `path` with `header` followed by `body`, or throws and leaves `path` exactly as
    /// it was. `body` is written straight from the caller's memory, with no copy.
    static func write(header: [UInt8], body: UnsafeRawBufferPointer, to path: String,
                      shouldStop: () -> Bool = { false }) throws(DataFileError) {
        try write(to: path, reserving: header.count + body.count, shouldStop: shouldStop) { (emit) throws(DataFileError) in
            let headerResult = header.withUnsafeBytes { raw in Result { () throws(DataFileError) in try emit(raw) } }
            try headerResult.get()
            try emit(body)
        }
    }

    /// Replaces `path` with the bytes `produce` hands to its `emit` function, in as many pieces
    /// as it likes, or throws and leaves `path` exactly as it was. `reserving` is the final size
    /// when it is known up front.
    ///
    /// A symbolic link is written through: its target is replaced and the link stays. A
    /// write-protected target is refused rather than silently replaced by the rename. When
    /// `shouldStop` returns true the save stops, removes its temporary and throws `interrupted`.
    static func write(to path: String, reserving size: Int?, shouldStop: () -> Bool,
                      produce: (_ emit: (UnsafeRawBufferPointer) throws(DataFileError) -> Void) throws(DataFileError) -> Void)
        throws(DataFileError) {
        // `emit` polls `shouldStop` and is handed to `produce`; the two calls never overlap.
        try withoutActuallyEscaping(shouldStop) { (stop) throws(DataFileError) in
            try replace(path, reserving: size, shouldStop: stop, produce: produce)
        }
    }

    private static func replace(_ path: String, reserving size: Int?, shouldStop: @escaping () -> Bool,
                                produce: (_ emit: (UnsafeRawBufferPointer) throws(DataFileError) -> Void) throws(DataFileError) -> Void)
        throws(DataFileError) {
        try checkPath(path, writing: true)
        guard !split(path).name.isEmpty, split(path).name != ".", split(path).name != ".." else {
            throw .cannotWrite(path: path, reason: "the path names a folder, not a file")
        }
        let target = try resolveLinks(path)
        let (folder, name) = split(target)
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .cannotWrite(path: path, reason: "the path names a folder, not a file")
        }
        try checkNotWriteProtected(target, shownAs: path)
        let serial = counter.add(1, ordering: .relaxed).newValue
        let suffix = ".tmp-\(getpid())-\(serial)"
        // File names are limited to 255 bytes; a long legal name gets a short temporary.
        let temporary = folder + (1 + name.utf8.count + suffix.utf8.count <= 255 ? "." + name : ".bnlab") + suffix

        // Registered before it exists, so a signal cannot land between its creation and its
        // registration.
        let registered = TemporaryFileCleanup.begin(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let code = errno
            if registered { TemporaryFileCleanup.end() }
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: code, folder: folder))
        }
        var isOpen = true
        var renamed = false
        defer {
            if isOpen { close(fd) }
            if !renamed { unlink(temporary) }
            if registered { TemporaryFileCleanup.end() }
        }

        // Saving over a file keeps its permissions, as writing it in place would.
        var existing = stat()
        if stat(target, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFREG {
            fchmod(fd, existing.st_mode & 0o7777)
        }

        #if os(Linux)
        // Reserving the blocks up front keeps ext4 from allocating them write by write (measured:
        // a 256 MiB save's writes vary far less), and a full disk is reported before any copying.
        // Other failures are left to the writes, which report them as before.
        if let size, size > 0 {
            let reserved = posix_fallocate(fd, 0, off_t(size))
            if reserved == ENOSPC || reserved == EDQUOT {
                throw .cannotWrite(path: path, reason: describeWriteFailure(errno: reserved, folder: folder))
            }
        }
        #endif
        func writeAll(_ buffer: UnsafeRawBufferPointer) throws(DataFileError) {
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                if shouldStop() { throw .interrupted(path: path, saving: true) }
                let result = posixWrite(fd, base + written, min(chunkBytes, buffer.count - written))
                if result < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw .cannotWrite(path: path, reason: describeWriteFailure(errno: code, folder: folder))
                }
                written += result
            }
        }
        try produce(writeAll)
        // Without fsync the rename can reach the disk before the data, and a crash would leave
        // an empty file under the target's name.
        if fsync(fd) != 0 {
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: errno, folder: folder))
        }
        isOpen = false
        if close(fd) != 0 {
            throw .cannotWrite(path: path, reason: describeWriteFailure(errno: errno, folder: folder))
        }
        if shouldStop() { throw .interrupted(path: path, saving: true) }
        // The file may have been made read-only while we wrote.
        try checkNotWriteProtected(target, shownAs: path)
        if rename(temporary, target) != 0 {
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

    /// Follows symbolic links from `path` to the file a save should replace (which need not
    /// exist yet: a dangling link is written through to create its target).
    static func resolveLinks(_ path: String) throws(DataFileError) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            guard let link = FolderConfinement.readLink(current) else { return current }
            current = link.hasPrefix("/") ? link : split(current).folder + link
        }
        throw .cannotWrite(path: path, reason: "too many levels of symbolic links")
    }

    /// Refuses to replace a file its owner made read-only. The rename would succeed (it needs
    /// only the folder's permission) and `access()` says yes to root for every file, so the
    /// mode bits are read directly: root is refused a file with no write bit at all, anyone else
    /// a file whose owner, group or other bit (whichever applies to them) forbids writing.
    private static func checkNotWriteProtected(_ target: String, shownAs path: String) throws(DataFileError) {
        var info = stat()
        guard stat(target, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return }
        let mode = info.st_mode & 0o7777
        let user = geteuid()
        let writable: Bool
        if user == 0 {
            writable = mode & 0o222 != 0
        } else if info.st_uid == user {
            writable = mode & 0o200 != 0
        } else if isMember(ofGroup: info.st_gid) {
            writable = mode & 0o020 != 0
        } else {
            writable = mode & 0o002 != 0
        }
        guard writable else {
            throw .cannotWrite(path: path, reason: "the file is write-protected (mode \(String(mode, radix: 8))); "
                + "make it writable (chmod u+w) or save under another name")
        }
    }

    private static func isMember(ofGroup group: gid_t) -> Bool {
        if getegid() == group { return true }
        let count = getgroups(0, nil)
        guard count > 0 else { return false }
        var groups = [gid_t](repeating: 0, count: Int(count))
        let got = getgroups(count, &groups)
        return got > 0 && groups[..<Int(got)].contains(group)
    }

    /// Rejects paths the C calls would misread: an embedded NUL would silently cut the path short.
    static func checkPath(_ path: String, writing: Bool) throws(DataFileError) {
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
        case EACCES, EPERM:
            // The usual cause: the folder itself may not be written, so no file can be created in it.
            if access(folder.isEmpty ? "." : folder, W_OK) != 0 {
                let place = FolderConfinement.resolve(folder.isEmpty ? "." : folder)
                return "the folder \(place) is read-only for you, and saving creates a file there "
                    + "first; save into another folder, or make it writable (chmod u+w)"
            }
            return "permission denied in \(shown)"
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
