#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call that failed while starting a program on a pseudo-terminal.
public struct PseudoTerminalError: Error, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// A program started on a fresh pseudo-terminal: the benchmark's time to the first prompt and
/// the tests' `PseudoTerminal` both start theirs here.
///
/// The child gets the pty slave as stdin/stdout/stderr *and* as its controlling terminal (new
/// session), so readline sees a real TTY and Ctrl-C typed into the master becomes SIGINT for the
/// child. It uses `posix_spawn`, never `fork`: the parent may run several threads (the test
/// runner, the benchmark's kernels), and forking such a process is unsafe.
public struct PseudoTerminalProcess {
    public let processID: pid_t
    /// The master side, non-blocking and close-on-exec; the caller closes it.
    public let master: Int32

    /// Starts `executable` on a new `columns`×`rows` terminal. `environment` is the child's whole
    /// environment (nothing leaks in); nil passes this process's own.
    public init(executable: String, arguments: [String] = [], environment: [String: String]? = nil,
                columns: UInt16 = 100, rows: UInt16 = 30) throws(PseudoTerminalError) {
        // O_NOCTTY: this process must not acquire the terminal; O_CLOEXEC: the child must not
        // inherit the master, or the pty never reports EOF.
        let pty = try PtyFunctions.load()
        let master = pty.openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw PseudoTerminalError(call: "posix_openpt", errno: errno) }
        var ok = false
        defer { if !ok { close(master) } }
        guard pty.grantpt(master) == 0 else { throw PseudoTerminalError(call: "grantpt", errno: errno) }
        guard pty.unlockpt(master) == 0 else { throw PseudoTerminalError(call: "unlockpt", errno: errno) }
        var nameBuffer = [CChar](repeating: 0, count: 256)
        // ptsname_r: plain ptsname returns a static buffer, unsafe with parallel callers.
        let nameStatus = pty.ptsname_r(master, &nameBuffer, nameBuffer.count)
        guard nameStatus == 0 else { throw PseudoTerminalError(call: "ptsname_r", errno: nameStatus) }
        let slavePath = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)

        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard ioctl(master, UInt(TIOCSWINSZ), &size) == 0 else {
            throw PseudoTerminalError(call: "ioctl(TIOCSWINSZ)", errno: errno)
        }
        // Non-blocking so a reader can drain whatever is there and return.
        let flags = fcntl(master, F_GETFL)
        guard flags >= 0, fcntl(master, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw PseudoTerminalError(call: "fcntl(O_NONBLOCK)", errno: errno)
        }
        self.processID = try Self.spawn(executable: executable, arguments: arguments,
                                        environment: environment, slavePath: slavePath, pty: pty)
        self.master = master
        ok = true
    }

    /// posix_spawn with: a new session (SETSID), then the slave opened as fd 0 — a session
    /// leader opening a terminal without O_NOCTTY makes it its controlling terminal (glibc runs
    /// setsid before the file actions) — and dup'd to 1 and 2.
    private static func spawn(executable: String, arguments: [String], environment: [String: String]?,
                              slavePath: String, pty: PtyFunctions) throws(PseudoTerminalError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        guard posix_spawn_file_actions_init(&actions) == 0 else {
            throw PseudoTerminalError(call: "posix_spawn_file_actions_init", errno: errno)
        }
        defer { posix_spawn_file_actions_destroy(&actions) }
        var status = posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        if status == 0 { status = posix_spawn_file_actions_adddup2(&actions, 0, 1) }
        if status == 0 { status = posix_spawn_file_actions_adddup2(&actions, 0, 2) }
        // Other threads may hold pipes without O_CLOEXEC; a child that inherits a pipe's write
        // end keeps its reader waiting for EOF. Close them all.
        if status == 0, let closeFrom = pty.closeFrom {
            status = closeFrom(&actions, 3)
        }
        guard status == 0 else { throw PseudoTerminalError(call: "posix_spawn_file_actions", errno: status) }

        var attributes = posix_spawnattr_t()
        guard posix_spawnattr_init(&attributes) == 0 else {
            throw PseudoTerminalError(call: "posix_spawnattr_init", errno: errno)
        }
        defer { posix_spawnattr_destroy(&attributes) }
        // The parent's threads may block or ignore signals; both survive exec, and a child that
        // ignores SIGINT could never be interrupted. Start it clean.
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH] {
            sigaddset(&defaults, signal)
        }
        status = posix_spawnattr_setsigmask(&attributes, &emptyMask)
        if status == 0 { status = posix_spawnattr_setsigdefault(&attributes, &defaults) }
        let spawnFlags = PtyFunctions.spawnSetSID | Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if status == 0 { status = posix_spawnattr_setflags(&attributes, Int16(spawnFlags)) }
        guard status == 0 else { throw PseudoTerminalError(call: "posix_spawnattr", errno: status) }

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { $0.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } }
        defer { (argv + (envp ?? [])).forEach { free($0) } }
        var pid: pid_t = 0
        if let envp {
            status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        } else {
            status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], environ)
        }
        guard status == 0 else { throw PseudoTerminalError(call: "posix_spawn(\(executable))", errno: status) }
        return pid
    }
}
