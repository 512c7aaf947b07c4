import Foundation
import Testing

/// Colour only on a terminal, and never with NO_COLOR set: errors are red at a colour prompt,
/// plain with NO_COLOR (and in pipes, which CommandLineTests check for any escape code).
@Suite(.serialized) struct ColorTests {
    static let red = Array("\u{1B}[1;31merror".utf8)

    func errorBytes(noColor: Bool) throws -> [UInt8] {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-color-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ["TERM": "xterm", "INPUTRC": "/dev/null", "HOME": home.path, "LANG": "C.UTF-8",
                           "BNLAB_HISTORY": home.appendingPathComponent("history").path]
        if noColor { environment["NO_COLOR"] = "1" }
        let terminal = try PseudoTerminal(executable: BnlabBinary.path, environment: environment)
        try terminal.expect("bnlab> ")
        try terminal.sendLine("no_such_name")
        try terminal.expect("unknown name")
        try terminal.expect("bnlab> ")
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
        return terminal.rawOutput
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    @Test func errorsAreRedOnATerminal() throws {
        #expect(Self.contains(try errorBytes(noColor: false), Self.red))
    }

    @Test func noColorTurnsColourOff() throws {
        let bytes = try errorBytes(noColor: true)
        #expect(!Self.contains(bytes, Self.red))
        #expect(Self.contains(bytes, Array("error: unknown name 'no_such_name'".utf8)))
    }
}
