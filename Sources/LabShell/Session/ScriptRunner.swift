import BatchNormKit

/// The one way lines reach the interpreter, whatever they come from: the prompt, a pipe, a file,
/// `-c`, a lesson, the fuzzer or a test. It decodes bytes into lines (`LineDecoder`: UTF-8, CR LF,
/// the statement-size limit), gathers lines while a bracket or brace is open, then runs the chunk;
/// errors and warnings are printed with the source name and position, as
/// `FILE:LINE:COL: error: MESSAGE`, or with a caret under the column on a terminal.
///
/// Runners nest: a lesson started by a statement of the prompt's runner gets its own runner on the
/// same interpreter, which reports the lesson's warnings and errors while its statements run.
public final class ScriptRunner {
    public let interpreter: Interpreter
    public let sourceName: String
    /// Stop reading at the first statement that fails (files and pipes without `--keep-going`, lessons).
    public let stopsAtFirstError: Bool
    /// Called with each decoded line of text just before it is fed (the prompt keeps its history).
    public var willFeed: ((String) -> Void)?
    /// On a terminal, errors still start with FILE:LINE:COL: set for a file run from the prompt
    /// (`run`, `lesson`), whose errors would otherwise look like the prompt's own.
    var namesFileOnTerminal = false
    /// Called when the lines fed since the last call form one whole entry — a complete statement
    /// about to run, a narration line, or a statement that failed to scan — before it runs. The
    /// prompt adds the entry, however many lines it took, to its history as one.
    public var entryComplete: (() -> Void)?
    /// Set when this source is a lesson: its title and pause step, for the pause prompt.
    var lesson: LessonProgress?
    /// A lesson shows each statement of code before its output, as the prompt would show it
    /// (`StatementEcho`). A source is a lesson when `lesson N` runs it or its first line is
    /// narration, as every lesson file's is; the prompt's own runner turns this off, since the
    /// terminal already shows what was typed.
    public var echoesLessons = true
    /// Whether the first line that was not blank was narration; nil before that line.
    private var opensWithNarration: Bool?
    private var echoes: Bool { echoesLessons && (lesson != nil || opensWithNarration == true) }
    private var decoder = LineDecoder()
    private var pending: [String] = []
    private var pendingBytes = 0
    /// Brackets the pending lines leave open: the statement is complete when none are.
    private var pendingOpen: [Lexer.OpenBracket] = []
    private var pendingFirstLine = 1
    /// The number the next fed line will get.
    public private(set) var nextLineNumber = 1
    public private(set) var errorCount = 0

    public enum FeedResult: Equatable {
        /// A statement (or several) ran; false when it reported an error.
        case ran(succeeded: Bool)
        /// The statement continues on the next line: show the continuation prompt.
        case needsMore
    }

    /// A lesson's place, shown by `pause`: "[lesson 3/12 · step 2/5]".
    struct LessonProgress {
        var title: String
        var step = 1
        var steps: Int
    }

    public init(interpreter: Interpreter, sourceName: String, firstLine: Int = 1, stopsAtFirstError: Bool = false) {
        self.interpreter = interpreter
        self.sourceName = sourceName
        self.nextLineNumber = firstLine
        self.stopsAtFirstError = stopsAtFirstError
    }

    // MARK: - Bytes in

    /// Runs a whole input — `bytes`, then the end of input. True when no statement of it failed.
    @discardableResult
    public func run<Bytes: Sequence>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let errorsBefore = errorCount
        guard feed(bytes: bytes) else { return false }
        return finish() && errorCount == errorsBefore
    }

    /// Decodes the next bytes of input and feeds every line they complete; a line typed at the
    /// prompt comes with its newline. Lines after `exit` are not run. False when this source
    /// stops at its first error and a statement failed: the rest of the input is not read.
    @discardableResult
    public func feed<Bytes: Sequence>(bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        feed(lines: decoder.push(bytes))
    }

    private func feed(lines: [LineDecoder.Line]) -> Bool {
        for line in lines {
            if interpreter.exitRequested { break }
            let result: FeedResult
            switch line {
            case .text(let text):
                willFeed?(text)
                result = feed(text)
            case .unreadable(let message, let column):
                result = feedUnreadable(message, column: column)
            }
            if result == .ran(succeeded: false) && stopsAtFirstError {
                decoder = LineDecoder()
                return false
            }
        }
        return true
    }

    // MARK: - Lines in

    public var isWaitingForMore: Bool { !pending.isEmpty }

    /// Forgets a half-entered statement (Ctrl-C at the continuation prompt).
    public func discardPending() {
        pending = []
        pendingBytes = 0
        pendingOpen = []
    }

    /// Adds one line of input (without its newline) and runs whatever became complete.
    public func feed(_ line: String) -> FeedResult {
        if opensWithNarration == nil, !line.allSatisfy(\.isWhitespace) { opensWithNarration = Narration.text(of: line) != nil }
        if pending.isEmpty, let prose = Narration.text(of: line) {
            nextLineNumber += 1
            entryComplete?()
            for paragraph in narration.add(prose) { interpreter.console.print(Narration.wrap(paragraph, width: interpreter.console.width)) }
            return .ran(succeeded: true)
        }
        flushNarration()
        let line = pending.isEmpty ? Self.helpShorthand(line) ?? line : line
        let number = nextLineNumber
        nextLineNumber += 1
        if pending.isEmpty { pendingFirstLine = number }
        pending.append(line)
        pendingBytes += line.utf8.count + 1
        guard pendingBytes <= LanguageLimits.maxStatementBytes else {
            discardPending()
            return fail(LabError(.limit, "statement longer than \(LanguageLimits.maxStatementBytes >> 20) MiB", at: SourcePosition(line: number, column: 1)))
        }
        // Only the new line is scanned and the statement is joined once, when it is complete, so
        // assembling an n-line statement costs O(n), not O(n²).
        do {
            pendingOpen = try Lexer.scan(line, firstLine: number, open: pendingOpen).openBrackets
            if !pendingOpen.isEmpty { return .needsMore }
        } catch {
            let text = pending.joined(separator: "\n")
            discardPending()
            entryComplete?()
            echo(text, nil)
            return fail(error, source: text, firstLine: pendingFirstLine)
        }
        entryComplete?()
        let text = pending.joined(separator: "\n")
        let firstLine = pendingFirstLine
        discardPending()
        // This runner reports what the statement warns about, for as long as it runs.
        let outer = interpreter.activeSource
        interpreter.activeSource = self
        defer { interpreter.activeSource = outer }
        do throws(LabError) {
            let statements: [Statement]
            do throws(LabError) {
                statements = try interpreter.parse(text, firstLine: firstLine)
            } catch {
                echo(text, nil)
                throw error
            }
            echo(text, statements)
            running = (text, firstLine)
            defer { running = nil }
            // A file run from inside a function (`run`, `lesson`) runs at the session's level.
            let frames = interpreter.frames
            interpreter.frames = []
            defer { interpreter.frames = frames }
            try interpreter.run(statements)
            return .ran(succeeded: true)
        } catch {
            return fail(error, source: text, firstLine: firstLine)
        }
    }

    /// A lesson's statement as the prompt would show it, before its output (or its error).
    private func echo(_ text: String, _ statements: [Statement]?) {
        guard echoes, StatementEcho.shows(text, statements, in: interpreter) else { return }
        interpreter.console.print(StatementEcho.text(of: text, width: interpreter.console.width))
    }

    /// A line the decoder could not turn into text (invalid UTF-8, too long): an error at that line.
    public func feedUnreadable(_ message: String, column: Int? = nil) -> FeedResult {
        let number = nextLineNumber
        nextLineNumber += 1
        discardPending()
        return fail(LabError(.syntax, message, at: SourcePosition(line: number, column: column ?? 1)))
    }

    /// Prints a paragraph of narration still being gathered (code, or the end, closes it).
    public func flushNarration() {
        if let paragraph = narration.flush() { interpreter.console.print(Narration.wrap(paragraph, width: interpreter.console.width)) }
    }

    private var narration = Narration.Paragraph()

    /// The statement running now, whole: a def keeps its own lines, for errors inside it later.
    private var running: (text: String, firstLine: Int)?

    /// Lines `range` of the running statement (all of them lie in it for a def it holds).
    func runningLines(_ range: ClosedRange<Int>) -> [String] {
        guard let running else { return [] }
        let lines = running.text.split(separator: "\n", omittingEmptySubsequences: false)
        return range.compactMap { line in
            let index = line - running.firstLine
            return lines.indices.contains(index) ? String(lines[index]) : nil
        }
    }

    /// End of input: runs the last line if it had no newline, prints the narration still being
    /// gathered; a statement still open is an error (its bracket is named). False when a
    /// statement was left open, or the last line failed and this source stops at its first error.
    @discardableResult
    public func finish() -> Bool {
        guard feed(lines: decoder.finish()) else { return false }
        flushNarration()
        guard !pending.isEmpty, let open = pendingOpen.last else { return true }
        discardPending()
        _ = fail(LabError(.syntax, "unexpected end of input: '\(open.symbol.rawValue)' opened here is never closed", at: open.location))
        return false
    }

    // MARK: - Reporting

    private var lastSource: (text: String, firstLine: Int)?

    private func fail(_ error: LabError, source: String? = nil, firstLine: Int = 1) -> FeedResult {
        errorCount += 1
        if error.kind == .reported { return .ran(succeeded: false) }
        if error.kind == .check {
            let file = error.trace?.file ?? sourceName
            let place = error.location.map { "\(file):\($0.line)" } ?? file
            interpreter.console.printError("\(place): check failed: \(error.messageWithCalls)")
            return .ran(succeeded: false)
        }
        if error.kind == .interrupted {
            interpreter.console.printError(interpreter.console.isTerminal ? "interrupted" : "\(sourceName): interrupted")
            return .ran(succeeded: false)
        }
        lastSource = source.map { ($0, firstLine) }
        report("error", error.messageWithCalls, at: error.location, trace: error.trace)
        return .ran(succeeded: false)
    }

    /// A warning from the statement this runner is running (the interpreter's `warn`).
    func reportWarning(_ message: String, at location: SourcePosition?, trace: CallTrace? = nil) {
        report("warning", message + (trace?.suffix ?? ""), at: location, trace: trace)
    }

    /// With a `trace`, the position is in the innermost function's file, and that file's line gets the caret.
    private func report(_ severity: String, _ message: String, at location: SourcePosition?, trace: CallTrace? = nil) {
        let console = interpreter.console
        // Text quoted from a file or a string never reaches the terminal as control characters.
        let message = ControlCharacters.escaped(message, keepingLayout: true)
        let sourceName = trace?.file ?? self.sourceName
        if !console.isTerminal {
            let place = location.map { "\(sourceName):\($0.line):\($0.column)" } ?? sourceName
            console.printError("\(place): \(severity): \(message)")
            return
        }
        let label = console.useColor ? (severity == "error" ? "\u{1B}[1;31merror\u{1B}[0m" : "\u{1B}[1;33mwarning\u{1B}[0m") : severity
        let namesFile = namesFileOnTerminal || sourceName != self.sourceName
        let place = namesFile ? location.map { "\(sourceName):\($0.line):\($0.column): " } ?? "\(sourceName): " : ""
        // On a terminal the message wraps at words; piped, a diagnostic stays one
        // `FILE:LINE:COL: error: …` line that editors and grep can read.
        var text = LineFit.fit("\(place)\(label): \(message)", width: console.width)
        let line = trace.map { trace in (text: trace.lineText ?? "", firstLine: location?.line ?? 0) }
        if let location, let caret = caretLines(for: location, in: line ?? lastSource) { text += "\n" + caret }
        console.printError(text)
    }

    /// The offending line with a caret under the column, when that line is known.
    private func caretLines(for location: SourcePosition, in source: (text: String, firstLine: Int)?) -> String? {
        guard let source, !source.text.isEmpty else { return nil }
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = location.line - source.firstLine
        guard lines.indices.contains(index) else { return nil }
        let line = ControlCharacters.escaped(String(lines[index]))
        guard line.unicodeScalars.count <= 200 else { return nil }
        let prefix = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "  " + line + "\n  " + prefix + "^"
    }
}

extension ScriptRunner {
    /// `?name` and `name?`, IPython's way to ask about something, mean `help name`.
    static func helpShorthand(_ line: String) -> String? {
        let trimmed = line.trimmingTrailingSpaces().drop { $0 == " " }
        let name: Substring
        if trimmed.hasPrefix("?") { name = trimmed.dropFirst() } else if trimmed.hasSuffix("?") { name = trimmed.dropLast() } else { return nil }
        guard let first = name.unicodeScalars.first, Lexer.startsName(first),
              name.unicodeScalars.allSatisfy({ Lexer.startsName($0) || ("0"..."9").contains($0) }) else { return nil }
        return "help " + name
    }
}
