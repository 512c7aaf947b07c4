import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C during `bnlab bench`: a flag the run checks between runs (then it exits 130).
public enum BenchmarkInterrupt {
    static let requested = Atomic<Bool>(false)

    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    /// Replaces SIGINT's default (ending the process) with setting the flag.
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in BenchmarkInterrupt.requested.store(true, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
    }
}
