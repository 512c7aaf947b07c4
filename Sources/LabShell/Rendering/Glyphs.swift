/// The characters plots are drawn with: Unicode blocks and box lines by default, plain ASCII with
/// `--ascii`, `ascii(true)` or a non-UTF-8 locale, so output survives any terminal or log file.
struct Glyphs {
    let ascii: Bool

    /// A bar of `cells` character cells (fractional for Unicode: eighths of a cell).
    func bar(_ cells: Double) -> String {
        let clamped = max(0, cells)
        if ascii { return String(repeating: "#", count: Int(clamped.rounded())) }
        let eighths = Int((clamped * 8).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    var axisTick: String { ascii ? "|" : "┤" }
    var vertical: String { ascii ? "|" : "│" }
    var topLeft: String { ascii ? "+" : "┌" }
    var topRight: String { ascii ? "+" : "┐" }
    var bottomLeft: String { ascii ? "+" : "└" }
    var bottomRight: String { ascii ? "+" : "┘" }
    var horizontal: String { ascii ? "-" : "─" }
    var point: String { ascii ? "*" : "•" }
    var ellipsis: String { ascii ? "..." : "…" }
    /// Before a lesson's claim that held.
    var checkMark: String { ascii ? "ok" : "✓" }

    /// A sparkline: one character per value, its height scaled between `low` and `high`.
    func sparkline(_ values: [Double], low: Double, high: Double) -> String {
        let levels: [Character] = ascii ? Array("_.-=+*#@") : Array("▁▂▃▄▅▆▇█")
        return String(values.map { v -> Character in
            guard v.isFinite else { return "?" }
            let t = high > low ? (v - low) / (high - low) : 0.5
            return levels[min(levels.count - 1, max(0, Int((t * Double(levels.count - 1)).rounded())))]
        })
    }
}
