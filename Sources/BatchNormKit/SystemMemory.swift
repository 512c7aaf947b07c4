#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory the machine can give right now, so a request far beyond it (a raised
/// `--max-elements`, a huge file) is refused with a message instead of trapping in malloc.
public enum SystemMemory {
    /// Requests below this many bytes are not checked: they are cheap to fail and common in loops.
    public static let checkAbove = 64 << 20

    /// Free physical memory in bytes, or nil where the system does not say.
    public static func availableBytes() -> Int? {
        let pages = sysconf(Int32(_SC_AVPHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : nil
    }
}
