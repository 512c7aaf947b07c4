import BatchNormKit

/// Where the language sends what it prints, so the same interpreter serves the terminal,
/// a pipe, a file run and a test that captures a whole session as text.
public struct Console {
    /// Where normal output goes, already fitted to `width`: one or more complete lines,
    /// without the final newline. Commands call `print`, which fits the lines first.
    public var write: (String) -> Void
    /// Errors and warnings, already formatted by the runner.
    public var printError: (String) -> Void
    /// Polled between statements and loop iterations: true once Ctrl-C was pressed.
    public var isInterrupted: () -> Bool
    /// True on an interactive terminal: carets under errors, colour (unless NO_COLOR).
    public var isTerminal: Bool
    public var useColor: Bool
    /// Columns available for tables and tensors (80 when not a terminal).
    public var width: Int
    /// Plain ASCII plots (`--ascii`, or a locale that is not UTF-8).
    public var ascii: Bool
    /// Shows `prompt` and waits for the learner before `step` goes on; false means stop (`q`).
    /// Nil when nobody is there to press Enter (a pipe, a file): every stage prints at once.
    public var waitForContinue: ((String) -> Bool)?
    /// Reads the learner's answer to an exercise (nil at end of input). Nil when nobody can
    /// answer: exercises then print their solution.
    public var ask: ((String) -> String?)?
    /// Keeps an answer typed at `ask` (a whole `def`, however many lines it took) in the line
    /// editor's history for this session, so Up brings back an earlier attempt. Nil when input is
    /// not typed. Answers are not written to the history file: they are not commands for the prompt.
    public var remember: ((String) -> Void)?
    /// Shows a one-line status that the next call replaces (nil erases it); nil when the output
    /// is not a terminal, so pipes and logs never see progress bars.
    public var progress: ((String?) -> Void)?
    /// This session's entries typed at the prompt, oldest first, a statement typed over several
    /// lines as one entry (`history`). Nil when input is not typed (a pipe, a file, `-c`).
    public var history: (() -> [String])?
    /// `--no-pause`: lessons run straight through even on a terminal.
    public var skipPauses = false
    /// When set, `load` and `save` reach only files inside this folder and its subfolders: a
    /// relative path is taken relative to it ("." is the working folder, as bnlab sets it unless
    /// `--files-anywhere`), and a path leading outside — absolute, through `..` or a symbolic
    /// link — is refused. The fuzzer runs the language inside a scratch folder this way.
    public var sandboxFolder: String?

    public init(print: @escaping (String) -> Void, printError: @escaping (String) -> Void,
                isInterrupted: @escaping () -> Bool = { false }, isTerminal: Bool = false,
                useColor: Bool = false, width: Int = 80, ascii: Bool = false,
                waitForContinue: ((String) -> Bool)? = nil) {
        self.write = print
        self.printError = printError
        self.isInterrupted = isInterrupted
        self.isTerminal = isTerminal
        self.useColor = useColor
        self.width = width
        self.ascii = ascii
        self.waitForContinue = waitForContinue
    }

    /// Prints normal output. A line wider than the window — prose, a header, a long formula —
    /// is broken at spaces (see `LineFit`); renderers that lay out tables fit themselves first.
    ///
    /// Control characters — from a lesson someone else wrote, a string, a file — are shown
    /// escaped (`\e`), so nothing printed can clear the screen or retitle the window.
    public func print(_ text: String) {
        write(LineFit.fit(ControlCharacters.escaped(text, keepingLayout: true), width: width))
    }
}
