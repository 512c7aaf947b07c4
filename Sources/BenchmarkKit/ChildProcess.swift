#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the `bnlab` executable as a child, for the benchmark's start-up, memory and course figures.
enum ChildProcess {
    struct Outcome {
        let milliseconds: Double
        let status: Int32
        /// Largest resident size the child reached, in bytes (from wait4's rusage).
        let peakResidentBytes: Int
    }

    /// The running executable: `bnlab bench` times children of its own binary.
    static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }

    /// Runs `EXECUTABLE ARGUMENTS` with stdin from `input` (or /dev/null) and output discarded.
    static func run(_ executable: String, _ arguments: [String], input: String = "/dev/null") -> Outcome? {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let start = ContinuousClock.now
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        var usage = rusage()
        guard wait4(pid, &status, 0, &usage) == pid else { return nil }
        return Outcome(milliseconds: (ContinuousClock.now - start).milliseconds, status: status,
                       peakResidentBytes: usage.ru_maxrss * 1024)
    }

    /// Starts `executable` on a pseudo-terminal and returns the milliseconds until `prompt`
    /// appears; then ends it with Ctrl-D.
    static func timeToFirstPrompt(_ executable: String, prompt: String) -> Double? {
        let start = ContinuousClock.now
        guard let child = try? PseudoTerminalProcess(executable: executable) else { return nil }
        defer {
            var status: Int32 = 0
            _ = write(child.master, "\u{4}", 1)
            waitpid(child.processID, &status, 0)
            close(child.master)
        }
        var seen: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        let wanted = Array(prompt.utf8)
        while (ContinuousClock.now - start).milliseconds < 5_000 {
            var poller = pollfd(fd: child.master, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 1000) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(child.master, $0.baseAddress, 1024) }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            guard n > 0 else { return nil }
            seen += buffer[0..<n]
            if seen.count >= wanted.count, contains(seen, wanted) { return (ContinuousClock.now - start).milliseconds }
        }
        return nil
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}
