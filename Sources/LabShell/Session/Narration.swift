/// Lesson prose: a line that starts with `>` is narration, shown to the learner rather than run
/// (`>` cannot start a statement, so nothing else is ever mistaken for it). Consecutive lines
/// form a paragraph that is reflowed to the console's width; `>` alone is a blank line, and a
/// line starting with `#`, `-`, `*` or `1.` begins a new paragraph (headings, list items).
enum Narration {
    /// Gathers the lines of one paragraph.
    struct Paragraph {
        /// A paragraph this long is printed as it stands and a new one begun, so endless prose
        /// without a blank line never piles up in memory.
        static let maxBytes = 1 << 16
        private var words: [String] = []
        private var bytes = 0

        /// Adds a line; returns the paragraphs that are now complete, in order.
        mutating func add(_ line: String) -> [String] {
            var done: [String] = []
            let trimmed = line.drop { $0 == " " }
            let startsBlock = trimmed.hasPrefix("#") || trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ")
                || (trimmed.first?.isNumber == true && trimmed.dropFirst().hasPrefix(". "))
            if trimmed.isEmpty || startsBlock, let paragraph = flush() { done.append(paragraph) }
            if trimmed.isEmpty {
                done.append("")
            } else if trimmed.hasPrefix("#") {
                done.append(line)  // a heading stands alone
            } else {
                words.append(line)
                bytes += line.utf8.count + 1
                if bytes > Self.maxBytes, let paragraph = flush() { done.append(paragraph) }
            }
            return done
        }

        mutating func flush() -> String? {
            defer { words = []; bytes = 0 }
            return words.isEmpty ? nil : words.joined(separator: " ")
        }
    }

    /// The prose of a narration line, or nil when the line is code.
    static func text(of line: String) -> String? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == ">" else { return nil }
        let rest = trimmed.dropFirst()
        return String(rest.first == " " ? rest.dropFirst() : rest)
    }

    /// Wraps the prose lines of a command's output (headers, verdicts) and leaves table rows —
    /// lines with a run of two spaces between columns — as they are.
    static func wrapProse(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let body = line.drop { $0 == " " }
            return body.contains("  ") ? String(line) : wrap(String(line), width: width)
        }.joined(separator: "\n")
    }

    /// A paragraph at word boundaries, continuation lines under the text of a `- ` or `* ` item.
    static func wrap(_ text: String, width: Int) -> String {
        let indent = String(repeating: " ", count: text.prefix { $0 == " " || $0 == "-" || $0 == "*" }.count)
        return LineWrap.wrap(text, width: width, indent: indent, cutsLongWords: false).joined(separator: "\n")
    }
}
