#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps `load` and `save` inside one folder, as sqlite3's `-safe` keeps a script from touching
/// arbitrary files: a lesson or script someone else wrote can then read and replace only files in
/// the folder bnlab was started in and below it.
///
/// A path is judged by where it really leads: `..`, absolute paths and symbolic links are all
/// followed first (a dangling link too, since `save` writes through it), and only the resulting
/// place is compared with the folder's own real path.
public enum FolderConfinement {
    /// Throws `outsideFolder` unless `path` (relative to the working folder) leads inside `folder`.
    public static func check(_ path: String, inside folder: String) throws(DataFileError) {
        guard let root = realPath(folder) else {
            throw .outsideFolder(path: path, folder: folder)
        }
        let place = resolve(path)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard place == root || place.hasPrefix(prefix) else {
            throw .outsideFolder(path: path, folder: root)
        }
    }

    /// The absolute place `path` leads to, following every symbolic link, for a path whose last
    /// part may not exist yet (a file about to be saved).
    static func resolve(_ path: String) -> String {
        var current = path.hasPrefix("/") ? path : (realPath(".") ?? ".") + "/" + path
        for _ in 0..<40 {
            if let real = realPath(current) { return real }
            let (folder, name) = AtomicFile.split(current)
            var info = stat()
            if lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, let link = readLink(current) {
                current = link.hasPrefix("/") ? link : folder + link
                continue
            }
            if let realFolder = realPath(folder.isEmpty ? "." : folder) {
                return (realFolder.hasSuffix("/") ? realFolder : realFolder + "/") + name
            }
            // The folder itself is missing, so the file cannot be opened either; judge the words.
            return lexicallyNormalized(current)
        }
        return lexicallyNormalized(current)
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let length = readlink(path, &buffer, 4096)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// An absolute path with `.` and `..` worked out by their names alone.
    static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
