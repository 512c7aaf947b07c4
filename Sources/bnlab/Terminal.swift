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
    /// Plain ASCII plots: asked for, or the locale cannot show Unicode blocks.
    let ascii: Bool
    let noPause: Bool
    /// `--files-anywhere`: `load` and `save` may reach files outside the starting folder.
    let filesAnywhere: Bool

    init(noColorFlag: Bool, asciiFlag: Bool = false, noPause: Bool = false, filesAnywhere: Bool = false) {
        self.noPause = noPause
        self.filesAnywhere = filesAnywhere
        ascii = asciiFlag || !Terminal.localeIsUTF8
        let noColorVariable = ProcessInfoLite.environment("NO_COLOR").map { !$0.isEmpty } ?? false
        useColor = stdoutIsTerminal && !noColorFlag && !noColorVariable
            && ProcessInfoLite.environment("TERM") != "dumb"
    }

    /// The locale the C library would use (LC_ALL, then LC_CTYPE, then LANG) names UTF-8.
    /// No locale at all is POSIX, which is ASCII.
    static var localeIsUTF8: Bool {
        for variable in ["LC_ALL", "LC_CTYPE", "LANG"] {
            guard let value = ProcessInfoLite.environment(variable), !value.isEmpty else { continue }
            let lowered = value.lowercased()
            return lowered.contains("utf-8") || lowered.contains("utf8")
        }
        return false
    }

    /// Columns: on a terminal its own width (the ioctl, else COLUMNS); 80 when output is not a
    /// terminal, so piped output and lesson transcripts do not depend on the window.
    var width: Int {
        guard stdoutIsTerminal else { return 80 }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = ProcessInfoLite.environment("COLUMNS").flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

    /// A console that writes to stdout/stderr, flushing stdout first so the two interleave
    /// in order when both go to the same file.
    func console(interactive: Bool, isInterrupted: @escaping () -> Bool = { false }) -> Console {
        let pause: ((String) -> Bool)? = interactive ? { InteractiveShell.waitForContinue($0) } : nil
        let ask: ((String) -> String?)? = interactive ? { InteractiveShell.readAnswer($0) } : nil
        var console = Console(
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
            width: width,
            ascii: ascii,
            waitForContinue: pause)
        console.ask = ask
        if interactive { console.remember = { InteractiveShell.rememberAnswer($0) } }
        console.skipPauses = noPause
        // The folder bnlab was started in (the language has no way to change it).
        console.sandboxFolder = filesAnywhere ? nil : "."
        // A progress line only where a person watches: both streams on a terminal. "\r" and
        // erase-line redraw it in place; it goes to stderr so it never mixes into output.
        if stdoutIsTerminal, isatty(STDERR_FILENO) == 1 {
            console.progress = { text in
                fflush(bnlab_stdout())
                fputs("\r\u{1B}[K" + (text ?? ""), bnlab_stderr())
                fflush(bnlab_stderr())
            }
        }
        return console
    }
}
