import BatchNormKit

extension CommandTable {
    /// Numbers from tensors, for checks and exercises: `max(abs(channel_means(y))) < 1e-6`.
    static var reductionCommands: [CommandSpec] {
        func whole(_ name: String, _ summary: String, pytorch: String,
                   _ pick: @escaping (ChannelSummary) -> Double) -> CommandSpec {
            let x = Param.tensor("x", "a tensor")
            return CommandSpec(name, summary, example: "\(name)(x)", pytorch: pytorch, positional: [x]) { call throws(LabError) in
                let tensor = call[x]
                guard tensor.count > 0 else { throw LabError(.value, "\(name) of an empty tensor is undefined", at: call.locationOf(x)) }
                let s = ChannelSummary.summarize(tensor.scalars[...])
                return .number(s.nanCount + s.infiniteCount > 0 ? .nan : pick(s))
            }
        }
        func perChannel(_ name: String, _ summary: String, pytorch: String,
                        _ pick: @escaping (ChannelSummary) -> Double) -> CommandSpec {
            let x = Param.tensor("x", "(N, C, …)")
            return CommandSpec(name, summary, example: "\(name)(y)", pytorch: pytorch, positional: [x]) { call throws(LabError) in
                let tensor = call[x]
                guard tensor.rank >= 2 else { throw LabError(.value, "\(name) needs channels on axis 1: (N, C, …), got \(tensor.shapeDescription)", at: call.locationOf(x)) }
                return .tensor(Tensor(vector: ChannelSummary.perChannel(of: tensor).map { Float($0.nanCount + $0.infiniteCount > 0 ? .nan : pick($0)) }))
            }
        }
        let absArgument = Param.any("x", "a number or a tensor")
        return [
            whole("mean", "the mean of every value of x (NaN if any value is NaN or ±∞)", pytorch: "x.mean()") { $0.mean },
            whole("var", "the biased variance (÷ n) of every value of x",
                  pytorch: "x.var(correction=0) # PyTorch's default, correction=1, divides by n−1") { $0.variance },
            whole("std", "the standard deviation (÷ n) of every value of x", pytorch: "x.std(correction=0)") { $0.std },
            whole("min", "the smallest value of x", pytorch: "x.min()") { Double($0.min) },
            whole("max", "the largest value of x", pytorch: "x.max()") { Double($0.max) },
            whole("sum", "the sum of every value of x", pytorch: "x.sum()") { $0.mean * Double($0.count) },
            perChannel("channel_means", "the mean of each channel, as a vector",
                       pytorch: "y.mean(dim=0) # dim=(0, 2, 3) for (N, C, H, W)") { $0.mean },
            perChannel("channel_vars", "the biased variance (÷ n) of each channel, as a vector",
                       pytorch: "y.var(dim=0, correction=0) # dim=(0, 2, 3) for (N, C, H, W)") { $0.variance },
            CommandSpec("abs", "the absolute value of a number, or of every element of a tensor", brief: "the absolute value of a number or of every element", example: "max(abs(x))", pytorch: "x.abs().max()",
                        positional: [absArgument]) { call throws(LabError) in
                switch call[absArgument] {
                case .number(let v): return .number(abs(v))
                case .tensor(let t): return .tensor(t.absolute())
                case let other: throw LabError(.type, "abs takes a number or a tensor, got \(other.typeName)", at: call.locationOf(absArgument))
                }
            },
        ]
    }
}
