/// Aligned columns of text: the one table renderer every command uses. The first column is a
/// left-aligned label; the others are right-aligned, so decimal points line up.
struct TextTable {
    var header: [String]?
    var rows: [[String]] = []
    /// Right-align every column after the first (numbers); false left-aligns all (names, kinds).
    var alignNumbers = true

    /// Renders the table; with `width`, the last column wraps at word boundaries under itself.
    func render(width: Int? = nil) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        if let width, columns > 1 {
            let indent = widths.dropLast().reduce(0) { $0 + $1 + 2 }
            if width - indent >= 20 { widths[columns - 1] = min(widths[columns - 1], width - indent) }
        }
        return all.map { row in
            var cells = row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
                return i == 0 || !alignNumbers ? cell + pad : pad + cell
            }
            guard let width, row.count == columns, columns > 1, let last = row.last, last.count > widths[columns - 1] else {
                return cells.joined(separator: "  ").trimmingTrailingSpaces()
            }
            let indent = widths.dropLast().reduce(0) { $0 + $1 + 2 }
            let wrapped = wrap(last, width: max(20, width - indent))
            cells[columns - 1] = wrapped.joined(separator: "\n" + String(repeating: " ", count: indent))
            return cells.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }

    /// Word by word, a quoted string kept whole where it fits (`TextWrap`).
    private func wrap(_ text: String, width: Int) -> [String] {
        TextWrap.wrap(text, width: width)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
