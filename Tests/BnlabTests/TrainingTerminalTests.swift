import Foundation
import Testing

/// Ctrl-C during a long `fit` stops it between batches, keeps the finished epochs, and the
/// session goes on with the results in the variable.
@Suite(.serialized) struct TrainingTerminalTests {
    @Test func ctrlCStopsTrainingAndKeepsTheResults() throws {
        let session = try FreshSession("fit")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("net = mlp([2, 64, 64, 3], norm: \"batch\"); r = fit(net, spirals(2000), epochs: 10000)")
        try terminal.expect("    2  ", timeout: .seconds(30))
        try terminal.send(PseudoTerminal.ctrlC)
        try terminal.expect("interrupted: the ", timeout: .seconds(30))
        try terminal.expect("bnlab> ")
        try terminal.sendLine("r.loss.shape")
        let shape = try terminal.expect("bnlab> ")
        #expect(!shape.contains("[0]") && shape.contains("tensor (1)"), "the finished epochs are kept: \(shape)")
        try terminal.sendLine("1 + 1")
        try terminal.expect("2\n")
        // Ctrl-D only once readline is reading again: typed earlier, in the terminal's line mode,
        // the kernel turns it into an end-of-file that readline never sees.
        try terminal.expect("bnlab> ")
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }
}
