import Foundation
import Testing

/// `step` on a real terminal: each stage waits for Enter; `q` stops and leaves the layer as it was.
@Suite(.serialized) struct StepTerminalTests {
    @Test func stepsWithEnterAndQuitsWithQ() throws {
        let session = try FreshSession("step")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("bn = batchnorm(2); x = [[1, 2], [3, 6], [5, 10]]")
        try terminal.expect("bnlab> ")

        try terminal.sendLine("step bn x")
        try terminal.expect("step 1/6 · batch mean")
        try terminal.expect("[Enter: next stage, q: stop]")
        try terminal.sendLine("")
        try terminal.expect("step 2/6 · batch variance")
        try terminal.expect("[Enter: next stage, q: stop]")
        try terminal.sendLine("q")
        try terminal.expect("stopped before step 3: batchnorm(2) was not changed")
        try terminal.expect("bnlab> ")
        try terminal.sendLine("bn.num_batches_tracked")
        try terminal.expect("0\n")
        try terminal.expect("bnlab> ")

        try terminal.sendLine("step(bn, x, at: [1, 1])")
        for stage in 2...6 {
            try terminal.expect("[Enter: next stage, q: stop]")
            try terminal.sendLine("")
            try terminal.expect("step \(stage)/6")
        }
        try terminal.expect("running_mean = 0.9 × 0.0000 + 0.1 × 6.0000 = 0.6000")
        try terminal.expect("bnlab> ")
        try terminal.sendLine("bn.num_batches_tracked")
        try terminal.expect("1\n")
        // Ctrl-D only once readline is reading again: typed earlier, in the terminal's line mode,
        // the kernel turns it into an end-of-file that readline never sees.
        try terminal.expect("bnlab> ")
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }

    /// One key acts at once, as in `less`: Space goes on, q stops, with no Enter.
    @Test func aStepPauseTakesOneKeyWithoutEnter() throws {
        let session = try FreshSession.started("onekey", setup: ["bn = batchnorm(2); x = [[1, 2], [3, 6], [5, 10]]"])
        defer { session.close() }
        let terminal = session.terminal
        try terminal.sendLine("step bn x")
        try terminal.expect("[Enter: next stage, q: stop]")
        try terminal.send(" ")
        try terminal.expect("step 2/6 · batch variance")
        try terminal.expect("[Enter: next stage, q: stop]")
        try terminal.send("q")
        try terminal.expect("stopped before step 3: batchnorm(2) was not changed")
        try terminal.expect("bnlab> ")
        // The terminal is back in line mode for readline: a line still edits and runs.
        try terminal.sendLine("1 + 1")
        #expect(try terminal.expect("bnlab> ").contains("\n2\n"))
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }
}
