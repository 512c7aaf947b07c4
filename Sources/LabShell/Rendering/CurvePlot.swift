/// Two arms' curves on one character grid: each arm's mean over the seeds as a line of marks,
/// with the band between its lowest and highest seed shaded behind it. What an experiment draws
/// so the learner sees the loss fall, not only reads it.
struct CurvePlot {
    struct Series {
        let name: String
        /// One curve per seed, all the same length.
        let curves: [[Double]]
    }

    var width: Int
    var height = 10
    var glyphs: Glyphs
    var precision: Int

    private func marks(_ index: Int) -> (mean: Character, band: Character) {
        glyphs.ascii ? (index == 0 ? ("o", ".") : ("x", ":")) : (index == 0 ? ("●", "░") : ("▲", "▒"))
    }

    func render(title: String, xLabel: String, series: [Series]) -> String {
        let drawn = series.filter { !$0.curves.isEmpty && !($0.curves.first?.isEmpty ?? true) }
        guard let length = drawn.map({ $0.curves.map(\.count).min() ?? 0 }).min(), length > 0 else { return "" }
        func column(_ s: Series, _ step: Int, _ pick: ([Double]) -> Double) -> Double {
            pick(s.curves.map { $0[step] }.filter(\.isFinite))
        }
        let means = drawn.map { s in (0..<length).map { column(s, $0) { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) } } }
        let lows = drawn.map { s in (0..<length).map { column(s, $0) { $0.min() ?? .nan } } }
        let highs = drawn.map { s in (0..<length).map { column(s, $0) { $0.max() ?? .nan } } }
        let all = (lows + highs).flatMap { $0 }.filter(\.isFinite)
        guard var low = all.min(), var high = all.max() else { return "" }
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let topLabel = NumberFormat.fixed(high, decimals: precision), bottomLabel = NumberFormat.fixed(low, decimals: precision)
        let labelWidth = max(topLabel.count, bottomLabel.count)
        // Each step gets the same number of columns; the plot never exceeds the width.
        let perStep = max(1, min(6, (width - labelWidth - 3) / length))
        let columns = perStep * length
        func row(_ v: Double) -> Int { Int(((high - v) / (high - low) * Double(height - 1)).rounded()) }
        var grid = Array(repeating: Array(repeating: Character(" "), count: columns), count: height)
        for (index, _) in drawn.enumerated() {
            for step in 0..<length where lows[index][step].isFinite && highs[index][step].isFinite {
                for r in row(highs[index][step])...row(lows[index][step]) {
                    for c in step * perStep..<(step + 1) * perStep where grid[r][c] == " " { grid[r][c] = marks(index).band }
                }
            }
        }
        for (index, _) in drawn.enumerated() {
            for step in 0..<length where means[index][step].isFinite {
                grid[row(means[index][step])][step * perStep + perStep / 2] = marks(index).mean
            }
        }
        var lines = [title]
        for (r, cells) in grid.enumerated() {
            let label = r == 0 ? topLabel : r == height - 1 ? bottomLabel : ""
            lines.append(String(repeating: " ", count: labelWidth - label.count) + label + " " + glyphs.vertical
                         + String(cells).trimmingTrailingSpaces())
        }
        lines.append(String(repeating: " ", count: labelWidth + 1) + glyphs.bottomLeft
                     + String(repeating: glyphs.horizontal, count: columns))
        lines.append(String(repeating: " ", count: labelWidth + 2) + "\(xLabel) 1 \(glyphs.ellipsis) \(length)")
        let legend = drawn.enumerated().map { index, s in "\(marks(index).mean) \(s.name)" }.joined(separator: "   ")
            + "   (mean; shading: lowest to highest seed)"
        lines.append(contentsOf: Narration.wrapProse(legend, width: width).split(separator: "\n").map(String.init))
        return lines.joined(separator: "\n")
    }
}
