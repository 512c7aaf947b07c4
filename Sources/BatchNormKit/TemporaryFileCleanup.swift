#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Removes the temporary file of a save in progress when SIGTERM, SIGHUP or an unhandled SIGINT
/// ends the process, so a killed save leaves neither a half-written target nor a stray
/// `.x.npy.tmp-PID-N` of hundreds of megabytes.
///
/// While a save runs, the temporary's path sits in a buffer allocated once, and a handler is
/// installed for each of those signals whose disposition is still the default (a handler the
/// shell installed, such as the interactive Ctrl-C flag, is left alone). The handler only calls
/// `unlink`, `signal` and `raise`, which are async-signal-safe, then lets the signal end the
/// process as it would have. One save at a time is covered; a second, concurrent save simply
/// is not registered.
enum TemporaryFileCleanup {
    static let signals: [Int32] = [SIGTERM, SIGHUP, SIGINT]
    private static let capacity = 4096

    /// The NUL-terminated path the handler removes; written only while `armed` is false.
    nonisolated(unsafe) static let pathBuffer: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity + 1)
        buffer[0] = 0
        return buffer
    }()
    /// True while `pathBuffer` names a temporary that should be removed on a fatal signal.
    static let armed = Atomic<Bool>(false)
    /// Claimed by the one save that owns the buffer.
    private static let busy = Atomic<Bool>(false)
    /// The signals this save installed a handler for; only the owning thread touches it.
    nonisolated(unsafe) private static var installed: [Int32] = []

    /// Registers `path` for removal on a fatal signal; returns false (and does nothing) when
    /// another save owns the registry or the path does not fit. Pair with `end()` when true.
    static func begin(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        guard bytes.count <= capacity,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        for (i, byte) in bytes.enumerated() { pathBuffer[i] = CChar(bitPattern: byte) }
        pathBuffer[bytes.count] = 0
        armed.store(true, ordering: .sequentiallyConsistent)
        installed = []
        for number in signals {
            var current = sigaction()
            guard sigaction(number, nil, &current) == 0,
                  current.__sigaction_handler.sa_handler == nil  // SIG_DFL
            else { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = removeTemporaryAndResend
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            if sigaction(number, &action, nil) == 0 { installed.append(number) }
        }
        return true
    }

    /// Unregisters the temporary (it has been renamed or removed) and restores the default
    /// handlers `begin` replaced.
    static func end() {
        armed.store(false, ordering: .sequentiallyConsistent)
        for number in installed { signal(number, SIG_DFL) }
        installed = []
        busy.store(false, ordering: .releasing)
    }
}

/// The fatal-signal handler: remove the temporary, then die of the same signal.
private func removeTemporaryAndResend(_ number: Int32) {
    if TemporaryFileCleanup.armed.load(ordering: .sequentiallyConsistent) {
        unlink(TemporaryFileCleanup.pathBuffer)
    }
    signal(number, SIG_DFL)
    raise(number)
}
