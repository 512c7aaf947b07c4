import Foundation

/// bnlab at a prompt on a pseudo-terminal, with a throwaway HOME and history file and a plain
/// terminal (no colour, no inputrc): the starting point of every terminal test.
struct FreshSession {
    let home: URL
    let terminal: PseudoTerminal

    init(_ tag: String) throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-\(tag)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        terminal = try PseudoTerminal(executable: BnlabBinary.path, environment: [
            "TERM": "xterm", "INPUTRC": "/dev/null", "NO_COLOR": "1", "HOME": home.path, "LANG": "C.UTF-8",
            "BNLAB_HISTORY": home.appendingPathComponent("history").path])
    }

    /// A session at its first prompt, with `setup` typed and run.
    static func started(_ tag: String, setup: [String] = []) throws -> FreshSession {
        let session = try FreshSession(tag)
        try session.terminal.expect("bnlab> ")
        for line in setup {
            try session.terminal.sendLine(line)
            try session.terminal.expect("bnlab> ")
        }
        return session
    }

    /// Removes the throwaway HOME.
    func close() { try? FileManager.default.removeItem(at: home) }
}
