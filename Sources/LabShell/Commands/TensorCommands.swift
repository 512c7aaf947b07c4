import BatchNormKit

extension CommandTable {
    /// Making tensors and controlling the random generator.
    static var tensorCommands: [CommandSpec] {
        let sizes = Param.integer("sizes", "one size per axis: N, C, then L or H, W")
        let seed = Param.integer("n", "any whole number ≥ 0"), reshaped = Param.tensor("x", "the tensor")
        return [
            CommandSpec("seed", "restart the random generator (a fresh session uses seed 0)",
                        example: "seed(7)", pytorch: "torch.manual_seed(7) # PyTorch's generator: other numbers than bnlab's", positional: [seed], commandForm: true) { call throws(LabError) in
                let n = call[seed]
                guard n >= 0 else { throw LabError(.value, "seed must be ≥ 0, got \(n)", at: call.locationOf(seed)) }
                call.interpreter.generator = SeededGenerator(seed: UInt64(n))
                return .none
            },
            CommandSpec("randn", "a tensor of standard normal values (mean 0, std 1)",
                        example: "x = randn(64, 8) * 3 + 5", pytorch: "x = torch.randn(64, 8) * 3 + 5", variadic: sizes) { call throws(LabError) in
                let shape = try call.sizes()
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.randn(shape, using: &call.interpreter.generator) })
            },
            CommandSpec("rand", "a tensor of uniform values in [0, 1)",
                        example: "u = rand(16, 4)", pytorch: "u = torch.rand(16, 4)", variadic: sizes) { call throws(LabError) in
                let shape = try call.sizes()
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.rand(shape, using: &call.interpreter.generator) })
            },
            CommandSpec("zeros", "a tensor of zeros", example: "z = zeros(4, 3)", pytorch: "z = torch.zeros(4, 3)", variadic: sizes) { call throws(LabError) in
                let shape = try call.sizes()
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.zeros(shape) })
            },
            CommandSpec("ones", "a tensor of ones", example: "o = ones(8)", pytorch: "o = torch.ones(8)", variadic: sizes) { call throws(LabError) in
                let shape = try call.sizes()
                return .tensor(try call.engine { () throws(TensorError) in try Tensor.ones(shape) })
            },
            CommandSpec("reshape", "the same values under a new shape",
                        example: "y = reshape(randn(6), 2, 3)", pytorch: "y = torch.randn(6).reshape(2, 3)", positional: [reshaped],
                        variadic: sizes) { call throws(LabError) in
                let shape = try call.sizes()
                let x = call[reshaped]
                return .tensor(try call.engine { () throws(TensorError) in try x.reshaped(shape) })
            },
        ]
    }
}
