/// A comparison argument as written and as evaluated, `max(abs(m)) < 1e-6` with both sides'
/// values, so a passing `check` can show the number it tested instead of only its claim.
/// The interpreter keeps it while evaluating the argument: nothing is evaluated twice.
struct ComparisonSides {
    struct Side {
        let expression: Expr
        let value: Value
    }

    let left: Side
    let op: Token.Symbol
    let right: Side
}

extension Interpreter {
    /// An argument's value and, when the argument is a comparison (`a < b`), its two sides:
    /// evaluated left, right, then compared, the order `evaluate` follows for any chain.
    func evaluateKeepingComparison(_ expr: Expr) throws(LabError) -> (value: Value, comparison: ComparisonSides?) {
        guard case .chain(let first, let rest) = expr, rest.count == 1, Parser.comparisons.contains(rest[0].op) else {
            return (try evaluate(expr), nil)
        }
        let link = rest[0]
        let left = try evaluate(first)
        let right = try evaluate(link.operand)
        let value = try Arithmetic.apply(link.op, left, right, at: link.location)
        return (value, ComparisonSides(left: .init(expression: first, value: left), op: link.op,
                                  right: .init(expression: link.operand, value: right)))
    }
}
