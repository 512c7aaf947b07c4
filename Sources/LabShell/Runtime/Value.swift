import BatchNormKit

/// A value the language computes with: what a variable holds and what an expression yields.
public enum Value {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case tensor(Tensor)
    /// A normalization layer. Layers are shared objects: `b = bn` names the same layer.
    case layer(any NormalizationLayer)
    case record(Record)
    /// An ordered list of values that are not all numbers (a list of numbers is a tensor):
    /// an experiment's arms, its findings. Indexed like a vector, `r.arms[0]`.
    case list([Value])
    /// A trainable network (`mlp([2, 64, 2])`), shared like a layer.
    case model(MLP)
    /// A fully connected layer inside a network (`net.blocks[0].linear`), y = x·Wᵀ + b;
    /// the network's own object, so what is set on it is set in the network.
    case linear(Linear)
    /// Labelled data (`spirals(300)`, `digits()`).
    case dataset(Dataset)
    /// A conv layer, a pool, flatten or a conv net (`conv2d(1, 8, 3)`, `cnn([1, 8, 16])`), shared like a layer.
    case module(any ShellModule)
    /// A command named without calling it, e.g. `randn` on its own.
    case command(CommandSpec)
    /// A function the learner defined with `def`; `f(x)` calls it.
    case function(UserFunction)

    /// The kind of value, as error messages name it.
    public var typeName: String {
        switch self {
        case .number: "a number"
        case .string: "a string"
        case .bool: "true/false"
        case .none: "none"
        case .tensor(let t): "a tensor \(t.shapeDescription)"
        case .layer(let l): "a layer \(l.layerName)"
        case .record: "a record"
        case .list(let items): "a list of \(items.count)"
        case .model(let m): "a model with sizes \(m.sizes)"
        case .linear(let l): "a layer \(l.layerName)"
        case .dataset(let d): "the data set \(d.name) (\(d.count) samples)"
        case .module(let m): m.typeName
        case .command(let c): "the command \(c.name)"
        case .function(let f): "the function \(f.name)"
        }
    }

    /// Shortest text that reads back as the same number (`NumberFormat.shortest`): what the prompt prints.
    public static func format(number: Double) -> String { NumberFormat.shortest(number) }
}

/// A small named collection of values, such as the gradients `backward` returns (`g.dx`).
public struct Record {
    public var fields: [(name: String, value: Value)]

    public init(_ fields: [(name: String, value: Value)]) {
        self.fields = fields
    }

    public subscript(name: String) -> Value? {
        fields.first { $0.name == name }?.value
    }
}
