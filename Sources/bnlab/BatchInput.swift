import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// Runs input that is not typed at a prompt — a file, a pipe, or `-c` — with no prompt, no echo
/// and no escape codes, stopping at the first error unless `keepGoing`. Decoding and feeding are
/// the `ScriptRunner`'s, the same the tests and lessons use; this only reads the bytes.
enum BatchInput {
    /// True when every statement succeeded.
    static func run(text: String, name: String, interpreter: Interpreter, keepGoing: Bool) -> Bool {
        ScriptRunner(interpreter: interpreter, sourceName: name, stopsAtFirstError: !keepGoing).run(text.utf8)
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
        let runner = ScriptRunner(interpreter: interpreter, sourceName: name, stopsAtFirstError: !keepGoing)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while !interpreter.exitRequested {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                interpreter.console.printError("\(name): error: read failed: \(String(cString: strerror(errno)))")
                return false
            }
            if count == 0 { break }
            guard runner.feed(bytes: buffer[0..<count]) else { return false }
        }
        return runner.finish() && runner.errorCount == 0
    }
}
