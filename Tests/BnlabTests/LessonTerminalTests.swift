import Foundation
import Testing

/// A lesson at the prompt: its pauses wait for Enter, `step` inside it waits too, and its
/// exercise hints on a wrong answer and accepts a right one typed as an expression.
@Suite(.serialized) struct LessonTerminalTests {
    @Test func pausesWaitAndTheExerciseHintsThenAccepts() throws {
        let session = try FreshSession("lesson")
        defer { session.close() }
        let terminal = session.terminal
        try terminal.expect("bnlab> ")
        try terminal.sendLine("lesson 1")
        try terminal.expect("# What BatchNorm computes")
        try terminal.expect("· step 1/3] Enter to go on")
        try terminal.sendLine("")
        for stage in 2...6 {
            try terminal.expect("[Enter: next stage, q: stop]")
            try terminal.sendLine("")
            try terminal.expect("step \(stage)/6")
        }
        try terminal.expect("· step 2/3] Enter to go on")
        try terminal.sendLine("")
        try terminal.expect("exercise: the batch mean of channel 1 of x")
        try terminal.expect("answer> ")
        try terminal.sendLine("0")
        try terminal.expect("0 is not it. hint: ")
        try terminal.expect("answer> ")
        try terminal.sendLine("channel_means(x)[1]")
        try terminal.expect("right: ")
        try terminal.expect("end of lesson 1")
        try terminal.expect("bnlab> ")
        try terminal.sendLine("bn.num_batches_tracked")
        try terminal.expect("2\n")
        try terminal.expect("bnlab> ")
        try terminal.send(PseudoTerminal.ctrlD)
        #expect(try terminal.waitForExit() == 0)
    }
}
