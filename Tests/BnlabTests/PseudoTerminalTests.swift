#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing

/// Checks the pty harness itself against /bin/sh, a program whose behaviour we know,
/// so a failing bnlab test can be blamed on bnlab rather than on the harness.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct PseudoTerminalHarnessTests {
    private func shell(_ sandbox: Sandbox) throws -> PseudoTerminal {
        var environment = sandbox.environment
        environment["PS1"] = "sh$ "
        return try PseudoTerminal(executable: "/bin/sh", arguments: ["-i"], environment: environment)
    }

    @Test func runsCommandsOnARealControllingTerminal() throws {
        let sandbox = try Sandbox()
        let terminal = try shell(sandbox)
        try terminal.expect("sh$ ")
        try terminal.sendLine("echo $((6 * 7))")
        #expect(try terminal.expect("sh$ ").contains("\n42\n"))
        // `tty` fails ("not a tty") unless fd 0 really is the slave.
        try terminal.sendLine("tty && test -t 1 && echo on-a-tty")
        let ttyOutput = try terminal.expect("sh$ ")
        #expect(ttyOutput.contains("/dev/pts/"))
        #expect(ttyOutput.contains("on-a-tty"))
        // The window size set on the master is what the child sees.
        try terminal.sendLine("stty size")
        #expect(try terminal.expect("sh$ ").contains("30 100"))
        // The environment is exactly what we passed.
        try terminal.sendLine("echo \"[$TERM][$INPUTRC][$BNLAB_HISTORY]\"")
        let environmentOutput = try terminal.expect("sh$ ")
        #expect(environmentOutput.contains("[xterm][/dev/null][\(sandbox.historyFile.path)]"))
        try terminal.sendLine("exit 3")
        #expect(try terminal.waitForExit(timeout: .seconds(5)) == 3)
    }

    @Test func ctrlCInterruptsTheForegroundCommand() throws {
        let sandbox = try Sandbox()
        let terminal = try shell(sandbox)
        try terminal.expect("sh$ ")
        // SIGINT only reaches `sleep` if the pty is the controlling terminal and the
        // child's session owns its foreground process group.
        try terminal.sendLine("sleep 30; echo after-sleep")
        terminal.drain(for: .milliseconds(300))
        try terminal.send(PseudoTerminal.ctrlC)
        let clock = ContinuousClock()
        let started = clock.now
        try terminal.expect("sh$ ", timeout: .seconds(5))
        #expect(clock.now - started < .seconds(5))
        try terminal.sendLine("echo still-alive")
        #expect(try terminal.expect("sh$ ").contains("still-alive"))
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit(timeout: .seconds(5)) == 0)
    }

    @Test func expectOnlyMatchesNewOutputAndTimesOutWithTheTranscript() throws {
        let sandbox = try Sandbox()
        let terminal = try shell(sandbox)
        try terminal.expect("sh$ ")
        try terminal.sendLine("echo marker-one")
        try terminal.expect("marker-one\n")
        try terminal.expect("sh$ ")
        // "marker-one" is already consumed: a second expect must not match it again.
        do {
            try terminal.expect("marker-one", timeout: .milliseconds(300))
            Issue.record("expect matched output it had already consumed")
        } catch let failure as PseudoTerminal.Failure {
            let message = failure.description
            #expect(message.contains("timed out"))
            #expect(message.contains("echo marker-one"))
        }
    }

    @Test func reportsSignalDeathAndKillsLeftoverChildren() throws {
        let sandbox = try Sandbox()
        let terminal = try shell(sandbox)
        try terminal.expect("sh$ ")
        // Interactive shells ignore SIGTERM, so use one they cannot.
        try terminal.sendLine("kill -KILL $$")
        #expect(try terminal.waitForExit(timeout: .seconds(5)) == 128 + SIGKILL)

        var leftover: PseudoTerminal? = try PseudoTerminal(
            executable: "/bin/sleep", arguments: ["30"], environment: sandbox.environment)
        let pid = try #require(leftover?.processID)
        leftover = nil
        // deinit killed and reaped it: the pid no longer exists.
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func cleaningStripsTerminalEscapes() {
        let raw = "\u{1b}[?2004hbnlab> \u{1b}[1mhi\u{1b}[0m\r\n\u{1b}]0;title\u{07}\u{1b}(Bok\u{08}\u{07}\u{1b}="
        let cleaned = String(decoding: PseudoTerminal.clean(Array(raw.utf8)), as: UTF8.self)
        #expect(cleaned == "bnlab> hi\nok")
        // An escape cut off by the end of a read is held back, not shown as text.
        #expect(PseudoTerminal.clean(Array("ab\u{1b}[?20".utf8)) == Array("ab".utf8))
    }
}

/// The real `bnlab` binary at its readline prompt: line editing, history, completion
/// and signals, which no pipe- or string-based test can reach.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct PseudoTerminalBnlabTests {
    static let prompt = "bnlab> "
    static let continuation = "  ...> "

    @Test func assignmentThenLookup() throws {
        let session = try BnlabSession()
        try session.start()
        _ = try session.evaluate("a = 41 + 1")
        #expect(lines(try session.evaluate("a")).contains("42"))
    }

    @Test func upArrowRecallsThePreviousLine() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        _ = try session.evaluate("a = 41 + 1")
        #expect(lines(try session.evaluate("a")).contains("42"))
        try terminal.send(PseudoTerminal.up + PseudoTerminal.enter)
        let output = try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(output).contains("42"), "Up+Enter did not print 42 again:\n\(output)")
    }

    @Test func tabCompletesACommand() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.send("hel" + PseudoTerminal.tab)
        try terminal.expect("help", timeout: BnlabSession.timeout)
        try terminal.send(PseudoTerminal.enter)
        let output = try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(output.contains("batchnorm"), "help output lacks batchnorm:\n\(output)")
    }

    @Test func tabCompletesAVariable() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        _ = try session.evaluate("learning_rate = 3")
        try terminal.send("learn" + PseudoTerminal.tab)
        try terminal.expect("learning_rate", timeout: BnlabSession.timeout)
        try terminal.send(PseudoTerminal.enter)
        let output = try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(output).contains("3"), "completed variable did not print 3:\n\(output)")
    }

    @Test func tabCompletesAFieldAfterADot() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        _ = try session.evaluate("bn = batchnorm(4)")
        try terminal.send("bn.num_b" + PseudoTerminal.tab)
        try terminal.expect("bn.num_batches_tracked", timeout: BnlabSession.timeout)
        try terminal.send(PseudoTerminal.enter)
        let output = try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(output).contains("0"), "num_batches_tracked did not print 0:\n\(output)")
    }

    @Test func continuationPromptWhileABraceIsOpen() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("repeat 2 {")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("b = 5")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("}")
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("b")).contains("5"))
    }

    @Test func ctrlCAtThePromptDiscardsTheLine() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        _ = try session.evaluate("a = 41 + 1")
        try terminal.send("zzz_not_sent")
        try terminal.expect("zzz_not_sent", timeout: BnlabSession.timeout)
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        let output = try session.evaluate("a")
        #expect(lines(output).contains("42"))
        #expect(!output.contains("zzz_not_sent"), "the discarded line was evaluated:\n\(output)")
        #expect(!output.lowercased().contains("error"), "unexpected error:\n\(output)")
        let transcript = terminal.transcript
        #expect(!transcript.lowercased().contains("error"), "some error was printed:\n\(transcript)")
    }

    /// On a terminal an experiment shows a progress line (runs done, time left) that is erased
    /// when it ends; Ctrl-C stops it, keeps the seeds that finished and says the verdict covers them.
    @Test func experimentProgressLineAndCtrlCKeepsFinishedSeeds() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("r = experiment(\"bn\", seeds: 50, epochs: 20)")
        let progress = try terminal.expect("s left", timeout: BnlabSession.timeout)
        #expect(progress.contains("/600 runs"), "no progress line:\n\(progress)")
        // Wait until the first seed's 12 runs are done (however loaded the machine), then stop.
        var done = 0, seen = progress
        let clock = ContinuousClock(), started = clock.now
        while done < 13, clock.now - started < .seconds(60) {
            seen = try terminal.expect("/600 runs", timeout: BnlabSession.timeout)
            done = Int(seen.split(separator: "]").last?.split(separator: "/").first?.trimmingCharacters(in: .whitespaces) ?? "") ?? done
        }
        try terminal.send(PseudoTerminal.ctrlC)
        let output = try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(output.contains("interrupted: the verdict covers only the"), "no interruption note:\n\(output)")
        let seeds = lines(try session.evaluate("r.seeds")).compactMap { Int($0) }.first ?? 0
        #expect(seeds >= 1 && seeds < 50, "r.seeds = \(seeds)")
        #expect(lines(try session.evaluate("1 + 1")).contains("2"))
    }

    /// `bnlab -i FILE` on a terminal: Ctrl-C during the file stops it and the prompt starts (it
    /// used to kill bnlab: the handler was installed only when the prompt began).
    @Test func ctrlCDuringAFileBeforeThePrompt() throws {
        let session = try BnlabSession()
        let file = session.sandbox.home.appendingPathComponent("loop.bnl")
        try "repeat 100000000 { t = randn(64, 8) }\n".write(to: file, atomically: true, encoding: .utf8)
        let terminal = try session.start(["-i", file.path], waitForPrompt: false)
        terminal.drain(for: .milliseconds(700))
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted", timeout: BnlabSession.timeout)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("1 + 1")).contains("2"))
    }

    @Test func ctrlCInterruptsALongComputation() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("repeat 100000000 { t = randn(64, 8) }")
        // Let the loop get going, so the interrupt lands in the computation, not readline.
        terminal.drain(for: .milliseconds(500))
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted", timeout: BnlabSession.timeout)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("1 + 1")).contains("2"))
    }

    @Test func ctrlDOnAnEmptyLineExitsWithZero() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit(timeout: BnlabSession.timeout) == 0)
    }

    @Test func historyPersistsAcrossRuns() throws {
        let session = try BnlabSession()
        let first = try session.start()
        _ = try session.evaluate("history_marker_value = 7")
        try first.send(PseudoTerminal.ctrlD)
        #expect(try first.waitForExit(timeout: BnlabSession.timeout) == 0)
        let saved = (try? String(contentsOf: session.sandbox.historyFile, encoding: .utf8)) ?? ""
        #expect(saved.contains("history_marker_value = 7"), "history file:\n\(saved)")

        // Same HOME and BNLAB_HISTORY: the new process must offer the old line on Up.
        let terminal = try session.start()
        try terminal.send(PseudoTerminal.up)
        try terminal.expect("history_marker_value = 7", timeout: BnlabSession.timeout)
        try terminal.send(PseudoTerminal.enter)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("history_marker_value")).contains("7"))
    }

    @Test func anErrorDoesNotEndTheSession() throws {
        let session = try BnlabSession()
        try session.start()
        let output = try session.evaluate("1 +")
        #expect(output.lowercased().contains("error"), "no error message for `1 +`:\n\(output)")
        #expect(lines(try session.evaluate("1 + 1")).contains("2"))
    }

    // MARK: - User functions at the prompt

    @Test func multiLineDefAtThePromptThenACall() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("def scale(x, k: 2) {")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("  y = x * k")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("  return y")
        try terminal.expect(Self.continuation, timeout: BnlabSession.timeout)
        try terminal.sendLine("}")
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("scale(4, k: 10)")).contains("40"))
        #expect(lines(try session.evaluate("scale")).contains("def scale(x, k: 2)"))
        let error = try session.evaluate("scale(\"a\")")
        #expect(error.contains("(in scale, called at <stdin>:7:6)"), "no call trace:\n\(error)")
        #expect(error.contains("  y = x * k"), "no line of the function under the caret:\n\(error)")
    }

    @Test func ctrlCInterruptsARunningFunction() throws {
        let session = try BnlabSession()
        let terminal = try session.start()
        try terminal.sendLine("def spin(n) { repeat n { t = randn(64, 8) } }")
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        try terminal.sendLine("spin(100000000)")
        terminal.drain(for: .milliseconds(500))
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted", timeout: BnlabSession.timeout)
        try terminal.expect(Self.prompt, timeout: BnlabSession.timeout)
        #expect(lines(try session.evaluate("1 + 1")).contains("2"))
    }

    /// Output split into trimmed lines, so `42` matches a line that is exactly 42.
    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

/// One bnlab process on a pty in a private sandbox; `start()` again relaunches it
/// with the same HOME and history file (for the history-persistence test).
private final class BnlabSession {
    /// Bounded so a hung shell fails the test in seconds instead of stalling CI.
    static let timeout: Duration = .seconds(5)

    let sandbox: Sandbox
    private var current: PseudoTerminal?

    init() throws { sandbox = try Sandbox() }

    /// Launches bnlab (stopping any previous run) and waits for its first prompt.
    @discardableResult
    func start(_ arguments: [String] = [], waitForPrompt: Bool = true) throws -> PseudoTerminal {
        current = nil  // the previous run's deinit kills and reaps it
        let terminal = try PseudoTerminal(executable: BnlabBinary.path, arguments: arguments, environment: sandbox.environment)
        current = terminal
        if waitForPrompt { try terminal.expect(PseudoTerminalBnlabTests.prompt, timeout: Self.timeout) }
        return terminal
    }

    /// Types `line` + Enter at the prompt and returns what bnlab printed before the next
    /// prompt (without the echoed line). Every line must end at a fresh prompt.
    func evaluate(_ line: String) throws -> String {
        guard let terminal = current else { throw Sandbox.Failure("BnlabSession.start() was not called") }
        try terminal.sendLine(line)
        try terminal.expect(line + "\n", timeout: Self.timeout)
        let output = try terminal.expect(PseudoTerminalBnlabTests.prompt, timeout: Self.timeout)
        return String(output.dropLast(PseudoTerminalBnlabTests.prompt.count))
    }
}

/// A temporary HOME with its own history file, and the explicit environment a pty
/// child gets; removed when the test ends.
private final class Sandbox {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    let home: URL
    let historyFile: URL

    init() throws {
        home = FileManager.default.temporaryDirectory
            .appendingPathComponent("bnlab-pty-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        historyFile = home.appendingPathComponent("history")
    }

    deinit { try? FileManager.default.removeItem(at: home) }

    /// Fixed, minimal settings: a dumb-enough terminal, no user inputrc, no colour,
    /// and a history file no other test (or the developer's own shell) touches.
    var environment: [String: String] {
        [
            "TERM": "xterm",
            "INPUTRC": "/dev/null",
            "NO_COLOR": "1",
            "HOME": home.path,
            "BNLAB_HISTORY": historyFile.path,
            "LANG": "C.UTF-8",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
    }
}
