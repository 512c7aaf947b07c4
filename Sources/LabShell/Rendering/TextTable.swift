/// Aligned columns of text: the one table renderer every command uses. The first column is a
/// left-aligned label; the others are right-aligned, so decimal points line up.
struct TextTable {
    var header: [String]?
    var rows: [[String]] = []
    /// Right-align every column after the first (numbers); false left-aligns all (names, kinds).
    var alignNumbers = true
    /// The leading columns that name a row (channel, statistic): repeated in every part when a
    /// table of numbers too wide for the window is stacked.
    var labelColumns = 1

    /// Renders the table. With `width`, a table of numbers too wide for it is stacked — the
    /// columns split into parts that fit, each under its own header, the labels repeated — as
    /// NumPy wraps a long array; in a table of words the last column wraps at spaces under itself.
    func render(width: Int? = nil) -> String {
        if let width, alignNumbers, let parts = stackedParts(width: width) {
            return parts.map { $0.render() }.joined(separator: "\n\n")
        }
        return renderFlat(width: width)
    }

    /// The widest row of the table as it renders without a width.
    var naturalWidth: Int {
        columnWidths.reduce(0) { $0 + $1 } + 2 * max(0, columnWidths.count - 1)
    }

    private var columnWidths: [Int] {
        let all = (header.map { [$0] } ?? []) + rows
        var widths = [Int](repeating: 0, count: all.map(\.count).max() ?? 0)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return widths
    }

    /// The table split into parts of whole columns that each fit `width`, or nil when it fits
    /// already or no split helps (the label columns alone leave no room).
    private func stackedParts(width: Int) -> [TextTable]? {
        let widths = columnWidths
        guard naturalWidth > width, widths.count > labelColumns + 1 else { return nil }
        let labelWidth = widths.prefix(labelColumns).reduce(0) { $0 + $1 + 2 }
        var groups: [[Int]] = [[]]
        var used = labelWidth
        for column in labelColumns..<widths.count {
            if !groups[groups.count - 1].isEmpty && used + widths[column] > width {
                groups.append([])
                used = labelWidth
            }
            groups[groups.count - 1].append(column)
            used += widths[column] + 2
        }
        guard groups.count > 1 else { return nil }
        let labels = Array(0..<labelColumns)
        return groups.map { group in
            let keep = labels + group
            func pick(_ row: [String]) -> [String] { keep.map { $0 < row.count ? row[$0] : "" } }
            return TextTable(header: header.map(pick), rows: rows.map(pick), alignNumbers: true, labelColumns: labelColumns)
        }
    }

    private func renderFlat(width: Int?) -> String {
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
