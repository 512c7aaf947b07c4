import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// Runs input that is not typed at a prompt — a file, a pipe, or `-c` — with no prompt, no echo
/// and no escape codes, stopping at the first error unless `keepGoing`.
enum BatchInput {
    /// True when every statement succeeded.
    static func run(text: String, name: String, interpreter: Interpreter, keepGoing: Bool) -> Bool {
        let runner = ScriptRunner(interpreter: interpreter, sourceName: name)
        var decoder = LineDecoder()
        guard feed(decoder.push(Array(text.utf8)) + decoder.finish(), to: runner, keepGoing: keepGoing) else { return false }
        return runner.finish() && runner.errorCount == 0
    }

    static func run(path: String, interpreter: Interpreter, keepGoing: Bool) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            interpreter.console.printError("\(path): error: cannot open: \(reason)")
            return false
        }
        defer { close(fd) }
        return run(fileDescriptor: fd, name: path, interpreter: interpreter, keepGoing: keepGoing)
    }

    static func run(fileDescriptor fd: Int32, name: String, interpreter: Interpreter, keepGoing: Bool) -> Bool {
        let runner = ScriptRunner(interpreter: interpreter, sourceName: name)
        var decoder = LineDecoder()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                interpreter.console.printError("\(name): error: read failed: \(String(cString: strerror(errno)))")
                return false
            }
            if count == 0 { break }
            guard feed(decoder.push(buffer[0..<count]), to: runner, keepGoing: keepGoing) else { return false }
            if interpreter.exitRequested { return runner.errorCount == 0 }
        }
        guard feed(decoder.finish(), to: runner, keepGoing: keepGoing) else { return false }
        return runner.finish() && runner.errorCount == 0
    }

    /// Feeds decoded lines; false when reading should stop (an error, and not keeping going).
    private static func feed(_ lines: [LineDecoder.Line], to runner: ScriptRunner, keepGoing: Bool) -> Bool {
        for line in lines {
            if runner.interpreter.exitRequested { break }
            let result: ScriptRunner.FeedResult = switch line {
            case .text(let text): runner.feed(text)
            case .unreadable(let message, let column): runner.feedUnreadable(message, column: column)
            }
            if result == .ran(succeeded: false) && !keepGoing { return false }
        }
        return true
    }
}
