import BatchNormKit

/// Draws histograms the way Julia's UnicodePlots does: one row per half-open bin labelled with its
/// edges, a bar scaled to the largest count, the count at the end of the bar, a title with n, mean
/// and std. Two histograms on the same bins sit side by side (before / after). With the normal
/// overlay a dot per row marks the expected count, and a legend line under the plot says so.
struct HistogramRenderer {
    struct Panel {
        let title: String
        let histogram: Histogram
        /// Expected counts of a normal with the data's mean and std, drawn as a dot per row.
        let expected: [Double]?
    }

    var width: Int
    var glyphs: Glyphs
    var precision: Int

    /// Below this many columns bars cannot be read; the renderer falls back to a table of counts.
    static let minimumWidth = 40

    func render(_ panels: [Panel]) -> String {
        guard let first = panels.first else { return "" }
        let edges = first.histogram.edges
        let labels = edgeLabels(edges)
        let labelWidth = labels.map(\.count).max() ?? 0
        var lines = panels.map(\.title)
        if width < Self.minimumWidth {
            var table = TextTable(header: ["bin"] + panels.indices.map { "count \($0 + 1)" })
            for (row, label) in labels.enumerated() {
                table.rows.append([label] + panels.map { String($0.histogram.counts[row]) })
            }
            return (lines + ["(narrow terminal: counts only)", table.render()]).joined(separator: "\n")
        }
        let countWidth = panels.map { String($0.histogram.counts.max() ?? 0).count }.max() ?? 1
        // label + " ┤" + for each panel: bar area + " " + count, panels separated by " │".
        let available = width - labelWidth - 2 - panels.count * (countWidth + 1) - (panels.count - 1) * 2 - 1
        let barWidth = max(8, available / panels.count)
        let frameWidth = panels.count * (barWidth + countWidth + 1) + (panels.count - 1) * 2
        let pad = String(repeating: " ", count: labelWidth + 1)
        lines.append(pad + glyphs.topLeft + String(repeating: " ", count: frameWidth) + glyphs.topRight)
        for (row, label) in labels.enumerated() {
            let cells = panels.map { panel -> String in
                let largest = max(1, panel.histogram.counts.max() ?? 1)
                let count = panel.histogram.counts[row]
                let scale = Double(barWidth) / Double(largest)
                var bar = Array(glyphs.bar(Double(count) * scale))
                if let expected = panel.expected?[row], expected >= 0.5 {
                    let at = min(barWidth - 1, Int((expected * scale).rounded(.down)))
                    while bar.count <= at { bar.append(" ") }
                    bar[at] = Character(glyphs.point)
                }
                let text = String(bar) + " " + String(count)
                return text + String(repeating: " ", count: max(0, barWidth + countWidth + 1 - text.count))
            }
            let leftPad = String(repeating: " ", count: labelWidth - label.count)
            lines.append((leftPad + label + " " + glyphs.axisTick + cells.joined(separator: " " + glyphs.vertical))
                .trimmingTrailingSpaces())
        }
        lines.append(pad + glyphs.bottomLeft + String(repeating: " ", count: frameWidth) + glyphs.bottomRight)
        let caption = panels.count == 1 ? "Frequency" : panels.map { $0.title.prefix { $0 != ":" } }.joined(separator: "  |  ")
        lines.append(String(repeating: " ", count: labelWidth + 2 + max(0, (frameWidth - caption.count) / 2)) + caption)
        if panels.contains(where: { $0.expected != nil }) {
            // The dots are the only mark the bars do not explain themselves.
            let normal = glyphs.ascii ? "N(mean, std^2)" : "N(mean, std²)"
            lines.append(Narration.wrap("\(glyphs.point) = what each bin would count if the values were normal, \(normal)",
                                        width: width))
        }
        return lines.joined(separator: "\n")
    }

    /// `[lo, hi)` for every bin and `[lo, hi]` for the last, with enough decimals to tell bins apart.
    func edgeLabels(_ edges: [Float]) -> [String] {
        let binWidth = edges.count > 1 ? Double(edges[1] - edges[0]) : 1
        let needed = binWidth > 0 && binWidth.isFinite ? Int((-log10(binWidth)).rounded(.up)) + 1 : precision
        let decimals = max(0, min(precision, needed))
        let scientific = edges.contains { abs($0) >= 1e6 } || (binWidth > 0 && binWidth < pow(10, Double(-precision)))
        let texts = edges.map { scientific ? NumberFormat.scientific(Double($0), digits: 2) : NumberFormat.fixed(Double($0), decimals: decimals) }
        let w = texts.map(\.count).max() ?? 0
        let padded = texts.map { String(repeating: " ", count: w - $0.count) + $0 }
        return (0..<(edges.count - 1)).map { i in
            "[" + padded[i] + ", " + padded[i + 1] + (i == edges.count - 2 ? "]" : ")")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
