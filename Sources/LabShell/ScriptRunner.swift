/// Feeds lines to the interpreter one complete statement at a time, whatever they come from:
/// the prompt, a pipe, a file or `-c`. Lines are gathered while a bracket or brace is open,
/// then the chunk runs; errors and warnings are printed with the source name and position,
/// as `FILE:LINE:COL: error: MESSAGE`, or with a caret under the column on a terminal.
public final class ScriptRunner {
    public let interpreter: Interpreter
    public let sourceName: String
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

    public init(interpreter: Interpreter, sourceName: String, firstLine: Int = 1) {
        self.interpreter = interpreter
        self.sourceName = sourceName
        self.nextLineNumber = firstLine
        interpreter.warningHandler = { [unowned self] message, location in
            self.report("warning", message, at: location)
        }
    }

    public var isWaitingForMore: Bool { !pending.isEmpty }

    /// Forgets a half-entered statement (Ctrl-C at the continuation prompt).
    public func discardPending() {
        pending = []
        pendingBytes = 0
        pendingOpen = []
    }

    /// Adds one line of input (without its newline) and runs whatever became complete.
    public func feed(_ line: String) -> FeedResult {
        if pending.isEmpty, let prose = Narration.text(of: line) {
            nextLineNumber += 1
            for paragraph in narration.add(prose) { interpreter.console.print(Narration.wrap(paragraph, width: interpreter.console.width)) }
            return .ran(succeeded: true)
        }
        flushNarration()
        let number = nextLineNumber
        nextLineNumber += 1
        if pending.isEmpty { pendingFirstLine = number }
        pending.append(line)
        pendingBytes += line.utf8.count + 1
        guard pendingBytes <= LanguageLimits.maxStatementBytes else {
            discardPending()
            return fail(LabError(.limit, "statement longer than \(LanguageLimits.maxStatementBytes >> 20) MiB", at: SourcePosition(line: number, column: 1)))
        }
        let text = pending.joined(separator: "\n")
        do {
            pendingOpen = try Lexer.scan(line, firstLine: number, open: pendingOpen).openBrackets
            if !pendingOpen.isEmpty { return .needsMore }
        } catch {
            discardPending()
            return fail(error, source: text, firstLine: pendingFirstLine)
        }
        let firstLine = pendingFirstLine
        discardPending()
        do throws(LabError) {
            try interpreter.run(text, firstLine: firstLine)
            return .ran(succeeded: true)
        } catch {
            return fail(error, source: text, firstLine: firstLine)
        }
    }

    /// A line the decoder could not turn into text (invalid UTF-8, too long): an error at that line.
    public func feedUnreadable(_ message: String, column: Int? = nil) -> FeedResult {
        let number = nextLineNumber
        nextLineNumber += 1
        discardPending()
        return fail(LabError(.syntax, message, at: SourcePosition(line: number, column: column ?? 1)))
    }

    /// End of input: a statement still open is an error (its bracket is named).
    /// Prints a paragraph of narration still being gathered (code, or the end, closes it).
    public func flushNarration() {
        if let paragraph = narration.flush() { interpreter.console.print(Narration.wrap(paragraph, width: interpreter.console.width)) }
    }

    private var narration = Narration.Paragraph()

    @discardableResult
    public func finish() -> Bool {
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
            let place = error.location.map { "\(sourceName):\($0.line)" } ?? sourceName
            interpreter.console.printError("\(place): check failed: \(error.message)")
            return .ran(succeeded: false)
        }
        if error.kind == .interrupted {
            interpreter.console.printError(interpreter.console.isTerminal ? "interrupted" : "\(sourceName): interrupted")
            return .ran(succeeded: false)
        }
        lastSource = source.map { ($0, firstLine) }
        report("error", error.message, at: error.location)
        return .ran(succeeded: false)
    }

    private func report(_ severity: String, _ message: String, at location: SourcePosition?) {
        let console = interpreter.console
        if !console.isTerminal {
            let place = location.map { "\(sourceName):\($0.line):\($0.column)" } ?? sourceName
            console.printError("\(place): \(severity): \(message)")
            return
        }
        let label = console.useColor ? (severity == "error" ? "\u{1B}[1;31merror\u{1B}[0m" : "\u{1B}[1;33mwarning\u{1B}[0m") : severity
        var text = "\(label): \(message)"
        if let location, let caret = caretLines(for: location) { text += "\n" + caret }
        console.printError(text)
    }

    /// The offending line with a caret under the column, when that line is known.
    private func caretLines(for location: SourcePosition) -> String? {
        guard let source = lastSource ?? nil else { return nil }
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = location.line - source.firstLine
        guard lines.indices.contains(index) else { return nil }
        let line = String(lines[index])
        guard line.unicodeScalars.count <= 200 else { return nil }
        let prefix = line.unicodeScalars.prefix(max(0, location.column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        return "  " + line + "\n  " + prefix + "^"
    }
}
