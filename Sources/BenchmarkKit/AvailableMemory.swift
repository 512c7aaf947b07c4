#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Memory the system can give without swapping, so the benchmark can refuse up front.
enum AvailableMemory {
    /// Free and reclaimable physical memory in bytes, or nil where the system does not say.
    static func bytes() -> Int? {
        let pages = sysconf(Int32(_SC_AVPHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages * size : nil
    }
}
