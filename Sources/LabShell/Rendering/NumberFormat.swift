/// Every way the shell writes a number, in one place: the shortest text that reads back
/// (`3`, `0.1`, `1e-05`), fixed decimals, scientific, and percentages. Tables, plots, tensors
/// and messages all call these, so a number never reads two ways.
enum NumberFormat {
    /// Shortest text that reads back as the same number: `3`, `0.1`, `1e-05`.
    static func shortest(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
        // 1 − 0.99 is 0.010000000000000009 in binary; show the decimal a person meant when it is
        // within a few ulps of one with 12 digits.
        if abs(number) >= 1e-6, abs(number) < 1e15 {
            let rounded = (number * 1e12).rounded() / 1e12
            if abs(rounded - number) <= 8 * number.ulp { return "\(rounded)" }
        }
        return "\(number)"
    }

    /// A number printed as a value (`mean(y)`, a record's field, an exercise's answer) under the
    /// session's `precision`: exact integers as integers; a value whose shortest text needs no
    /// more digits than `precision` allows as that text (`0.1`, `2.5`, `1e-05`, `0.0001234`);
    /// anything longer rounded to `precision` decimals, or to `precision` digits after the point
    /// in scientific form below 0.001, where fixed decimals would keep too few digits. A float32
    /// value is judged by its own shortest text (`1.46346`, not the float64 `1.4634599685668945`
    /// it widens to), so `precision(12)` shows every digit a float32 holds.
    static func value(_ number: Double, precision: Int) -> String {
        if !number.isFinite || (number == number.rounded() && abs(number) < 1e15) { return shortest(number) }
        let narrow = Float(number)
        let text = Double(narrow) == number ? narrow.description : shortest(number)
        let small = abs(number) < 1e-3
        if digitsAfterThePoint(text, scientific: small) <= precision { return text }
        return small ? scientific(number, digits: precision) : fixed(number, decimals: precision)
    }

    /// How many digits `text` (as `shortest` or `Float.description` write it) has after the
    /// point: `2.5` → 1, `1.25e-05` → 2. With `scientific`, as if written `d.ddd…e±XX`:
    /// `0.0001234` → 3.
    private static func digitsAfterThePoint(_ text: String, scientific: Bool) -> Int {
        let mantissa = text.prefix { $0 != "e" }
        if scientific || text.contains("e") {
            let significant = mantissa.filter(\.isNumber).drop { $0 == "0" }
            return max(0, significant.count - 1)
        }
        guard let point = mantissa.firstIndex(of: ".") else { return 0 }
        return mantissa.distance(from: point, to: mantissa.endIndex) - 1
    }

    /// `x` with exactly `decimals` digits after the point, rounded half away from zero.
    static func fixed(_ x: Double, decimals: Int) -> String {
        if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e15 else { return scientific(x, digits: decimals) }
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
    static func scientific(_ x: Double, digits: Int) -> String {
        if !x.isFinite { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        if x == 0 { return fixed(0, decimals: digits) + "e+00" }
        var exponent = Int(log10(abs(x)).rounded(.down))
        var mantissa = x / pow(10, Double(exponent))
        if fixed(abs(mantissa), decimals: digits).hasPrefix("10") {
            exponent += 1
            mantissa = x / pow(10, Double(exponent))
        }
        let e = abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return fixed(mantissa, decimals: digits) + "e" + (exponent < 0 ? "-" : "+") + e
    }

    /// `x` to `digits` significant digits, trailing zeros dropped: `2.384e-08`, `0.9999`, `12.35`,
    /// `3`; scientific below 1e-4 and from 1e15 on. For a measured value beside a bound.
    static func significant(_ x: Double, digits: Int) -> String {
        if !x.isFinite || x == 0 { return shortest(x) }
        let digits = max(1, digits)
        let exponent = Int(log10(abs(x)).rounded(.down))
        guard exponent >= -4, exponent < 15 else {
            let text = scientific(x, digits: digits - 1)
            guard let e = text.firstIndex(of: "e") else { return text }
            return droppingTrailingZeros(String(text[..<e])) + text[e...]
        }
        return droppingTrailingZeros(fixed(x, decimals: max(0, digits - 1 - exponent)))
    }

    /// `0.5000` → `0.5`, `2.000` → `2`; text without a point is left alone.
    private static func droppingTrailingZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var text = Substring(text)
        while text.last == "0" { text = text.dropLast() }
        if text.last == "." { text = text.dropLast() }
        return String(text)
    }

    /// A share as a percentage with one decimal: 0.9583 → `95.8%` (0 → `0%`).
    static func percent(_ share: Double) -> String {
        share == 0 ? "0%" : fixed(share * 100, decimals: 1) + "%"
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
        return scientific ? NumberFormat.scientific(Double(v), digits: precision) : NumberFormat.fixed(Double(v), decimals: precision)
    }
}

private func pow10(_ e: Int) -> Float {
    var r: Float = 1
    if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
    return r
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
