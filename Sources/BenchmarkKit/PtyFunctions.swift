#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The libc pty calls and constants Swift's Glibc module hides: they sit behind
/// `_XOPEN_SOURCE`/`_GNU_SOURCE` in the headers, which Swift does not define. We look
/// the real functions up at run time rather than re-implement them with ioctls.
struct PtyFunctions {
    let openpt: @convention(c) (Int32) -> Int32
    let grantpt: @convention(c) (Int32) -> Int32
    let unlockpt: @convention(c) (Int32) -> Int32
    let ptsname_r: @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34); nil where missing.
    let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)?

    #if os(Linux)
    /// glibc's `POSIX_SPAWN_SETSID` (spawn.h, `__USE_GNU` only; glibc ≥ 2.26).
    static let spawnSetSID: Int32 = 0x80
    #else
    static let spawnSetSID = Int32(POSIX_SPAWN_SETSID)
    #endif

    static func load() throws(PseudoTerminalError) -> PtyFunctions {
        // dlopen(nil) is the running program: its lookups reach the libc it links.
        guard let handle = dlopen(nil, RTLD_NOW) else {
            throw PseudoTerminalError(call: "dlopen(self)", errno: errno)
        }
        // libc stays loaded for the life of the process, so the pointers outlive this.
        defer { dlclose(handle) }
        func symbol<F>(_ name: String, as type: F.Type) throws(PseudoTerminalError) -> F {
            guard let address = dlsym(handle, name) else {
                throw PseudoTerminalError(call: "dlsym(\(name))", errno: ENOSYS)
            }
            return unsafeBitCast(address, to: type)
        }
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        return PtyFunctions(
            openpt: try symbol("posix_openpt", as: (@convention(c) (Int32) -> Int32).self),
            grantpt: try symbol("grantpt", as: (@convention(c) (Int32) -> Int32).self),
            unlockpt: try symbol("unlockpt", as: (@convention(c) (Int32) -> Int32).self),
            ptsname_r: try symbol("ptsname_r",
                                  as: (@convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32).self),
            closeFrom: try? symbol("posix_spawn_file_actions_addclosefrom_np", as: CloseFrom.self))
    }
}
