import BatchNormKit
import CReadline
import LabShell
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Set by Ctrl-C while a statement runs; the interpreter polls it between statements and loop turns.
let interruptRequested = Atomic<Bool>(false)
/// True while readline waits for a line, so Ctrl-C clears the line instead of interrupting.
let readingAtPrompt = Atomic<Bool>(false)
/// Set when Ctrl-C cleared the line at the prompt, so a half-entered statement is dropped too.
let promptCancelled = Atomic<Bool>(false)
/// True while a statement waits at a pause (`step`, a lesson) or an exercise's `answer>`:
/// Ctrl-C then ends the wait and interrupts the statement, instead of clearing a prompt line.
let waitingInStatement = Atomic<Bool>(false)
/// Set by Ctrl-C during such a wait: the key reader then hands readline an Enter, ending the read.
let endWait = Atomic<Bool>(false)

/// The interactive prompt: GNU readline with history, Tab completion and the Ctrl-C / Ctrl-D
/// habits of Python's and sqlite3's shells.
struct InteractiveShell {
    static let primaryPrompt = Prompt.primary
    static let continuationPrompt = Prompt.continuation
    static let historyLimit: Int32 = 1000

    let interpreter: Interpreter
    let terminal: Terminal

    func run() {
        interpreter.console = terminal.console(interactive: true) { interruptRequested.load(ordering: .relaxed) }
        let runner = ScriptRunner(interpreter: interpreter, sourceName: "<stdin>")
        // The terminal already shows what was typed; only a lesson started here echoes its code.
        runner.echoesLessons = false
        configureReadline(completer: Completer(interpreter: interpreter))
        Self.installInterruptHandler()
        interruptRequested.store(false, ordering: .relaxed)
        let history = PromptHistory(path: historyPath())
        interpreter.console.history = { history.entries }
        interpreter.console.print("BatchNorm Lab \(BatchNormLab.version): type help for commands, Ctrl-D to leave.")

        runner.willFeed = { text in
            interruptRequested.store(false, ordering: .relaxed)
            history.add(line: text)
        }
        // One entry per statement, however many prompts it took, added before it runs.
        runner.entryComplete = { history.commitEntry() }
        while !interpreter.exitRequested {
            promptCancelled.store(false, ordering: .relaxed)
            readingAtPrompt.store(true, ordering: .relaxed)
            let raw = readline(runner.isWaitingForMore ? Self.continuationPrompt : Self.primaryPrompt)
            readingAtPrompt.store(false, ordering: .relaxed)
            guard let raw else {
                // Ctrl-D: leave, reporting a statement left open, as Python does.
                fputs("\n", bnlab_stderr())
                runner.finish()
                break
            }
            // One line, or a pasted block with newlines inside: the runner splits it.
            let bytes = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw))) + [UInt8(ascii: "\n")]
            free(raw)
            if promptCancelled.load(ordering: .relaxed) {
                runner.discardPending()
                history.discardTyped()
            }
            interpreter.console.width = terminal.width  // the window may have been resized
            runner.feed(bytes: bytes)
            // Whatever did not become an entry (an unreadable line) is not kept for the next one.
            if !runner.isWaitingForMore { history.discardTyped() }
        }
        history.truncateFile(to: Self.historyLimit)
    }

    /// Between the stages of `step` and at a lesson's pause: one key acts at once — `q` (or
    /// Ctrl-D) stops, Ctrl-C interrupts, Enter, Space or any other key goes on. Where the terminal
    /// mode cannot be set, a line is read as before. Not added to history.
    static func waitForContinue(_ prompt: String) -> Bool {
        let key = KeyPress.wait(prompt: prompt) { interruptRequested.load(ordering: .relaxed) }
        switch key {
        case .goOn: return true
        case .stop: return false
        case .interrupt:
            interruptRequested.store(true, ordering: .relaxed)
            return false
        case nil: break
        }
        guard let answer = waitInStatement(prompt) else { return false }
        let word = answer.filter { !$0.isWhitespace }.lowercased()
        return !(word == "q" || word == "quit")
    }

    /// An exercise's answer: one line, not added to history; nil at Ctrl-D.
    static func readAnswer(_ prompt: String) -> String? {
        waitInStatement(prompt)
    }

    /// An answer into readline's history for this session only (not the file, not `history`).
    static func rememberAnswer(_ entry: String) {
        // The same attempt again (recalled and re-run) is not kept twice, as at the prompt.
        guard !entry.allSatisfy(\.isWhitespace), entry != lastAnswer.withLock({ $0 }) else { return }
        lastAnswer.withLock { $0 = entry }
        add_history(entry)
    }

    private static let lastAnswer = Mutex("")

    /// One line read inside a running statement; nil at Ctrl-D, and at Ctrl-C, which also marks
    /// the statement interrupted so it stops and the prompt returns.
    private static func waitInStatement(_ prompt: String) -> String? {
        readingAtPrompt.store(true, ordering: .relaxed)
        waitingInStatement.store(true, ordering: .relaxed)
        defer {
            readingAtPrompt.store(false, ordering: .relaxed)
            waitingInStatement.store(false, ordering: .relaxed)
        }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return interruptRequested.load(ordering: .relaxed) ? nil : String(cString: raw)
    }

    /// `BNLAB_HISTORY`, else `~/.bnlab_history`; none when there is no home directory.
    private func historyPath() -> String? {
        if let path = ProcessInfoLite.environment("BNLAB_HISTORY"), !path.isEmpty { return path }
        guard let home = ProcessInfoLite.environment("HOME"), !home.isEmpty else { return nil }
        return home + "/.bnlab_history"
    }

    private func configureReadline(completer: Completer) {
        completionSource = completer
        // readline keeps these pointers, so they must outlive the call: strdup'd once, never freed.
        bnlab_rl_set_readline_name(strdup("bnlab"))
        // readline's own UI (prompt, redisplay) goes to stderr, so `bnlab > out.txt` on a
        // terminal keeps prompts and escape codes out of the file.
        bnlab_rl_set_outstream(bnlab_stderr())
        bnlab_rl_set_word_break_characters(strdup(" \t\n()[]{},;:=+-*/.#"))
        bnlab_rl_set_completer_quote_characters(strdup("\"'"))
        bnlab_rl_set_completer(attemptCompletion)
        bnlab_rl_set_getc(readKey)
        using_history()
    }

    /// Ctrl-C sets `interruptRequested` (or clears the line at the prompt) instead of ending bnlab.
    static func installInterruptHandler() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleInterrupt
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }
}

/// Ctrl-C. readline defers the signal and re-raises it from its own input loop, so at the
/// prompt this runs where readline's functions may be called: it clears the line and shows a
/// fresh primary prompt. While a statement runs it only sets the flag the interpreter polls.
private func handleInterrupt(_ signal: Int32) {
    if waitingInStatement.load(ordering: .relaxed) {
        // At a pause or answer>: end the wait now and interrupt the statement that waits.
        interruptRequested.store(true, ordering: .relaxed)
        endWait.store(true, ordering: .relaxed)
        fputs("\n", bnlab_stderr())
        rl_replace_line("", 0)
    } else if readingAtPrompt.load(ordering: .relaxed) {
        promptCancelled.store(true, ordering: .relaxed)
        fputs("\n", bnlab_stderr())  // readline has already echoed ^C
        rl_on_new_line()
        rl_replace_line("", 0)
        rl_set_prompt(InteractiveShell.primaryPrompt)
        rl_redisplay()
    } else {
        interruptRequested.store(true, ordering: .relaxed)
    }
}

/// readline's own key reader, with one addition: after a signal has been handled (readline runs
/// the handlers from here, as its default reader does), a Ctrl-C that ended a wait returns Enter
/// so readline's `readline()` returns instead of reading on.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    let descriptor = stream.map { fileno($0) } ?? STDIN_FILENO
    while true {
        rl_check_signals()
        if endWait.exchange(false, ordering: .relaxed) { return 10 }
        var byte: UInt8 = 0
        let count = read(descriptor, &byte, 1)
        if count == 1 { return Int32(byte) }
        if count == 0 || errno != EINTR { return EOF }
    }
}

// MARK: - Tab completion

/// readline's callbacks are C function pointers that capture nothing, so the session they
/// complete against lives here. Only the main thread touches it.
nonisolated(unsafe) private var completionSource: Completer?
nonisolated(unsafe) private var completionMatches: [String] = []

private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let text, let source = completionSource, let buffer = bnlab_rl_line_buffer() else { return nil }
    completionMatches = source.candidates(line: String(cString: buffer), wordStart: Int(start), prefix: String(cString: text))
    // Inside a string a parameter's words (`norm: "ba`) if it takes some, else readline's file names (`load("ac`).
    if bnlab_rl_completion_quote_character() != 0, completionMatches.isEmpty { return nil }
    bnlab_rl_suppress_filename_completion()
    return rl_completion_matches(text, completionGenerator)
}

private func completionGenerator(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let index = Int(state)
    guard index < completionMatches.count else { return nil }
    return strdup(completionMatches[index])
}
