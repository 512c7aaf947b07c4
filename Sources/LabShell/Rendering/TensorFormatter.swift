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

/// One number format for a whole display: fixed decimals normally, scientific when the values
/// span magnitudes that fixed decimals would hide.
struct NumberStyle {
    let scientific: Bool
    let integral: Bool
    let precision: Int

    /// Always `precision` decimals, never scientific: for rows a learner compares with 0 and 1.
    init(fixedWith precision: Int) {
        scientific = false
        integral = false
        self.precision = precision
    }

    init(values: [Float], precision: Int, allowIntegral: Bool = true) {
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map { abs($0) }.filter { $0 > 0 }
        let largest = magnitudes.max() ?? 0, smallest = magnitudes.min() ?? 0
        integral = allowIntegral && !finite.isEmpty && finite.allSatisfy { $0 == $0.rounded() && abs($0) < 1e7 }
        scientific = !integral && (largest >= 1e6 || (smallest > 0 && smallest < pow10(-precision)) || (largest > 0 && largest / max(smallest, .leastNormalMagnitude) > 1e7 && smallest < 1e-2))
        self.precision = precision
    }

    func format(_ v: Float) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if integral { return String(Int(v)) }
        return scientific ? formatScientific(Double(v), digits: precision) : formatFixed(Double(v), decimals: precision)
    }
}

private func pow10(_ e: Int) -> Float {
    var r: Float = 1
    if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
    return r
}

/// `x` with exactly `decimals` digits after the point, rounded half away from zero.
func formatFixed(_ x: Double, decimals: Int) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(x) * scale).rounded()
    guard scaled < 9e15 else { return formatScientific(x, digits: decimals) }
    let whole = Int(scaled)
    let integerPart = whole / Int(scale)
    let fraction = whole % Int(scale)
    var text = String(integerPart)
    if decimals > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return (x < 0 && scaled != 0 ? "-" : "") + text
}

/// `x` as `d.dddde±XX` with `digits` digits after the point.
func formatScientific(_ x: Double, digits: Int) -> String {
    if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    if x == 0 { return formatFixed(0, decimals: digits) + "e+00" }
    var exponent = Int(log10(abs(x)).rounded(.down))
    var mantissa = x / pow(10, Double(exponent))
    if formatFixed(abs(mantissa), decimals: digits).hasPrefix("10") {
        exponent += 1
        mantissa = x / pow(10, Double(exponent))
    }
    let e = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
    return formatFixed(mantissa, decimals: digits) + "e" + (exponent < 0 ? "-" : "+") + e
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
