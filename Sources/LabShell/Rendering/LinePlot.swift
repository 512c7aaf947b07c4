/// A small character-grid line plot: one series (or a few, each drawn with its own mark) against
/// the step number, with an optional horizontal reference line (the population value the running
/// average should approach, the 1e-3 an update-to-data ratio aims at).
struct LinePlot {
    var width: Int
    var height = 8
    var glyphs: Glyphs
    var precision: Int

    func render(title: String, series: [Double], reference givenReference: Double?, referenceLabel: String) -> String {
        render(title: title, series: [series], marks: [glyphs.point], reference: givenReference, referenceLabel: referenceLabel)
    }

    /// Every series on one grid, `marks[i]` for series i; where two meet, the later one shows.
    /// The series share the step axis, so they should have the same length.
    func render(title: String, series: [[Double]], marks: [String], reference givenReference: Double?,
                referenceLabel: String) -> String {
        let reference = givenReference.flatMap { $0.isFinite ? $0 : nil }
        let finite = series.flatMap { $0 }.filter(\.isFinite)
        let steps = series.map(\.count).max() ?? 0
        guard !finite.isEmpty, steps > 0 else { return title + "\n  (no finite values to plot)" }
        var low = min(finite.min() ?? 0, reference ?? .infinity), high = max(finite.max() ?? 0, reference ?? -.infinity)
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let topLabel = NumberFormat.fixed(high, decimals: precision), bottomLabel = NumberFormat.fixed(low, decimals: precision)
        let labelWidth = max(topLabel.count, bottomLabel.count)
        let columns = max(10, min(steps, width - labelWidth - 3))
        func row(_ v: Double) -> Int { Int(((high - v) / (high - low) * Double(height - 1)).rounded()) }
        var grid = Array(repeating: Array(repeating: " ", count: columns), count: height)
        if let reference {
            let r = row(reference)
            for c in 0..<columns { grid[r][c] = glyphs.horizontal }
        }
        for (values, mark) in zip(series, marks) where !values.isEmpty {
            for c in 0..<columns {
                // Each column shows the last step that falls in it, so the final value is the right edge.
                let index = min(values.count - 1, ((c + 1) * values.count) / columns - 1)
                guard index >= 0, values[index].isFinite else { continue }
                grid[row(values[index])][c] = mark
            }
        }
        var lines = [title]
        for (r, cells) in grid.enumerated() {
            let label = r == 0 ? topLabel : r == height - 1 ? bottomLabel : ""
            lines.append(String(repeating: " ", count: labelWidth - label.count) + label + " " + glyphs.vertical
                         + cells.joined().trimmingTrailingSpaces())
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + glyphs.bottomLeft
                     + String(repeating: glyphs.horizontal, count: columns))
        lines.append(String(repeating: " ", count: labelWidth + 2) + "step 1 \(glyphs.ellipsis) \(steps)"
                     + (reference.map { "   \(glyphs.horizontal)\(glyphs.horizontal) \(referenceLabel) \(NumberFormat.fixed($0, decimals: precision))" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
