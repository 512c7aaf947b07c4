import BatchNormKit

extension CommandTable {
    /// The array language for writing a norm by hand, CS231n-style: elementwise functions,
    /// `where`, and reordering and joining axes (`x.T`, `a @ b` and slicing are syntax).
    static var arrayCommands: [CommandSpec] {
        typealias P = ArrayParameters
        func elementwise(_ function: ElementwiseFunction, _ summary: String, brief: String, example: String) -> CommandSpec {
            CommandSpec(function.rawValue, summary, brief: brief, example: example, positional: [P.operand]) { call throws(LabError) in
                switch call[P.operand] {
                case .number(let v): return .number(function.apply(v))
                case .tensor(let t): return .tensor(t.applying(function))
                case let other:
                    throw LabError(.type, "\(function.rawValue) takes a number or a tensor, got \(other.typeName)", at: call.locationOf(P.operand))
                }
            }
        }
        return [
            elementwise(.sqrt, "the square root of a number or of every element (NaN below 0), as torch.sqrt",
                        brief: "the square root of a number or every element (torch.sqrt)",
                        example: "sqrt(var(randn(8, 3), axis: 0) + 1e-5)"),
            elementwise(.exp, "e to the power of a number or of every element, as torch.exp",
                        brief: "e to the power of a number or every element (torch.exp)", example: "exp([0, 1, 2])"),
            elementwise(.log, "the natural logarithm (log(0) is -inf, below 0 NaN), as torch.log",
                        brief: "the natural logarithm of a number or every element (torch.log)", example: "log(exp([1, 2]))"),
            elementwise(.tanh, "the hyperbolic tangent of a number or of every element, as torch.tanh",
                        brief: "tanh of a number or every element (torch.tanh)", example: "tanh(randn(4))"),
            elementwise(.relu, "max(x, 0) for a number or every element (NaN stays NaN), as torch.relu",
                        brief: "max(x, 0) for a number or every element (torch.relu)", example: "relu(randn(4, 3))"),
            CommandSpec("where", "a where the condition is nonzero, b elsewhere, all three broadcast, as torch.where(cond, a, b)",
                        brief: "a where cond is nonzero, else b (torch.where)",
                        example: "x = randn(4, 3); where(x > 0, x, 0)",
                        positional: [P.condition, P.whereTrue, P.whereFalse]) { call throws(LabError) in
                var parts: [Tensor] = []
                for parameter in [P.condition, P.whereTrue, P.whereFalse] {
                    switch call[parameter] {
                    case .tensor(let t): parts.append(t)
                    case .number(let v): parts.append(Tensor(vector: [Float(v)]))
                    case .bool(let b): parts.append(Tensor(vector: [b ? 1 : 0]))
                    case let other:
                        throw LabError(.type, "where: \(parameter.name) must be a tensor or a number, got \(other.typeName)", at: call.locationOf(parameter))
                    }
                }
                let result = try call.engine { () throws(TensorError) in try Tensor.selecting(parts[0], parts[1], parts[2]) }
                let allNumbers = [P.condition, P.whereTrue, P.whereFalse].allSatisfy { if case .tensor = call[$0] { false } else { true } }
                return allNumbers ? .number(Double(result.scalars[0])) : .tensor(result)
            },
            CommandSpec("transpose", "the transpose of a 2-D tensor (a vector is its own), the same as x.T, as torch's x.T",
                        brief: "the transpose of a 2-D tensor, also written x.T",
                        example: "transpose(randn(2, 3)).shape", positional: [P.matrix]) { call throws(LabError) in
                let x = call[P.matrix]
                return .tensor(try call.engine { () throws(TensorError) in try x.transposed() })
            },
            CommandSpec("permute", "the axes of x in a new order: axis i of the result is axis dims[i] of x, as x.permute(dims)",
                        brief: "the axes of x in a new order (x.permute(dims))",
                        example: "permute(randn(2, 3, 4), [2, 0, 1]).shape", positional: [P.permuted, P.dims]) { call throws(LabError) in
                let x = call[P.permuted]
                let dims = try ReductionParameters.axes(.tensor(call[P.dims]), rank: x.rank, at: call.locationOf(P.dims))
                return .tensor(try call.engine { () throws(TensorError) in try x.permuted(dims) })
            },
            CommandSpec("concat", "tensors joined along an existing axis; every other axis must match, as torch.cat",
                        brief: "tensors joined along an existing axis (torch.cat)",
                        example: "concat([ones(2, 3), zeros(1, 3)], axis: 0)", positional: [P.tensors],
                        options: [P.joinAxis]) { call throws(LabError) in
                let tensors = call[P.tensors], axis = call[P.joinAxis]
                let rank = tensors.first?.rank ?? 1
                let checked = try ReductionParameters.axes(.number(Double(axis)), rank: rank, at: call.locationOf(P.joinAxis))[0]
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.concatenated(tensors, axis: checked) })
            },
            CommandSpec("stack", "tensors of one shape stacked along a new axis, as torch.stack",
                        example: "stack([ones(3), zeros(3)], axis: 1)", positional: [P.tensors],
                        options: [P.joinAxis]) { call throws(LabError) in
                let tensors = call[P.tensors], axis = call[P.joinAxis]
                let rank = (tensors.first?.rank ?? 0) + 1
                let checked = try ReductionParameters.axes(.number(Double(axis)), rank: rank, at: call.locationOf(P.joinAxis))[0]
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.stacked(tensors, axis: checked) })
            },
        ]
    }
}

/// The parameters of the array commands.
enum ArrayParameters {
    static let operand = Param.any("x", "a number or a tensor")
    static let condition = Param.any("cond", "a tensor (or number): nonzero picks a, zero picks b")
    static let whereTrue = Param.any("a", "a tensor or number taken where cond is nonzero")
    static let whereFalse = Param.any("b", "a tensor or number taken where cond is zero")
    static let matrix = Param.tensor("x", "a 2-D tensor (or a vector)")
    static let permuted = Param.tensor("x", "the tensor")
    static let dims = Param.tensor("dims", "each axis once, as [2, 0, 1]")
    static let tensors = Param.tensors("tensors", "a list of tensors, as [a, b]")
    static let joinAxis = Param.integer("axis", default: 0, "where they join (negative counts from the end)")
}
