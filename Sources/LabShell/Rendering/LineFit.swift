/// The console's last guarantee that output fits the window: a line wider than the width is
/// broken at spaces, instead of being cut by the terminal mid-word or mid-number. Renderers that
/// know their layout (tables, tensor grids, plots) fit themselves first; this catches prose,
/// headers and formulas.
enum LineFit {
    /// `text` with every line wider than `width` columns broken at spaces. A line with no space
    /// to break at (one long path) is left as it is: cutting it would change what it says.
    static func fit(_ text: String, width: Int) -> String {
        let width = max(20, width)
        // No line can be wider than the whole text: most output is short and returns here.
        guard text.unicodeScalars.count > width else { return text }
        var lines: [String] = []
        var changed = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if visibleWidth(line) <= width {
                lines.append(String(line))
            } else {
                changed = true
                lines += breakLine(line, width: width)
            }
        }
        return changed ? lines.joined(separator: "\n") : text
    }

    /// Columns on screen: colour escapes (`ESC [ … m`) take none.
    static func visibleWidth(_ line: Substring) -> Int {
        var count = 0
        var inEscape = false
        for character in line {
            if inEscape {
                if character == "m" { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                count += 1
            }
        }
        return count
    }

    /// Breaks one line into lines of at most `width` columns where it can. The continuation is
    /// indented under the last column the line starts (`label   text that wraps` continues under
    /// `text`), else two past the line's own indent.
    private static func breakLine(_ line: Substring, width: Int) -> [String] {
        let runs = pieces(line)
        let leading = runs.first?.first == " " ? runs[0].count : 0
        let hanging = String(repeating: " ", count: hangingIndent(runs, leading: leading, width: width))
        var lines: [String] = []
        var current = String(line.prefix(leading))
        var currentWidth = leading
        var spaces = ""
        var hasWord = false
        for piece in runs.dropFirst(leading > 0 ? 1 : 0) {
            if piece.first == " " { spaces = String(piece); continue }
            let pieceWidth = visibleWidth(piece)
            if hasWord && currentWidth + spaces.count + pieceWidth > width {
                lines.append(current)
                current = hanging
                currentWidth = hanging.count
                spaces = ""
            }
            current += spaces + piece
            currentWidth += spaces.count + pieceWidth
            spaces = ""
            hasWord = true
        }
        lines.append(current)
        return lines
    }

    /// Where the last column opened by a run of two or more spaces starts, if that is in the
    /// left part of the window; otherwise the line's indent plus two.
    private static func hangingIndent(_ runs: [Substring], leading: Int, width: Int) -> Int {
        var column = 0
        var best: Int?
        for (index, piece) in runs.enumerated() {
            column += visibleWidth(piece)
            if piece.first == " ", piece.count >= 2, index > 0, column <= width / 2 { best = column }
            if column > width { break }
        }
        return best ?? min(leading + 2, width / 3)
    }

    /// The line as alternating runs of spaces and runs of everything else.
    private static func pieces(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        var index = text.startIndex
        while index < text.endIndex {
            let isSpace = text[index] == " "
            var end = index
            while end < text.endIndex, (text[end] == " ") == isSpace { end = text.index(after: end) }
            result.append(text[index..<end])
            index = end
        }
        return result
    }
}
