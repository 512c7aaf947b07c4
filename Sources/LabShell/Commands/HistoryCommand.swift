/// `history [N]`: the last N entries of this session's prompt history, numbered from 1 as
/// IPython's `%history -n` and bash's `history` number them. The entries come from the console
/// (the executable owns readline); input that is not typed — a pipe, a file — has no history.
enum HistoryCommand {
    static let count = Param.integer("n", default: 20, "how many of the latest entries to show")

    static func show(_ call: Invocation) throws(LabError) -> Value {
        let console = call.interpreter.console
        let n = call[count]
        guard n >= 0 else {
            throw LabError(.value, "history: n must be 0 or more, got \(n)", at: call.locationOf(count))
        }
        guard let entries = console.history?() else {
            console.print("no history: it keeps what is typed at the prompt, and this input is not typed")
            return .none
        }
        guard !entries.isEmpty else {
            console.print("no history yet")
            return .none
        }
        let first = max(0, entries.count - n)
        let numberWidth = String(entries.count).count
        var lines: [String] = []
        for index in first..<entries.count {
            let number = String(index + 1)
            let lead = "  " + String(repeating: " ", count: numberWidth - number.count) + number + "  "
            // A statement typed over several lines keeps its lines, under its first.
            let parts = entries[index].split(separator: "\n", omittingEmptySubsequences: false)
            lines.append(lead + parts[0])
            lines += parts.dropFirst().map { String(repeating: " ", count: lead.count) + $0 }
        }
        if !lines.isEmpty { console.print(lines.joined(separator: "\n")) }
        return .none
    }
}
