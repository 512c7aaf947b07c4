import BatchNormKit

/// A norm layer as the language knows it: the command that builds it, the fields a learner reads
/// and sets, and how it prints. Each layer's conformance lives in one file (`BatchNorm+Shell.swift`);
/// what every layer shares (γ, β, eps, its settings, the mode) comes from the kit's protocol.
protocol ShellLayer: NormalizationLayer {
    /// `batchnorm(C, …)`: the constructor in the command table.
    static var command: CommandSpec { get }
    /// The layer's fields in the order help and completion list them; `Fields.common` gives the shared ones.
    var fields: [Fields.Accessor] { get }
    /// The printout of `bn` at the prompt.
    func render(with formatter: ValueFormatter) -> String
}

extension ShellLayer {
    var fields: [Fields.Accessor] { Fields.common(self) }
    func render(with formatter: ValueFormatter) -> String { formatter.generic(layer: self) }
}

/// Every layer the language can build. A new layer is its kit file, its `+Shell` file, and a line here.
enum LayerCatalogue {
    static var types: [any ShellLayer.Type] { [BatchNorm.self, LayerNorm.self, InstanceNorm.self, GroupNorm.self, RMSNorm.self] }
    static var commands: [CommandSpec] { types.map { $0.command } }
}

extension Param where T == Double {
    /// eps as every per-sample norm takes it, with the kit's default.
    static func eps(default value: Double) -> Param {
        .number("eps", default: value, "added to the variance before the square root")
    }
}
