import LabShell

#if canImport(Glibc)
import Glibc
#endif

extension SessionConfiguration {
    /// Where this bnlab's `data/` and `lessons/` are, each found on its own, first match wins:
    /// 1. `BNLAB_DATA` / `BNLAB_LESSONS`, when set and not empty;
    /// 2. the folder beside the executable (an installed copy: `bnlab`, `data/`, `lessons/`
    ///    together), symlinks to the executable followed;
    /// 3. the checkout it was built in: the nearest folder above the executable that holds
    ///    `Package.swift` (`swift run` and `swift build` put it in `.build/…/debug`).
    /// When none has the folder, the one beside the executable is named, so messages say where
    /// it was expected.
    static func locate(environment: (String) -> String? = ProcessInfoLite.environment) -> SessionConfiguration {
        let home = executableFolder()
        return SessionConfiguration(
            dataFolder: folder("data", variable: "BNLAB_DATA", executableFolder: home, environment: environment),
            lessonsFolder: folder("lessons", variable: "BNLAB_LESSONS", executableFolder: home, environment: environment))
    }

    static func folder(_ name: String, variable: String, executableFolder: String?,
                       environment: (String) -> String?) -> String {
        if let value = environment(variable), !value.isEmpty { return value }
        guard let executableFolder else { return name }
        let beside = executableFolder + "/" + name
        if isDirectory(beside) { return beside }
        var folder = executableFolder
        while let parent = parentFolder(of: folder) {
            folder = parent
            if fileExists(folder + "/Package.swift") {
                let inCheckout = (folder == "/" ? "" : folder) + "/" + name
                if isDirectory(inCheckout) { return inCheckout }
                break
            }
        }
        return beside
    }

    /// The folder of the running executable with symlinks resolved: `/proc/self/exe` on Linux,
    /// else `argv[0]` made absolute by `realpath`.
    static func executableFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        var path: String?
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 {
            path = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        } else if let argument = CommandLine.arguments.first, let resolved = realpath(argument, nil) {
            path = String(cString: resolved)
            free(resolved)
        }
        return path.flatMap(parentFolder(of:))
    }

    private static func parentFolder(of path: String) -> String? {
        guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
