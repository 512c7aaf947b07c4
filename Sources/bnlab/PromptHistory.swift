import CReadline

#if canImport(Glibc)
import Glibc
#endif

/// The prompt's history: readline's (Up recalls, the file keeps it between sessions) and this
/// session's own list for `history`. Lines are gathered until the runner says they form one
/// entry, so a statement typed over several prompts is recalled and listed whole, its lines
/// joined with newlines — spaces would change its meaning (a newline ends a statement and a
/// `# comment`), and readline edits and re-runs an entry with newlines in it as typed.
final class PromptHistory {
    /// The history file; nil when there is none (no HOME, no BNLAB_HISTORY).
    let path: String?
    /// This session's entries, oldest first, whether or not they went to the file.
    private(set) var entries: [String] = []
    private var typed: [String] = []

    init(path: String?) {
        self.path = path
        bnlab_history_keep_multiline_entries()
        if let path { _ = read_history(path) }
    }

    /// A line fed to the runner, the next part of the entry being typed.
    func add(line: String) { typed.append(line) }

    /// The lines since the last entry form a whole one: keep it, unless blank or the same as the last.
    func commitEntry() {
        let entry = typed.joined(separator: "\n")
        typed = []
        guard !entry.allSatisfy(\.isWhitespace), entry != entries.last else { return }
        entries.append(entry)
        add_history(entry)
        if let path, append_history(1, path) != 0 { _ = write_history(path) }
    }

    /// Ctrl-C at the continuation prompt: the half-typed entry is dropped, as the runner drops it.
    func discardTyped() { typed = [] }

    /// At exit: the file keeps the latest `limit` entries.
    func truncateFile(to limit: Int32) {
        if let path { _ = history_truncate_file(path, limit) }
    }
}
