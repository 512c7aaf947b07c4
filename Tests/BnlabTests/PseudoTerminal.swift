#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BenchmarkKit
import Foundation

/// Runs one program on a fresh pseudo-terminal so a test can type at it like a person.
///
/// It starts the program as `bnlab bench` starts its own (`PseudoTerminalProcess`, BenchmarkKit):
/// the pty slave as stdin/stdout/stderr and controlling terminal, through `posix_spawn`.
///
/// Not Sendable on purpose: one test owns one terminal and uses it from one task.
final class PseudoTerminal {
    // Keys as a terminal sends them. Enter is CR: that is what a real keyboard sends
    // and what readline binds to accept-line.
    static let enter = "\r"
    static let up = "\u{1b}[A"
    static let down = "\u{1b}[B"
    static let tab = "\t"
    static let ctrlC = "\u{03}"
    static let ctrlD = "\u{04}"

    /// What went wrong, with the whole transcript where it helps explain a failure.
    enum Failure: Error, CustomStringConvertible {
        case system(call: String, errno: Int32)
        case timeout(waitingFor: String, after: Duration, transcript: String)
        case exited(waitingFor: String, transcript: String)
        case stillRunning(after: Duration, transcript: String)

        var description: String {
            switch self {
            case let .system(call, code):
                return "\(call) failed: \(String(cString: strerror(code))) (errno \(code))"
            case let .timeout(needle, after, transcript):
                return "timed out after \(after) waiting for \(needle.debugDescription)\n"
                    + "--- transcript (escapes stripped) ---\n\(transcript)\n--- end transcript ---"
            case let .exited(needle, transcript):
                return "terminal closed (child exited) while waiting for \(needle.debugDescription)\n"
                    + "--- transcript (escapes stripped) ---\n\(transcript)\n--- end transcript ---"
            case let .stillRunning(after, transcript):
                return "child still running after \(after)\n"
                    + "--- transcript (escapes stripped) ---\n\(transcript)\n--- end transcript ---"
            }
        }
    }

    let processID: pid_t
    private let master: Int32
    /// Every byte the child wrote, as it came (escapes included).
    private(set) var rawOutput: [UInt8] = []
    /// Position in the *cleaned* output just after the last successful `expect`;
    /// the next `expect` only matches text after it, so old output cannot satisfy it.
    private var cursor = 0
    /// Set once the master reports EOF/EIO: the slave side is gone for good.
    private var closedBySlave = false
    /// Exit status once `waitpid` has reaped the child; nil while it may still run.
    private var reapedStatus: Int32?

    /// Starts `executable` on a new `columns`x`rows` terminal. `environment` is the
    /// child's whole environment: nothing leaks in from the test runner.
    init(executable: String, arguments: [String] = [], environment: [String: String],
         columns: UInt16 = 100, rows: UInt16 = 30) throws {
        do throws(PseudoTerminalError) {
            let child = try PseudoTerminalProcess(executable: executable, arguments: arguments,
                                                  environment: environment, columns: columns, rows: rows)
            self.processID = child.processID
            self.master = child.master
        } catch {
            throw Failure.system(call: error.call, errno: error.errno)
        }
    }

    deinit {
        // A test that failed half-way must not leave a child behind, nor a zombie.
        if reapedStatus == nil {
            kill(processID, SIGKILL)
            var status: Int32 = 0
            while waitpid(processID, &status, 0) < 0 && errno == EINTR {}
        }
        close(master)
    }

    // MARK: Typing

    /// Types `text` into the terminal (all of it, retrying short writes). Throws if
    /// the child has not made room for it within `timeout`.
    func send(_ text: String, timeout: Duration = .seconds(10)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var bytes = Array(text.utf8)
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    // The child is not reading and the input queue is full: drain its
                    // output so it can make progress, then retry.
                    if clock.now >= deadline {
                        throw Failure.timeout(waitingFor: "room to type \(text.debugDescription)",
                                              after: timeout, transcript: transcript)
                    }
                    pump(waitingUpTo: 10)
                    continue
                }
                throw Failure.system(call: "write(pty)", errno: errno)
            }
            bytes.removeFirst(written)
        }
    }

    /// Types a line and presses Enter.
    func sendLine(_ line: String) throws { try send(line + Self.enter) }

    // MARK: Reading

    /// Everything the child wrote so far, with ANSI/VT escapes, \r and other control
    /// characters removed: roughly what a person would read on the screen.
    var transcript: String {
        String(decoding: Self.clean(rawOutput), as: UTF8.self)
    }

    /// Reads until `needle` appears in the cleaned output after the previous match.
    /// Returns the cleaned text from the previous match up to and including `needle`,
    /// and moves the match position past it. Throws with the transcript on timeout.
    @discardableResult
    func expect(_ needle: String, timeout: Duration = .seconds(10)) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        let pattern = Array(needle.utf8)
        while true {
            // Cleaning the whole transcript each time keeps an escape sequence split
            // across two reads from ever confusing the match; transcripts are small.
            let cleaned = Self.clean(rawOutput)
            if let range = Self.find(pattern, in: cleaned, from: cursor) {
                let matched = String(decoding: cleaned[cursor..<range.upperBound], as: UTF8.self)
                cursor = range.upperBound
                return matched
            }
            if closedBySlave {
                throw Failure.exited(waitingFor: needle, transcript: transcript)
            }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero {
                throw Failure.timeout(waitingFor: needle, after: timeout, transcript: transcript)
            }
            pump(waitingUpTo: Self.milliseconds(remaining, cap: 100))
        }
    }

    /// Reads for `duration` without expecting anything, e.g. to let the child settle.
    func drain(for duration: Duration) {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !closedBySlave {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return }
            pump(waitingUpTo: Self.milliseconds(remaining, cap: 100))
        }
    }

    /// Cleaned output that arrived after the last `expect` match (not consumed).
    var unmatchedOutput: String {
        let cleaned = Self.clean(rawOutput)
        return String(decoding: cleaned[min(cursor, cleaned.count)...], as: UTF8.self)
    }

    /// Waits up to `milliseconds` for output, then reads all that is available.
    private func pump(waitingUpTo milliseconds: Int32) {
        guard !closedBySlave else { return }
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        guard ready > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count > 0 {
                rawOutput.append(contentsOf: buffer[0..<count])
            } else if count == 0 {
                closedBySlave = true
                return
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                // Linux reports EIO on the master once every slave fd is closed.
                closedBySlave = true
                return
            }
        }
    }

    // MARK: Exit

    /// Waits for the child to exit, draining its output meanwhile (a full pty buffer
    /// would otherwise block it forever). Returns the exit code, or 128 + signal
    /// number if a signal killed it — the shell convention.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(10)) throws -> Int32 {
        if let reapedStatus { return reapedStatus }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            var status: Int32 = 0
            let result = waitpid(processID, &status, WNOHANG)
            if result == processID {
                // Collect the child's last words before the slave went away.
                drain(for: .milliseconds(50))
                let decoded = Self.decodeWaitStatus(status)
                reapedStatus = decoded
                return decoded
            }
            if result < 0 && errno != EINTR {
                throw Failure.system(call: "waitpid", errno: errno)
            }
            if clock.now >= deadline {
                throw Failure.stillRunning(after: timeout, transcript: transcript)
            }
            if closedBySlave {
                usleep(10_000)
            } else {
                pump(waitingUpTo: 10)
            }
        }
    }

    /// WIFEXITED/WEXITSTATUS/WTERMSIG are C macros Swift cannot import; this is their
    /// Linux (and Darwin) bit layout.
    private static func decodeWaitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    // MARK: Text helpers

    private static func milliseconds(_ duration: Duration, cap: Int32) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let total = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(max(1, min(Int64(cap), total)))
    }

    /// First occurrence of `pattern` in `haystack` at or after `start`.
    private static func find(_ pattern: [UInt8], in haystack: [UInt8], from start: Int) -> Range<Int>? {
        guard !pattern.isEmpty else { return start..<start }
        guard haystack.count >= pattern.count, start <= haystack.count - pattern.count else { return nil }
        for index in start...(haystack.count - pattern.count)
        where haystack[index] == pattern[0] && haystack[index..<index + pattern.count].elementsEqual(pattern) {
            return index..<index + pattern.count
        }
        return nil
    }
}
