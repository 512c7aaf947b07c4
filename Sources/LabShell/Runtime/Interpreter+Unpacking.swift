import BatchNormKit

extension Interpreter {
    /// `a, b = value`: a list gives one item to each name, a tensor one row (`x[0]`, `x[1]`) — as
    /// Python unpacks; any other count is an error that names both.
    func unpack(_ value: Value, into names: [(name: String, location: SourcePosition)], at location: SourcePosition) throws(LabError) {
        for target in names where commands[target.name] != nil {
            throw LabError(.name, "'\(target.name)' is a command; pick another name for the variable", at: target.location)
        }
        let items: [Value]
        switch value {
        case .list(let list): items = list
        case .tensor(let t) where t.rank >= 1 && t.shape[0] == names.count:
            var rows: [Value] = []
            for row in 0..<names.count {
                switch try engine(at: location, { () throws(TensorError) in try t.subscripted([.index(row)]) }) {
                case .scalar(let v): rows.append(.number(Double(v)))
                case .tensor(let r): rows.append(.tensor(r))
                }
            }
            items = rows
        case .tensor(let t):
            throw LabError(.value, "cannot unpack a tensor of shape \(t.shapeDescription) into \(names.count) names: "
                           + "its first axis must have \(names.count) rows", at: location)
        default:
            throw LabError(.type, "cannot unpack \(value.typeName) into \(names.count) names: a, b = needs a list, as a function's return a, b gives", at: location)
        }
        guard items.count == names.count else {
            throw LabError(.value, "cannot unpack \(items.count) value\(items.count == 1 ? "" : "s") into \(names.count) names "
                           + "(\(names.map(\.name).joined(separator: ", ")))", at: location)
        }
        for (target, item) in zip(names, items) { assign(target.name, item) }
    }

    private func engine<T>(at location: SourcePosition, _ body: () throws(TensorError) -> T) throws(LabError) -> T {
        do { return try body() } catch { throw LabError(error, at: location) }
    }
}
