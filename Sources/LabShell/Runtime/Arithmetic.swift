import BatchNormKit

/// `+ - * / **` and `@` between numbers and tensors: numbers follow IEEE arithmetic except that a
/// plain number divided by zero is an error (as in Python); tensors follow NumPy (x / 0 → ±inf or
/// NaN) and broadcast as NumPy does (`Tensor.broadcasting`). Comparisons of numbers give true or
/// false; with a tensor on either side they give a 0/1 mask, as `(x > 0) * 1.0` in PyTorch.
enum Arithmetic {
    static func apply(_ op: Token.Symbol, _ lhs: Value, _ rhs: Value, at location: SourcePosition,
                      shouldStop: () -> Bool = { false }) throws(LabError) -> Value {
        if op == .at { return try matmul(lhs, rhs, at: location, shouldStop: shouldStop) }
        if Parser.comparisons.contains(op) { return try compare(op, lhs, rhs, at: location) }
        let operation: ElementwiseOperation
        switch op {
        case .plus: operation = .add
        case .minus: operation = .subtract
        case .star: operation = .multiply
        case .slash: operation = .divide
        case .power: operation = .power
        default: throw LabError(.syntax, "'\(op.rawValue)' is not an arithmetic operator", at: location)
        }
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            if operation == .divide && b == 0 {
                throw LabError(.value, "division by zero", at: location)
            }
            if operation == .power && a == 0 && b < 0 {
                throw LabError(.value, "0 cannot be raised to a negative power", at: location)
            }
            return .number(apply(operation, a, b))
        case (.tensor(let t), .number(let b)):
            return .tensor(t.combined(with: Float(b), operation))
        case (.number(let a), .tensor(let t)):
            return .tensor(t.combined(with: Float(a), operation, scalarOnLeft: true))
        case (.tensor(let a), .tensor(let b)):
            do { return .tensor(try a.broadcasting(b, operation)) } catch { throw LabError(error, at: location) }
        case (.string(let a), .string(let b)) where operation == .add:
            // Strings share the element cap's byte budget, so doubling one in a loop is an error, not a crash.
            let bytes = a.utf8.count + b.utf8.count, limit = TensorLimits.maxElements * MemoryLayout<Float>.size
            guard bytes <= limit else {
                throw LabError(.limit, "that string would be \(bytes) bytes, larger than the limit of \(limit) bytes "
                    + "(the tensor limit's budget: --max-elements)", at: location)
            }
            return .string(a + b)
        default:
            throw LabError(.type, "cannot \(operation == .power ? "raise" : operation.rawValue) \(lhs.typeName) "
                + "\(operation == .power ? "to" : "and") \(rhs.typeName)", at: location)
        }
    }

    /// `a @ b`: NumPy's matmul of 1-D and 2-D tensors (two vectors give a number).
    private static func matmul(_ lhs: Value, _ rhs: Value, at location: SourcePosition,
                               shouldStop: () -> Bool) throws(LabError) -> Value {
        guard case .tensor(let a) = lhs, case .tensor(let b) = rhs else {
            throw LabError(.type, "@ multiplies matrices and vectors (tensors); got \(lhs.typeName) @ \(rhs.typeName) — "
                + "use * for numbers", at: location)
        }
        do throws(TensorError) {
            switch try a.matmul(b, shouldStop: shouldStop) {
            case .scalar(let v): return .number(Double(v))
            case .tensor(let t): return .tensor(t)
            }
        } catch {
            throw LabError(error, at: location)
        }
    }

    /// `<`, `>`, `<=`, `>=`, `==`, `!=` between numbers (and `==`/`!=` between strings and
    /// booleans): what lesson checks are written with.
    private static func compare(_ op: Token.Symbol, _ lhs: Value, _ rhs: Value, at location: SourcePosition) throws(LabError) -> Value {
        switch (lhs, rhs) {
        case (.number(let a), .number(let b)):
            switch op {
            case .less: return .bool(a < b)
            case .greater: return .bool(a > b)
            case .lessOrEqual: return .bool(a <= b)
            case .greaterOrEqual: return .bool(a >= b)
            case .equalEqual: return .bool(a == b)
            default: return .bool(a != b)
            }
        case (.string(let a), .string(let b)) where op == .equalEqual || op == .notEqual:
            return .bool((a == b) == (op == .equalEqual))
        case (.bool(let a), .bool(let b)) where op == .equalEqual || op == .notEqual:
            return .bool((a == b) == (op == .equalEqual))
        case (.tensor, _), (_, .tensor):
            return try maskOf(op, lhs, rhs, at: location)
        default:
            throw LabError(.type, "cannot compare \(lhs.typeName) and \(rhs.typeName) with '\(op.rawValue)'", at: location)
        }
    }

    /// A comparison with a tensor on one side or both: 1 where it holds, 0 where not, broadcast.
    private static func maskOf(_ op: Token.Symbol, _ lhs: Value, _ rhs: Value, at location: SourcePosition) throws(LabError) -> Value {
        let operation: ElementwiseOperation = switch op {
        case .less: .less
        case .greater: .greater
        case .lessOrEqual: .lessOrEqual
        case .greaterOrEqual: .greaterOrEqual
        case .equalEqual: .equal
        default: .notEqual
        }
        switch (lhs, rhs) {
        case (.tensor(let a), .tensor(let b)):
            do { return .tensor(try a.broadcasting(b, operation)) } catch { throw LabError(error, at: location) }
        case (.tensor(let t), .number(let b)):
            return .tensor(t.combined(with: Float(b), operation))
        case (.number(let a), .tensor(let t)):
            return .tensor(t.combined(with: Float(a), operation, scalarOnLeft: true))
        default:
            throw LabError(.type, "cannot compare \(lhs.typeName) and \(rhs.typeName) with '\(op.rawValue)'", at: location)
        }
    }

    private static func apply(_ op: ElementwiseOperation, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: pow(a, b)
        default: .nan  // comparisons of numbers are `compare`'s
        }
    }
}

/// `[…]` literals: numbers make a vector, equal-shaped tensors stack along a new first axis,
/// so `[[1, 2], [3, 4]]` is a (2, 2) tensor and `[x, y]` stacks two tensors.
enum TensorLiteral {
    static func build(_ items: [Value], at location: SourcePosition) throws(LabError) -> Tensor {
        if items.isEmpty { return Tensor(vector: []) }
        // Refuse before copying anything: [x, x, …] of a large x must not allocate first.
        var shapeOfResult = [items.count]
        if case .tensor(let first) = items[0] { shapeOfResult += first.shape }
        do throws(TensorError) { _ = try Tensor.checkedElementCount(shapeOfResult) } catch { throw LabError(error, at: location) }
        var numbers: [Float] = []
        var tensors: [Tensor] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .number(let v): numbers.append(Float(v))
            case .tensor(let t): tensors.append(t)
            default:
                throw LabError(.type, "a tensor literal holds numbers or tensors; item \(index + 1) is \(item.typeName)", at: location)
            }
        }
        if tensors.isEmpty { return Tensor(vector: numbers) }
        guard numbers.isEmpty else {
            throw LabError(.type, "a tensor literal cannot mix numbers and lists: write every row in brackets", at: location)
        }
        let shape = tensors[0].shape
        for (index, t) in tensors.enumerated() where t.shape != shape {
            throw LabError(.value, "ragged tensor literal: item \(index + 1) has shape \(t.shapeDescription), "
                + "item 1 has \(tensors[0].shapeDescription); every row must have the same length", at: location)
        }
        do {
            return try Tensor(shape: [tensors.count] + shape, scalars: tensors.flatMap(\.scalars))
        } catch {
            throw LabError(error, at: location)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
