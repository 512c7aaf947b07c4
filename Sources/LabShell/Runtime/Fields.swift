import BatchNormKit

/// The `.name` fields of values: what a learner can read from a layer, a record or a tensor,
/// and which layer fields can be assigned. Tab completion after a dot lists the same names.
enum Fields {
    /// Field names of a value, for completion and for "did you mean".
    static func names(of value: Value) -> [String] {
        switch value {
        case .layer(let layer): accessors(for: layer).map(\.name)
        case .record(let record): record.fields.map(\.name)
        case .tensor: ["shape", "ndim", "T"]
        case .model: modelNames
        case .linear: linearNames
        case .dataset: ["x", "labels", "classes", "count"]
        case .module(let m): m.fieldNames
        default: []
        }
    }

    static func get(_ name: String, of value: Value, at location: SourcePosition) throws(LabError) -> Value {
        switch value {
        case .layer(let layer):
            if let accessor = accessors(for: layer).first(where: { $0.name == pyTorchName(name) }) { return accessor.get() }
        case .record(let record):
            if let field = record[name] { return field }
        case .tensor(let t):
            if name == "shape" { return .tensor(Tensor(vector: t.shape.map(Float.init))) }
            // PyTorch's x.ndim (x.dim()): the number of axes, for a function that takes 2-D and 4-D input.
            if name == "ndim" { return .number(Double(t.rank)) }
            if name == "T" {
                do throws(TensorError) { return .tensor(try t.transposed()) } catch { throw LabError(error, at: location) }
            }
        case .model(let m):
            if let field = model(name, of: m) { return field }
        case .linear(let l):
            if let field = linear(name, of: l) { return field }
        case .dataset(let d):
            switch name {
            case "x": return .tensor(d.samples)
            case "labels": return .tensor(Tensor(vector: d.labels.map(Float.init)))
            case "classes": return .number(Double(d.classes))
            case "count": return .number(Double(d.count))
            default: break
            }
        case .module(let m):
            if let field = m.field(name) { return field }
        default:
            throw LabError(.type, "\(value.typeName) has no fields", at: location)
        }
        throw unknownField(name, of: value, at: location)
    }

    static func set(_ name: String, of object: Value, to value: Value, at location: SourcePosition) throws(LabError) {
        if case .linear(let l) = object { return try setLinear(name, of: l, to: value, at: location) }
        if case .module(let m) = object { return try m.setField(name, to: value, at: location) }
        guard case .layer(let layer) = object else {
            throw LabError(.type, "only a layer's fields can be assigned, and this is \(object.typeName)", at: location)
        }
        guard let accessor = accessors(for: layer).first(where: { $0.name == pyTorchName(name) }) else {
            throw unknownField(name, of: object, at: location)
        }
        guard let set = accessor.set else {
            throw LabError(.type, "\(layer.layerName).\(name) is read-only", at: location)
        }
        try set(value, location)
    }

    /// PyTorch calls γ and β `weight` and `bias`; a layer answers to both names.
    private static func pyTorchName(_ name: String) -> String {
        switch name {
        case "weight": "gamma"
        case "bias": "beta"
        default: name
        }
    }

    static func unknownField(_ name: String, of value: Value, at location: SourcePosition) -> LabError {
        // PyTorch's methods have a bnlab command: say which, rather than "no field".
        if name == "eval" || name == "train", case .layer = value {
            return LabError(.name, "bnlab writes \(name)(bn) for PyTorch's bn.\(name)(): \(name) is a command that takes the layer "
                + "(or a model)", at: location)
        }
        if name == "eval" || name == "train", value.isNetwork {
            return LabError(.name, "bnlab writes \(name)(net) for PyTorch's net.\(name)(): \(name) is a command that takes the model",
                            at: location)
        }
        let names = Fields.names(of: value)
        return LabError(.name, Suggestions.message("\(value.typeName) has no field '\(name)'", closestTo: name, in: names,
                                                   then: "fields: \(names.joined(separator: ", "))"), at: location)
    }

    struct Accessor {
        let name: String
        let get: () -> Value
        let set: ((Value, SourcePosition) throws(LabError) -> Void)?
    }

    static func accessors(for layer: any NormalizationLayer) -> [Accessor] {
        (layer as? any ShellLayer)?.fields ?? common(layer)
    }

    /// What every layer has, in this order: gamma, beta (where the layer learns a shift), eps, its
    /// settings (read-only), training.
    static func common(_ layer: any NormalizationLayer) -> [Accessor] {
        var list = [tensorField("gamma", { layer.gamma }, { t throws(TensorError) in try layer.setGamma(t) })]
        if layer.hasShift { list.append(tensorField("beta", { layer.beta }, { t throws(TensorError) in try layer.setBeta(t) })) }
        list.append(Accessor(name: "eps", get: { .number(layer.eps) }) { v, l throws(LabError) in layer.eps = try nonNegative(v, "eps", l) })
        list += layer.settings.map { setting in Accessor(name: setting.name, get: { value(of: setting.value) }, set: nil) }
        list.append(Accessor(name: "training", get: { .bool(layer.training) }) { value, location throws(LabError) in
            layer.training = try bool(value, "training", location)
        })
        return list
    }

    /// `common`, by name, for a layer that orders its fields itself.
    static func commonByName(_ layer: any NormalizationLayer) -> [String: Accessor] {
        Dictionary(common(layer).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func value(of setting: LayerSetting.Value) -> Value {
        switch setting {
        case .number(let v): .number(v)
        case .bool(let b): .bool(b)
        case .text(let t): .string(t)
        case .sizes(let sizes): .tensor(Tensor(vector: sizes.map(Float.init)))
        }
    }

    /// A tensor-valued field whose setter validates the shape in the engine. A plain number is
    /// accepted too and fills every channel (`bn.gamma = 2`).
    static func tensorField(_ name: String, _ get: @escaping () -> Tensor,
                                    _ set: @escaping (Tensor) throws(TensorError) -> Void) -> Accessor {
        Accessor(name: name, get: { .tensor(get()) }) { value, location throws(LabError) in
            let tensor: Tensor
            switch value {
            case .tensor(let t): tensor = t
            case .number(let v): tensor = Tensor(vector: [Float](repeating: Float(v), count: get().count)).reshapedOrSelf(get().shape)
            default: throw LabError(.type, "\(name) must be a tensor or a number, got \(value.typeName)", at: location)
            }
            do throws(TensorError) { try set(tensor) } catch { throw LabError(error, at: location) }
        }
    }

    private static func bool(_ value: Value, _ name: String, _ location: SourcePosition) throws(LabError) -> Bool {
        guard case .bool(let b) = value else { throw LabError(.type, "\(name) must be true or false, got \(value.typeName)", at: location) }
        return b
    }

    private static func nonNegative(_ value: Value, _ name: String, _ location: SourcePosition) throws(LabError) -> Double {
        guard case .number(let v) = value, v >= 0, v.isFinite else {
            let got = if case .number(let v) = value { NumberFormat.shortest(v) } else { value.typeName }
            throw LabError(.value, "\(name) must be a finite number ≥ 0, got \(got)", at: location)
        }
        return v
    }
}

extension Tensor {
    /// The same values under `shape` when the counts agree (they always do for a filled parameter).
    func reshapedOrSelf(_ shape: [Int]) -> Tensor {
        (try? reshaped(shape)) ?? self
    }
}
