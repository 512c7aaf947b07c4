import ArgumentParser
import BatchNormKit
import CMalloc
import CReadline
import LabShell

#if canImport(Glibc)
import Glibc
#endif

/// The `bnlab` command: flags, then one of four ways in — `-c`, files, a pipe, or the prompt.
@main
struct Bnlab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bnlab",
        abstract: "BatchNorm Lab: build tensors, step through Batch Normalization, and check every number against PyTorch.",
        usage: "bnlab [OPTIONS] [FILE ...]",
        discussion: """
        With no FILE and a terminal on stdin, bnlab starts an interactive prompt (type help). \
        Commands piped on stdin run with no prompt. Errors print as FILE:LINE:COL: error: MESSAGE \
        and stop the run with exit status 1, unless --keep-going.

        Environment: BNLAB_HISTORY (history file, default ~/.bnlab_history), NO_COLOR, \
        BNLAB_MAX_ELEMENTS (tensor size cap, default \(TensorLimits.defaultMaxElements)), \
        BNLAB_DATA and BNLAB_LESSONS (the data/ and lessons/ folders; default: beside the \
        bnlab executable, else the checkout it was built in).

        Benchmark: bnlab bench [--threads N] [--json] (see bnlab bench --help).
        """,
        version: "bnlab \(BatchNormLab.version)"
    )

    /// `bnlab bench …` is its own command; anything else is a session (a file may still be named
    /// bench: write ./bench).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "bench" {
            BenchCommand.main(Array(arguments.dropFirst()))
        } else {
            Self.main(arguments)
        }
    }

    // `.unconditional`: the value is the next word even when it starts with '-' (`-c '-1'`).
    @Option(name: .short, parsing: .unconditional,
            help: ArgumentHelp("Run COMMANDS (statements separated by ';' or newlines).", valueName: "COMMANDS"))
    var command: String?

    @Flag(name: .long, help: "Run on after an error; exit 1 at the end if any statement failed.")
    var keepGoing = false

    @Flag(name: .shortAndLong, help: "Start the interactive prompt after running -c or the files.")
    var interactive = false

    @Flag(name: .long, help: "Never colour the output (also: NO_COLOR=1).")
    var noColor = false

    @Flag(name: .long, help: "Draw plots with plain ASCII (automatic when the locale is not UTF-8).")
    var ascii = false

    @Flag(name: .long, help: "Run lessons straight through: do not wait at their pause points.")
    var noPause = false

    @Flag(name: .long, help: "Let load and save reach files outside the folder bnlab was started in (by default they are kept inside it and its subfolders, so a lesson from someone else cannot read or replace other files).")
    var filesAnywhere = false

    @Option(name: .long, parsing: .unconditional,
            help: ArgumentHelp("Largest tensor, in elements (default 2^28 = 1 GiB of float32).", valueName: "N"))
    var maxElements: Int?

    @Argument(help: "Lesson or script files to run, in order, in one session.")
    var files: [String] = []

    mutating func run() throws {
        _ = bnlab_keep_freed_buffers()
        if let limit = maxElements {
            guard limit > 0 else { throw ValidationError("--max-elements must be a positive number, got \(limit)") }
            TensorLimits.maxElements = limit
        } else if let text = ProcessInfoLite.environment("BNLAB_MAX_ELEMENTS"), !text.isEmpty {
            guard let limit = Int(text), limit > 0 else {
                throw ValidationError("BNLAB_MAX_ELEMENTS must be a positive whole number, got '\(text)'")
            }
            TensorLimits.maxElements = limit
        }
        let terminal = Terminal(noColorFlag: noColor, asciiFlag: ascii, noPause: noPause, filesAnywhere: filesAnywhere)
        // With a prompt to follow (-i on a terminal), Ctrl-C during -c or the files stops them and
        // the prompt starts, as it would for a statement typed there; otherwise Ctrl-C ends bnlab.
        let promptFollows = interactive && terminal.stdinIsTerminal
        if promptFollows { InteractiveShell.installInterruptHandler() }
        let console = terminal.console(interactive: false) { promptFollows && interruptRequested.load(ordering: .relaxed) }
        let interpreter = Interpreter(console: console, configuration: .locate())
        var failed = false
        var ranSomething = false

        if let command {
            ranSomething = true
            failed = !BatchInput.run(text: command, name: "<command>", interpreter: interpreter, keepGoing: keepGoing) || failed
        }
        for file in files where !interpreter.exitRequested && (!failed || keepGoing) {
            ranSomething = true
            failed = !BatchInput.run(path: file, interpreter: interpreter, keepGoing: keepGoing) || failed
        }
        if !ranSomething && !terminal.stdinIsTerminal {
            failed = !BatchInput.run(fileDescriptor: STDIN_FILENO, name: "<stdin>", interpreter: interpreter, keepGoing: keepGoing)
        } else if (!ranSomething || interactive) && !interpreter.exitRequested {
            if terminal.stdinIsTerminal {
                InteractiveShell(interpreter: interpreter, terminal: terminal).run()
                return
            }
        }
        try OutputCheck.flushOrFail()
        if failed { throw ExitCode(1) }
    }
}

/// Output that could not be written (a full disk, a closed stdout) is never lost silently: bnlab
/// says so on stderr and exits 1. A reader that left a pipe is SIGPIPE's business, as for any tool.
enum OutputCheck {
    static func flushOrFail() throws {
        let out = bnlab_stdout()
        if fflush(out) != 0 || ferror(out) != 0 {
            let reason = String(cString: strerror(errno))
            fputs("bnlab: could not write the output: \(reason)\n", bnlab_stderr())
            throw ExitCode(1)
        }
    }
}

/// Environment lookup without Foundation, which keeps start-up fast.
enum ProcessInfoLite {
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
