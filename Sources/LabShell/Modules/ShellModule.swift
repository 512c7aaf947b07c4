import BatchNormKit

/// A layer or network that is not a norm layer, as the language knows it: conv2d, the pools,
/// flatten and a conv net. Each type's shell face lives in one file (`Conv2d+Shell.swift`); the
/// interpreter, fields and printing only ask this protocol, so a new kind of layer touches no switch.
public protocol ShellModule: AnyObject {
    /// How error messages name it: "a layer conv2d(1 → 8, 3×3)", "a conv net 1 → 8 → 16".
    var typeName: String { get }
    /// One line, for a list or a record.
    var brief: String { get }
    /// The printout at the prompt.
    var printout: String { get }
    /// The readable fields, in the order completion lists them.
    var fieldNames: [String] { get }
    func field(_ name: String) -> Value?
    /// `m.name = value`; the default says the field is read-only.
    func setField(_ name: String, to value: Value, at location: SourcePosition) throws(LabError)
    /// `m(x)`, as in PyTorch.
    func callAsFunction(_ x: Tensor) throws(TensorError) -> Tensor
    /// The example that shows how it is called, for the error about a wrong call.
    var callExample: String { get }
    /// Training or eval mode, for `train(m)`/`eval(m)`; nil when the module has no mode.
    var mode: Bool? { get set }
}

extension ShellModule {
    public func setField(_ name: String, to value: Value, at location: SourcePosition) throws(LabError) {
        guard fieldNames.contains(name) else { throw Fields.unknownField(name, of: .module(self), at: location) }
        throw LabError(.type, "\(brief).\(name) is read-only", at: location)
    }

    public var mode: Bool? {
        get { nil }
        set {}
    }
}

/// A parameterless layer (a pool, flatten) as a shared object, like every other layer in the language.
final class FunctionModule: ShellModule {
    let name: String
    let summary: String
    let settings: [(String, Value)]
    let forward: (Tensor) throws(TensorError) -> Tensor

    init(name: String, summary: String, settings: [(String, Value)], forward: @escaping (Tensor) throws(TensorError) -> Tensor) {
        self.name = name
        self.summary = summary
        self.settings = settings
        self.forward = forward
    }

    public var typeName: String { "a layer \(name)" }
    public var brief: String { name }
    public var callExample: String { "y = \(name.prefix { $0 != "(" })(x)" }
    public var printout: String { "\(name): \(summary); no parameters" }
    public var fieldNames: [String] { settings.map(\.0) }
    public func field(_ name: String) -> Value? { settings.first { $0.0 == name }?.1 }
    public func callAsFunction(_ x: Tensor) throws(TensorError) -> Tensor { try forward(x) }
}
