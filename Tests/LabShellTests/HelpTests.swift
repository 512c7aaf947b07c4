@testable import LabShell
import Testing

/// `help`, `help all` and `help NAME` as a learner reads them: grouped by topic, every line within
/// the console's width, lines broken between words and never inside a quoted string.
@Suite struct HelpTests {
    @Test(arguments: [40, 60, 80, 100])
    func helpListsTheCommandsByTopicOneLineEach(width: Int) {
        let s = SessionHarness(width: width)
        #expect(s.run("help"), "\(s.errors)")
        let lines = s.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { #expect(line.count <= width, "wider than \(width): \(line)") }
        for topic in ["tensors:", "statistics & plots:", "norm layers:", "stepping & tracking:",
                      "training & experiments:", "files:", "lessons:", "session:"] {
            #expect(lines.contains(topic), "no heading \(topic)")
        }
        for command in CommandTable.all {
            let rows = lines.filter { $0.hasPrefix("  \(command.name) ") }
            #expect(rows.count == 1, "\(command.name) is listed \(rows.count) times")
        }
        #expect(lines.firstIndex(of: "norm layers:")! < lines.firstIndex { $0.hasPrefix("  batchnorm ") }!)
        if width >= 80 {
            #expect(lines.last == "help NAME for one command · help all for every command with its usage")
            #expect(lines.contains("  batchnorm      a BatchNorm layer over C channels (axis 1), as PyTorch's"))
        }
    }

    @Test func helpAllShowsEveryCommandWithItsUsage() {
        let s = SessionHarness()
        #expect(s.run("help all"), "\(s.errors)")
        let text = s.text
        for command in CommandTable.all {
            #expect(text.contains("  \(command.name)("), "\(command.name) missing from help all")
        }
        #expect(text.contains("  hist(x, y?, bins: 20, range?, channel?, normal: false)\n"
            + "      a histogram of x, or of x and y side by side on the same bins"), "\(text)")
        #expect(text.contains("  batchnorm(C, eps: 1e-05, momentum: 0.1, affine: true,\n"
            + "            track_running_stats: true, convention: \"pytorch\")"), "\(text)")
    }

    /// `help batchnorm` at 100 columns used to print its signature in one 104-character line, which
    /// the terminal split inside `"pytorch"`.
    @Test func helpAtAHundredColumnsBreaksTheSignatureAfterAComma() throws {
        let s = SessionHarness(width: 100)
        #expect(s.run("help batchnorm"), "\(s.errors)")
        let lines = s.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "batchnorm(C, eps: 1e-05, momentum: 0.1, affine: true, track_running_stats: true,")
        #expect(lines[1] == "          convention: \"pytorch\")")
    }

    @Test func everyHelpPageWrapsBetweenWordsAtAnyWidth() {
        for width in 40...120 {
            for command in CommandTable.all {
                let text = Help.details(command, width: width)
                for line in text.split(separator: "\n") {
                    let words = line.drop { $0 == " " }
                    // Only a single word longer than the line may stick out.
                    #expect(line.count <= width || !words.contains(" "), "help \(command.name) at \(width): \(line)")
                    #expect(line.filter { $0 == "\"" }.count % 2 == 0, "help \(command.name) at \(width) breaks a string: \(line)")
                }
            }
        }
    }

    @Test func aLongQuotedStringStaysWholeWhenItFits() {
        let lines = TextWrap.wrap("example: exercise(\"What is the mean of y?\", answer: mean(y))", width: 30)
        #expect(lines == ["example: exercise(", "\"What is the mean of y?\",", "answer: mean(y))"])
        #expect(TextWrap.truncate("a histogram of x, or of x and y", width: 20) == "a histogram of x,…")
    }

    /// Signatures name what may be left out `name?`, defaults as written, and never ` = ,` or `""`.
    @Test func signaturesReadCleanly() {
        let usage = Dictionary(uniqueKeysWithValues: CommandTable.all.map { ($0.name, $0.usage) })
        #expect(usage["exercise"] == "exercise(question, answer?, within: 0.001, hint?, solution?, write?, task?)")
        #expect(usage["hist"] == "hist(x, y?, bins: 20, range?, channel?, normal: false)")
        #expect(usage["spirals"] == "spirals(n = 300, classes: 3, noise: 0.2)")
        #expect(usage["step"] == "step(layer, x, at?)")
        for (name, text) in usage {
            #expect(!text.contains("= ,") && !text.contains("= )") && !text.contains("\"\"") && !text.contains(": none"),
                    "\(name): \(text)")
        }
        let s = SessionHarness()
        #expect(s.run("help exercise"), "\(s.errors)")
        #expect(s.text.contains("    hint      optional       shown after a wrong answer"), "\(s.text)")
    }
}
