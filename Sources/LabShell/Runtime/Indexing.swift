import BatchNormKit

/// `x[i, 1:3, ::2]`: NumPy's basic indexing on tensors (integers drop their axis, slices keep it,
/// fewer subscripts than axes take the rest whole, negative positions count from the end), and
/// `r.arms[0]` on lists. The tensor work is the kit's `Tensor.subscripted`; here each written
/// number becomes a position with its place, so an error points at the subscript that caused it.
enum Indexing {
    /// One subscript after evaluation: a position, or a slice whose left-out parts are nil.
    enum Part {
        case at(Value, SourcePosition)
        case slice(start: Value?, stop: Value?, step: Value?, SourcePosition)

        var location: SourcePosition {
            switch self {
            case .at(_, let l), .slice(_, _, _, let l): l
            }
        }
    }

    static func apply(_ object: Value, _ parts: [Part], at location: SourcePosition) throws(LabError) -> Value {
        if case .list(let items) = object {
            guard parts.count == 1, case .at(let index, let l) = parts[0], case .number(let v) = index, v.isFinite, v == v.rounded() else {
                throw LabError(.type, "a list is indexed by one whole number, as in r.arms[0]", at: parts.first?.location ?? location)
            }
            guard v >= -Double(items.count), v < Double(items.count) else {
                throw LabError(.value, "index \(NumberFormat.shortest(v)) is out of range for a list of \(items.count)", at: l)
            }
            return items[v < 0 ? Int(v) + items.count : Int(v)]
        }
        guard case .tensor(let t) = object else {
            throw LabError(.type, "only tensors and lists can be indexed; this is \(object.typeName)", at: location)
        }
        guard parts.count <= t.rank else {
            throw LabError(TensorError.tooManyIndices(given: parts.count, rank: t.rank), at: parts[t.rank].location)
        }
        var subscripts: [TensorSubscript] = []
        for (axis, part) in parts.enumerated() {
            switch part {
            case .at(let value, let l):
                let v = try wholeNumber(value, what: "an index", at: l)
                let size = t.shape[axis]
                // Checked as a Double first: 1e20 is out of range, not an Int conversion trap.
                guard v >= -Double(size), v < Double(size) else {
                    throw LabError(.value, TensorError.outOfRange(index: NumberFormat.shortest(v), axis: axis, size: size), at: l)
                }
                subscripts.append(.index(Int(v)))
            case .slice(let start, let stop, let step, let l):
                func bound(_ value: Value?) throws(LabError) -> Int? {
                    guard let value, !isNone(value) else { return nil }
                    // Any bound past ±2⁶² selects what ±2⁶² does: the axis is far shorter.
                    return Int(Swift.max(-4e18, Swift.min(4e18, try wholeNumber(value, what: "a slice bound", at: l))))
                }
                let stepSize = try bound(step)
                if stepSize == 0 { throw LabError(TensorError.zeroSliceStep, at: l) }
                subscripts.append(.slice(start: try bound(start), stop: try bound(stop), step: stepSize))
            }
        }
        do throws(TensorError) {
            switch try t.subscripted(subscripts) {
            case .scalar(let v): return .number(Double(v))
            case .tensor(let r): return .tensor(r)
            }
        } catch {
            throw LabError(error, at: location)
        }
    }

    private static func isNone(_ value: Value) -> Bool { if case .none = value { true } else { false } }

    private static func wholeNumber(_ value: Value, what: String, at location: SourcePosition) throws(LabError) -> Double {
        guard case .number(let v) = value, v.isFinite, v == v.rounded() else {
            let got = if case .number(let v) = value { NumberFormat.shortest(v) } else { value.typeName }
            throw LabError(.type, "\(what) is a whole number, got \(got)", at: location)
        }
        return v
    }
}
