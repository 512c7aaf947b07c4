/// The line a lesson's claim prints when it holds: the claim, then what was measured and the
/// bound it met, so the learner sees the number and not only the verdict:
///
///     ✓ every channel of y has mean 0 (max(abs(channel_means(y))) = 3.1e-08 < 1e-05)
///     ✓ every channel of y has variance 1 (mean(channel_vars(y)) = 0.9999, within 0.001 of 1)
///
/// A side written as a literal shows as written; any other side as `source = value`. Numbers get
/// the session's precision in significant digits, more when fewer would make a true comparison
/// read false (0.99999994 < 1 is not shown as 1 < 1).
struct ClaimLine {
    let glyphs: Glyphs
    /// Significant digits of a measured value (the session's `precision`).
    let digits: Int
    let width: Int

    /// `check(condition, claim)`: the comparison's sides when the condition was one, else the
    /// condition's source (`bn.training is true`).
    func check(_ claim: String, comparison: ComparisonSides?, condition: Expr?) -> String {
        let detail: String?
        if let comparison {
            detail = describe(comparison)
        } else if let condition, !condition.isLiteral {
            detail = condition.sourceText + " is true"
        } else {
            detail = nil
        }
        return line(claim, detail)
    }

    /// `expect(value, target, claim, within:)`.
    func expect(_ claim: String?, value: Double, source: Expr?, target: Double, targetSource: Expr?, within tolerance: Double) -> String {
        let measured = (source.map { $0.isLiteral ? "" : $0.sourceText + " = " } ?? "") + NumberFormat.significant(value, digits: digits)
        let goal = targetSource.flatMap { $0.isLiteral ? $0.sourceText : nil } ?? NumberFormat.significant(target, digits: digits)
        let bound = tolerance == 0 ? "exactly \(goal)" : "within \(NumberFormat.shortest(tolerance)) of \(goal)"
        return line(claim, measured + ", " + bound)
    }

    private func line(_ claim: String?, _ detail: String?) -> String {
        let claim = claim.flatMap { $0.isEmpty ? nil : $0 }
        let text: String
        switch (claim, detail) {
        case (let claim?, let detail?): text = "\(claim) (\(detail))"
        case (let claim?, nil): text = claim
        case (nil, let detail?): text = detail
        case (nil, nil): text = "the check holds"
        }
        let whole = glyphs.checkMark + " " + text
        // Too long for one line: the measurement goes on a line of its own when it fits there,
        // so no expression or number is split in two.
        if let claim, let detail, whole.count > LineWrap.limit(width) {
            let first = glyphs.checkMark + " " + claim, second = "  (" + detail + ")"
            if second.count <= LineWrap.limit(width) {
                return (LineWrap.wrap(first, width: width, indent: "  ") + [second]).joined(separator: "\n")
            }
        }
        return LineWrap.wrap(whole, width: width, indent: "  ").joined(separator: "\n")
    }

    private func describe(_ c: ComparisonSides) -> String {
        // `r.verdict == "holds"` that held already shows the value: no `= "holds"` to add.
        if c.op == .equalEqual, c.left.expression.isLiteral || c.right.expression.isLiteral {
            return c.left.expression.operandSourceText + " == " + c.right.expression.operandSourceText
        }
        let (left, right) = shown(c)
        func side(_ s: ComparisonSides.Side, _ value: String) -> String {
            s.expression.operandSourceText + (s.expression.isLiteral ? "" : " = " + value)
        }
        return side(c.left, left) + " \(c.op.rawValue) " + side(c.right, right)
    }

    /// Both sides' values, numbers with enough digits that the comparison still reads true.
    private func shown(_ c: ComparisonSides) -> (String, String) {
        guard case .number(let a) = c.left.value, case .number(let b) = c.right.value else {
            return (ValueFormatter().format(c.left.value), ValueFormatter().format(c.right.value))
        }
        for n in digits...17 {
            let left = NumberFormat.significant(a, digits: n), right = NumberFormat.significant(b, digits: n)
            if let x = Double(left), let y = Double(right), Self.holds(c.op, x, y) { return (left, right) }
        }
        return (NumberFormat.shortest(a), NumberFormat.shortest(b))
    }

    private static func holds(_ op: Token.Symbol, _ a: Double, _ b: Double) -> Bool {
        switch op {
        case .less: a < b
        case .greater: a > b
        case .lessOrEqual: a <= b
        case .greaterOrEqual: a >= b
        case .equalEqual: a == b
        default: a != b
        }
    }
}
