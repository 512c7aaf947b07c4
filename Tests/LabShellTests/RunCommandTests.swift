@testable import LabShell
import Foundation
import Testing

/// `run "file.bnl"`, sqlite3's `.read`: a script run in the session, stopped by its first error.
@Suite struct RunCommandTests {
    /// A fresh folder with `files` written into it; returns its path.
    private func folder(_ files: [String: String]) throws -> String {
        let path = NSTemporaryDirectory() + "bnlab-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    @Test func aFileRunsInTheSessionAndItsVariablesStay() throws {
        let dir = try folder(["prep.bnl": "x = 41\ny = [x,\n  1]\n"])
        let s = SessionHarness()
        #expect(s.run("run \"\(dir)/prep.bnl\"\nz = x + 1"), "\(s.errors)")
        #expect(s.number("z") == 42)
        #expect(s.tensor("y") == [41, 1])
    }

    @Test func anErrorNamesTheFileAndLineAndStopsOnlyTheFile() throws {
        let dir = try folder(["bad.bnl": "a = 1\nb = a + foo\nc = 3\n"])
        for terminal in [false, true] {
            // Wide enough that the terminal does not break the long temporary path's line.
            let s = SessionHarness(keepGoing: true, terminal: terminal, width: 200)
            #expect(!s.run("run \"\(dir)/bad.bnl\""))
            #expect(s.errors.count == 1, "\(s.errors)")
            // On a terminal a long message wraps at words (LineFit); read it as one line.
            let message = s.lastError.replacingOccurrences(of: "\n  ", with: " ")
            #expect(message.hasPrefix("\(dir)/bad.bnl:2:9: error: unknown name 'foo'"), "\(s.errors)")
            #expect(s.variable("a") != nil && s.variable("c") == nil, "the file stops at its error")
            #expect(s.run("d = 4"), "the session goes on")
        }
    }

    @Test func aFileThatRunsItselfIsStopped() throws {
        let dir = try folder(["self.bnl": "n = 1\nrun \"self.bnl\"\n", "a.bnl": "run \"b.bnl\"\n", "b.bnl": "run \"./a.bnl\"\n"])
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        let s = SessionHarness()
        #expect(!s.run("run \"self.bnl\""))
        #expect(s.lastError == "self.bnl:2:1: error: self.bnl is already running (a file cannot run itself, directly or through another)",
                "\(s.errors)")
        #expect(!s.run("run \"a.bnl\""))
        #expect(s.lastError.hasPrefix("b.bnl:1:1: error: ./a.bnl is already running"), "\(s.errors)")
    }

    @Test func aMissingFileAFolderAndAnUnreadableFileAreOneLine() throws {
        let dir = try folder(["secret.bnl": "x = 1\n"])
        chmod(dir + "/secret.bnl", 0)
        let s = SessionHarness()
        s.run("run \"\(dir)/nope.bnl\"")
        #expect(s.lastError.hasSuffix(":5: error: cannot run \(dir)/nope.bnl: no such file"), "\(s.errors)")
        s.run("run \"\(dir)\"")
        #expect(s.lastError.hasSuffix(":5: error: cannot run \(dir): it is a folder, not a file"), "\(s.errors)")
        if getuid() != 0 {  // root reads any file
            s.run("run \"\(dir)/secret.bnl\"")
            #expect(s.lastError.hasSuffix(":5: error: cannot run \(dir)/secret.bnl: permission denied"), "\(s.errors)")
        }
        #expect(s.errors.allSatisfy { !$0.contains("\n") })
    }

    /// A FIFO once blocked `run` in its open (no writer) or its read (a silent one), past Ctrl-C.
    @Test func aFifoIsRefusedAtOnce() throws {
        let dir = try folder([:])
        try #require(mkfifo(dir + "/f.bnl", 0o600) == 0)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var error = ""
        Thread.detachNewThread {
            let s = SessionHarness()
            s.run("run \"\(dir)/f.bnl\"")
            error = s.lastError
            done.signal()
        }
        let finished = done.wait(timeout: .now() + 2) == .success
        if !finished {
            // Let a blocked open finish so the thread ends.
            let writer = open(dir + "/f.bnl", O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            _ = done.wait(timeout: .now() + 5)
        }
        #expect(finished, "run of a FIFO did not return")
        #expect(error.hasSuffix("cannot run \(dir)/f.bnl: it is not a regular file (a pipe or a device)"), "\(error)")
    }

    @Test func ctrlCStopsARunningFile() throws {
        let dir = try folder(["long.bnl": "repeat 100000 { x = randn(8, 2) }\nafter = 1\n"])
        let s = SessionHarness()
        var polls = 0
        var interrupted = true
        s.interpreter.console.isInterrupted = { polls += 1; return interrupted && polls > 50 }
        #expect(!s.run("run \"\(dir)/long.bnl\""))
        #expect(s.lastError == "\(dir)/long.bnl: interrupted", "\(s.errors)")
        #expect(s.variable("after") == nil)
        interrupted = false
        #expect(s.run("y = 2"), "the session goes on")
    }
}
