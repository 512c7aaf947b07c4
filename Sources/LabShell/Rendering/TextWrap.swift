/// Line breaking for help and tables: a line breaks only between words, never inside one, and
/// not inside a quoted string (`"pytorch"`, `"What is the mean of y?"`) unless that string alone
/// is wider than the line. Widths count characters, as the terminal shows them.
enum TextWrap {
    /// The words of `text`: runs between spaces, a quoted string (spaces and all) counting as one.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inQuote = false
        for character in text {
            if character == "\"" { inQuote.toggle() }
            if character == " " && !inQuote {
                if !word.isEmpty { words.append(word) }
                word = ""
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// Lays `atoms` out greedily, one space apart, in lines of at most `width` characters; the
    /// first line starts with `first`, the others with `rest`. An atom wider than any line is cut
    /// first after an opening bracket outside quotes (`exercise(` | `"What is…",`, joined again
    /// without a space when they share a line), and only then at its own spaces.
    static func fill(_ atoms: [String], width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var line = first
        var lineHasWord = false
        var queue = atoms.map { Piece(text: $0, glued: false) }[...]
        while let piece = queue.popFirst() {
            let separator = lineHasWord && !piece.glued ? " " : ""
            let fitsALine = piece.text.count <= width - rest.count
            // A first line with a wider lead (`  example: `) may stay a label alone rather than cut the word.
            let nextLineHelps = lineHasWord || (lines.isEmpty && first.count > rest.count)
            if line.count + separator.count + piece.text.count <= width {
                line += separator + piece.text
                lineHasWord = true
            } else if fitsALine && nextLineHelps {
                lines.append(line.trimmingTrailingSpaces())
                line = rest + piece.text
                lineHasWord = true
            } else if let parts = split(piece) {
                queue = ArraySlice(parts) + queue
            } else if lineHasWord {
                lines.append(line)
                line = rest + piece.text
            } else {
                line += piece.text
                lineHasWord = true
            }
        }
        lines.append(line)
        return lines
    }

    /// A part of a word, and whether it continues the previous part with no space between.
    private struct Piece {
        var text: String
        var glued: Bool
    }

    /// An atom too wide for a line, in smaller pieces: after each `(` or `[` outside quotes if it
    /// has any, else at its spaces; nil when it cannot be cut.
    private static func split(_ piece: Piece) -> [Piece]? {
        var parts: [String] = []
        var current = ""
        var inQuote = false
        for character in piece.text {
            if character == "\"" { inQuote.toggle() }
            current.append(character)
            if !inQuote && (character == "(" || character == "[") {
                parts.append(current)
                current = ""
            }
        }
        if !current.isEmpty { parts.append(current) }
        if parts.count > 1 {
            return parts.enumerated().map { Piece(text: $1, glued: $0 == 0 ? piece.glued : true) }
        }
        let words = piece.text.split(separator: " ").map(String.init)
        guard words.count > 1 else { return nil }
        return words.enumerated().map { Piece(text: $1, glued: $0 == 0 ? piece.glued : false) }
    }

    /// `fill` of the words of `text`.
    static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        fill(words(text), width: width, first: first, rest: rest)
    }

    /// A signature broken only after its commas, continuation lines under the first argument:
    /// `batchnorm(C, eps: 1e-05, …,` / `          convention: "pytorch")`.
    static func signature(_ usage: String, width: Int, indent: String = "") -> [String] {
        var pieces: [String] = []
        var piece = ""
        var inQuote = false
        for character in usage {
            if character == "\"" { inQuote.toggle() }
            if character == " " && !inQuote && piece.hasSuffix(",") {
                pieces.append(piece)
                piece = ""
            } else {
                piece.append(character)
            }
        }
        pieces.append(piece)
        let open = usage.prefix { $0 != "(" }.count + 1
        let hanging = width - indent.count - open >= 24 ? open : 4
        return fill(pieces, width: width, first: indent, rest: indent + String(repeating: " ", count: hanging))
    }

    /// `text` cut to `width` characters at a word boundary, with "…" when something was cut.
    static func truncate(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        var kept = ""
        for word in words(text) {
            let candidate = kept.isEmpty ? word : kept + " " + word
            if candidate.count + 1 > width { break }
            kept = candidate
        }
        return (kept.isEmpty ? String(text.prefix(max(0, width - 1))) : kept) + "…"
    }
}
