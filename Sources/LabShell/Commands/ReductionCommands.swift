import BatchNormKit

extension CommandTable {
    /// Numbers from tensors, for checks and exercises: `max(abs(channel_means(y))) < 1e-6`, and the
    /// same reductions along axes for writing a norm by hand: `mean(x, axis: 0)`.
    static var reductionCommands: [CommandSpec] {
        typealias P = ReductionParameters
        func reduction(_ reduction: Reduction, _ summary: String, brief: String, torch: String, pytorch: String,
                       _ pick: @escaping (ChannelSummary) -> Double) -> CommandSpec {
            let name = reduction.rawValue
            let corrects = reduction == .variance || reduction == .std
            let options: [any ParameterDeclaration] = [P.axis, P.keepdims] + (corrects ? [P.correction] : [])
            let example = corrects ? "\(name)(randn(8, 3), axis: 0, correction: 1)" : "\(name)(randn(8, 3), axis: 0)"
            return CommandSpec(name, summary + "; with axis: along those axes only, as PyTorch's \(torch)", brief: brief,
                               example: example, pytorch: pytorch, positional: [P.x], options: options) { call throws(LabError) in
                let tensor = call[P.x]
                let correction = corrects ? call[P.correction] : 0
                guard correction >= 0, correction.isFinite else {
                    throw LabError(.value, "correction must be a number ≥ 0 (0 divides by n, 1 by n − 1), got \(NumberFormat.shortest(correction))",
                                   at: call.locationOf(P.correction))
                }
                let axes = try call[P.axis].map { (v) throws(LabError) in try P.axes(v, rank: tensor.rank, at: call.locationOf(P.axis)) }
                let keepdims = call[P.keepdims]
                guard axes != nil || keepdims else {
                    // Over every value: the statistic `check` and the lessons have always used.
                    guard tensor.count > 0 else { throw LabError(.value, "\(name) of an empty tensor is undefined", at: call.locationOf(P.x)) }
                    let s = ChannelSummary.summarize(tensor.scalars[...])
                    guard s.nanCount + s.infiniteCount == 0 else { return .number(.nan) }
                    let n = Double(s.count), divisor = max(0, n - correction)
                    switch reduction {
                    case .variance: return .number(s.variance * n / divisor)
                    case .std: return .number((s.variance * n / divisor).squareRoot())
                    default: return .number(pick(s))
                    }
                }
                let result = try call.engine { () throws(TensorError) in
                    try tensor.reduced(reduction, axes: axes, keepdims: keepdims, correction: correction)
                }
                let everyAxis = (axes?.count ?? tensor.rank) == tensor.rank
                return everyAxis && !keepdims ? .number(Double(result.scalars[0])) : .tensor(result)
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
            reduction(.mean, "the mean of every value of x (NaN if any value is NaN or ±∞)",
                      brief: "the mean of x, or along axes", torch: "x.mean(dim=0)",
                      pytorch: "x.mean() · with axis: 0, keepdims: true, x.mean(dim=0, keepdim=True)") { $0.mean },
            reduction(.variance, "the variance of every value of x, biased (÷ n) unless correction: 1 (÷ n − 1)",
                      brief: "the variance (÷ n) of x, or along axes", torch: "x.var(dim=0, correction=0)",
                      pytorch: "x.var(correction=0) # PyTorch's default, correction=1, divides by n−1") { $0.variance },
            reduction(.std, "the standard deviation (÷ n unless correction: 1) of every value of x",
                      brief: "the standard deviation (÷ n) of x, or along axes", torch: "x.std(dim=0, correction=0)",
                      pytorch: "x.std(correction=0)") { $0.std },
            reduction(.min, "the smallest value of x", brief: "the smallest value of x, or along axes",
                      torch: "x.amin(dim=0)", pytorch: "x.min() · with axis: 0, x.amin(dim=0)") { Double($0.min) },
            reduction(.max, "the largest value of x", brief: "the largest value of x, or along axes",
                      torch: "x.amax(dim=0)", pytorch: "x.max() · with axis: 0, x.amax(dim=0)") { Double($0.max) },
            reduction(.sum, "the sum of every value of x", brief: "the sum of x, or along axes",
                      torch: "x.sum(dim=0)", pytorch: "x.sum() · with axis: 0, x.sum(dim=0)") { $0.mean * Double($0.count) },
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

/// The parameters of `sum`, `mean`, `var`, `std`, `min` and `max`.
enum ReductionParameters {
    static let x = Param.tensor("x", "a tensor")
    static let axis = Param<Value?>.any("axis", "an axis or a list of them (negative counts from the end); left out, every value")
    static let keepdims = Param.bool("keepdims", default: false, "keep each reduced axis with size 1, so the result broadcasts against x")
    static let correction = Param.number("correction", default: 0, "subtracted from n before dividing: 0 biased (NumPy's default), 1 unbiased (PyTorch's)")

    /// `axis: 0` or `axis: [0, 2]` as whole numbers, each checked against the rank here (so a huge
    /// number is an error, not a conversion trap); the kit checks the rest (repeats).
    static func axes(_ value: Value, rank: Int, at location: SourcePosition) throws(LabError) -> [Int] {
        let numbers: [Double]
        switch value {
        case .number(let v): numbers = [v]
        case .tensor(let t) where t.rank == 1: numbers = t.scalars.map(Double.init)
        default: throw LabError(.type, "axis must be a whole number or a list of them, as [0, 2]; got \(value.typeName)", at: location)
        }
        return try numbers.map { (v) throws(LabError) -> Int in
            guard v.isFinite, v == v.rounded() else {
                throw LabError(.type, "an axis is a whole number, got \(NumberFormat.shortest(v))", at: location)
            }
            guard v >= -Double(rank), v < Double(rank) else {
                throw LabError(.value, TensorError.axisOutOfRange(axis: NumberFormat.shortest(v), rank: rank), at: location)
            }
            return Int(v)
        }
    }
}
