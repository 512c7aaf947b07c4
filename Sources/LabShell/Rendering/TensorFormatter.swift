import BatchNormKit

/// Prints tensors the way PyTorch users read them: the shape first, then a grid of values with
/// a shared number format, trimmed to the first and last three entries of any long axis.
struct TensorFormatter {
    var precision = 4
    /// Axes longer than this are trimmed to `edgeItems` at each end.
    var threshold = 8
    var edgeItems = 3
    var ellipsis = "…"

    func format(_ t: Tensor) -> String {
        let header = "tensor \(t.shapeDescription)"
        if t.count == 0 { return header + " (empty)" }
        let style = NumberStyle(values: shownValues(t), precision: precision)
        let width = shownValues(t).map { style.format($0).count }.max() ?? 1
        var text = header + "\n" + block(t, axis: 0, offset: 0, style: style, width: width).joined(separator: "\n")
        let nonFinite = t.nonFiniteCounts
        if nonFinite.nan > 0 || nonFinite.infinite > 0 {
            text += "\n(\(nonFinite.nan) NaN, \(nonFinite.infinite) infinite)"
        }
        return text
    }

    /// The values that will be displayed, so the number style fits them and not hidden ones.
    func shownValues(_ t: Tensor) -> [Float] {
        var result: [Float] = []
        func visit(axis: Int, offset: Int) {
            let stride = t.shape[(axis + 1)...].reduce(1, *)
            for i in indices(t.shape[axis]) {
                if axis == t.rank - 1 { result.append(t.scalars[offset + i]) } else { visit(axis: axis + 1, offset: offset + i * stride) }
            }
        }
        visit(axis: 0, offset: 0)
        return result
    }

    private func indices(_ size: Int) -> [Int] {
        size > threshold ? Array(0..<edgeItems) + Array((size - edgeItems)..<size) : Array(0..<size)
    }

    /// The lines of the sub-array starting at `offset` on `axis`, numpy-style: rows of the last
    /// axis on their own lines, a blank line between blocks of higher axes, `…` where trimmed.
    private func block(_ t: Tensor, axis: Int, offset: Int, style: NumberStyle, width: Int) -> [String] {
        let size = t.shape[axis]
        let stride = t.shape[(axis + 1)...].reduce(1, *)
        let shown = indices(size)
        let trimmed = size > threshold
        if axis == t.rank - 1 {
            var cells = shown.map { i -> String in
                let cell = style.format(t.scalars[offset + i])
                return String(repeating: " ", count: max(0, width - cell.count)) + cell
            }
            if trimmed { cells.insert(ellipsis, at: edgeItems) }
            return ["[" + cells.joined(separator: ", ") + "]"]
        }
        var lines: [String] = []
        let gap = t.rank - axis - 2
        for (n, i) in shown.enumerated() {
            if n > 0 {
                lines[lines.count - 1] += ","
                lines += Array(repeating: "", count: gap)
            }
            if trimmed && n == edgeItems {
                lines.append(ellipsis)
                lines += Array(repeating: "", count: gap)
            }
            lines += block(t, axis: axis + 1, offset: offset + i * stride, style: style, width: width)
        }
        return lines.enumerated().map { n, line in
            n == 0 ? "[" + line : (line.isEmpty ? line : " " + line)
        }.enumerated().map { n, line in n == lines.count - 1 ? line + "]" : line }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
