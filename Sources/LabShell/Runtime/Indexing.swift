import BatchNormKit

/// `x[i]`: element i of a vector (a number), or sample i along axis 0 of a larger tensor.
/// Negative indices count from the end, as in Python and NumPy.
enum Indexing {
    static func apply(_ object: Value, _ index: Value, at location: SourcePosition) throws(LabError) -> Value {
        if case .list(let items) = object {
            guard case .number(let v) = index, v.isFinite, v == v.rounded() else {
                throw LabError(.type, "an index is a whole number, got \(index.typeName)", at: location)
            }
            guard v >= -Double(items.count), v < Double(items.count) else {
                throw LabError(.value, "index \(NumberFormat.shortest(v)) is out of range for a list of \(items.count)", at: location)
            }
            return items[v < 0 ? Int(v) + items.count : Int(v)]
        }
        guard case .tensor(let t) = object else {
            throw LabError(.type, "only tensors and lists can be indexed; this is \(object.typeName)", at: location)
        }
        guard case .number(let v) = index, v.isFinite, v == v.rounded() else {
            throw LabError(.type, "an index is a whole number, got \(index.typeName)", at: location)
        }
        let size = t.shape[0]
        guard v >= -Double(size), v < Double(size) else {
            throw LabError(.value, "index \(NumberFormat.shortest(v)) is out of range for axis 0 of \(t.shapeDescription) (size \(size))", at: location)
        }
        let i = v < 0 ? Int(v) + size : Int(v)
        if t.rank == 1 { return .number(Double(t.scalars[i])) }
        do throws(TensorError) { return .tensor(try t.samples([i]).reshaped(Array(t.shape.dropFirst()))) } catch {
            throw LabError(error, at: location)
        }
    }
}
