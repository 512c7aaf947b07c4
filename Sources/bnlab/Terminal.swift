import CReadline
import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// What bnlab knows about where it runs: which streams are terminals, how wide the screen is,
/// and whether colour is allowed (only on a terminal, never with NO_COLOR or --no-color).
struct Terminal {
    let stdinIsTerminal = isatty(STDIN_FILENO) == 1
    let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    let useColor: Bool

    init(noColorFlag: Bool) {
        let noColorVariable = ProcessInfoLite.environment("NO_COLOR").map { !$0.isEmpty } ?? false
        useColor = stdoutIsTerminal && !noColorFlag && !noColorVariable
            && ProcessInfoLite.environment("TERM") != "dumb"
    }

    /// Columns: the terminal's own width, else COLUMNS, else 80.
    var width: Int {
        var size = winsize()
        if stdoutIsTerminal, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        if let columns = ProcessInfoLite.environment("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    /// A console that writes to stdout/stderr, flushing stdout first so the two interleave
    /// in order when both go to the same file.
    func console(interactive: Bool, isInterrupted: @escaping () -> Bool = { false }) -> Console {
        Console(
            print: { text in
                fputs(text, bnlab_stdout())
                fputs("\n", bnlab_stdout())
            },
            printError: { text in
                fflush(bnlab_stdout())
                fputs(text, bnlab_stderr())
                fputs("\n", bnlab_stderr())
            },
            isInterrupted: isInterrupted,
            isTerminal: interactive,
            useColor: interactive && useColor,
            width: width)
    }
}
