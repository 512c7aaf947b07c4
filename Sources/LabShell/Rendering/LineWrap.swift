/// Breaks one line of text into lines that fit a console, at spaces, each further line starting
/// with a continuation indent. Echoed statements and check lines cut a word longer than a whole
/// line, so no line ever passes the width; prose (`Narration.wrap`) keeps such a word (a path, an
/// address) whole, since cutting it would change what it says.
enum LineWrap {
    /// The longest line for a console `width` columns wide.
    static func limit(_ width: Int) -> Int { max(20, width - 1) }

    /// `line` in pieces of at most `width - 1` characters (the last column is left free, as
    /// prose leaves it, so a terminal never wraps a full line by itself).
    static func wrap(_ line: String, width: Int, indent: String, cutsLongWords: Bool = true) -> [String] {
        let limit = limit(width)
        guard line.count > limit else { return [line] }
        let indent = indent.count < limit / 2 ? indent : ""
        var lines: [String] = []
        var current: String?
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.map { $0 + " " + word } ?? (lines.isEmpty ? "" : indent) + word
            if candidate.count <= limit {
                current = candidate
                continue
            }
            if let current { lines.append(current) }
            // A word too long for a line of its own (a long string literal) is cut where the line ends.
            var rest = Substring(word)
            while cutsLongWords, (lines.isEmpty ? 0 : indent.count) + rest.count > limit {
                let room = limit - (lines.isEmpty ? 0 : indent.count)
                lines.append((lines.isEmpty ? "" : indent) + rest.prefix(room))
                rest = rest.dropFirst(room)
            }
            current = (lines.isEmpty ? "" : indent) + rest
        }
        if let current { lines.append(current) }
        return lines
    }
}
