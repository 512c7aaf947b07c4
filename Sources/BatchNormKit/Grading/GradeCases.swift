/// The inputs a task is graded on, fresh for every seed: several shapes, 2-D and 4-D, and the
/// inputs that catch careless code — a constant channel (σ² = 0), a channel at 10⁴ ± 10⁻²
/// (where E[x²] − E[x]² cancels), eps 0 where the answer is still defined.
public enum GradeCases {
    public static func make(for task: GradingTask, seed: UInt64) throws(TensorError) -> [GradeCase] {
        var generator = SeededGenerator(seed: seed)
        switch task {
        case .batchnormForward, .batchnormBackward:
            let inputs: [Input] = [
                Input(name: "2-D (4, 3)", shape: [4, 3]),
                Input(name: "2-D (32, 5)", shape: [32, 5], scale: 3, offset: 5),
                Input(name: "2-D (16, 4), channel 2 constant", shape: [16, 4], constantGroup: 2),
                Input(name: "2-D (64, 3), channel 1 at 10⁴ ± 10⁻²", shape: [64, 3], largeMeanGroup: 1),
                Input(name: "2-D (8, 6), eps 0", shape: [8, 6], eps: 0),
                Input(name: "2-D (16, 3), channel 0 with σ ≈ 10⁻³", shape: [16, 3], smallSpreadGroup: 0),
                Input(name: "4-D (2, 3, 4, 5)", shape: [2, 3, 4, 5]),
                Input(name: "4-D (4, 2, 3, 3), channel 0 constant", shape: [4, 2, 3, 3], constantGroup: 0),
            ]
            guard task == .batchnormBackward else {
                return try inputs.map { input throws(TensorError) in try batchNormForward(input, using: &generator) }
            }
            // Not the 10⁴ ± 10⁻² channel: dx scales with 1/σ = 100 there, so float32's rounding of
            // μ alone moves a correct dx by more than any tolerance that still catches mistakes.
            return try inputs.filter { $0.largeMeanGroup == nil }.map { input throws(TensorError) in
                try backward(input, layer: .batchNorm, using: &generator)
            }
        case .layernormForward, .layernormBackward:
            let inputs: [Input] = [
                Input(name: "2-D (4, 6)", shape: [4, 6]),
                Input(name: "2-D (16, 10)", shape: [16, 10], scale: 2, offset: -3),
                Input(name: "2-D (8, 5), sample 3 constant", shape: [8, 5], constantGroup: 3),
                Input(name: "3-D (2, 3, 8)", shape: [2, 3, 8]),
                Input(name: "2-D (6, 4), eps 0", shape: [6, 4], eps: 0),
                Input(name: "2-D (6, 8), sample 2 with σ ≈ 10⁻³", shape: [6, 8], smallSpreadGroup: 2),
            ]
            return try inputs.map { input throws(TensorError) in
                task == .layernormForward ? try layerNormForward(input, using: &generator)
                    : try backward(input, layer: .layerNorm, using: &generator)
            }
        case .runningUpdate:
            let inputs: [(Input, Double)] = [
                (Input(name: "2-D (32, 4), momentum 0.1", shape: [32, 4], scale: 2, offset: 3), 0.1),
                (Input(name: "2-D (8, 3), momentum 0.3", shape: [8, 3]), 0.3),
                (Input(name: "2-D (2, 5), momentum 0.1: n − 1 = 1", shape: [2, 5], scale: 4), 0.1),
                (Input(name: "4-D (2, 3, 2, 2), momentum 0.1", shape: [2, 3, 2, 2]), 0.1),
            ]
            return try inputs.map { input, momentum throws(TensorError) in try runningUpdate(input, momentum: momentum, using: &generator) }
        }
    }

    /// A description of one x: its shape, spread, and the group made special.
    struct Input {
        let name: String
        let shape: [Int]
        var scale = 1.0
        var offset = 0.0
        var constantGroup: Int?
        var largeMeanGroup: Int?
        /// A group whose spread is ~10⁻³, so σ² ≈ 10⁻⁶ is small next to eps: where ε's place shows.
        var smallSpreadGroup: Int?
        var eps = 1e-5

        /// The values, in float32 as the learner's function receives them; `group` says which
        /// group (channel or sample) each flat index belongs to.
        func values(group: (Int) -> Int, using generator: inout SeededGenerator) -> [Float] {
            let count = shape.reduce(1, *)
            return (0..<count).map { i in
                let g = group(i)
                if g == constantGroup { return 7 }
                if g == largeMeanGroup { return Float(1e4 + 1e-2 * generator.nextNormal()) }
                if g == smallSpreadGroup { return Float(1e-3 * generator.nextNormal()) }
                return Float(offset + scale * generator.nextNormal())
            }
        }
    }

    enum Layer { case batchNorm, layerNorm }

    private static func reference(_ input: Input, layer: Layer) -> ReferenceNormalization {
        layer == .batchNorm
            ? ReferenceNormalization(shape: input.shape, groups: .perChannel, eps: input.eps, parameterAxis: .channel)
            : ReferenceNormalization(shape: input.shape, groups: .perSampleOverLastAxis, eps: input.eps, parameterAxis: .lastAxis)
    }

    /// γ in [0.5, 1.5] and β near 0, one per parameter; shaped (C) for 2-D BatchNorm input,
    /// (1, C, 1, 1) for 4-D so that they broadcast over (N, C, H, W) as written.
    private static func parameters(_ input: Input, layer: Layer, using generator: inout SeededGenerator) throws(TensorError) -> (Tensor, Tensor) {
        let count = layer == .batchNorm ? input.shape[1] : input.shape[input.shape.count - 1]
        let shape = layer == .batchNorm && input.shape.count == 4 ? [1, count, 1, 1] : [count]
        let gamma = (0..<count).map { _ in Float(0.5 + generator.nextUniformDouble()) }
        let beta = (0..<count).map { _ in Float(0.5 * generator.nextNormal()) }
        return (try Tensor(shape: shape, scalars: gamma), try Tensor(shape: shape, scalars: beta))
    }

    private static func tolerance(_ input: Input) -> (GradeCase.Tolerance, String?) {
        guard input.largeMeanGroup != nil else { return (.float32, nil) }
        // float32 holds 10⁴ only to ±0.0005, so the spread of 0.01 is known to about 5 %: x̂ is
        // good to ~0.05 however carefully it is computed. E[x²] − E[x]² loses all of it.
        return (GradeCase.Tolerance(absolute: 0.2, relative: 0), "channel 1 sits at 10⁴ ± 10⁻², where float32 leaves x̂ good to about 0.05; "
                + "the check allows 0.2, and catches σ² computed as E[x²] − E[x]², which cancels to nothing")
    }

    private static func doubles(_ t: Tensor) -> [Double] { t.scalars.map(Double.init) }

    private static func engineLayer(_ input: Input, layer: Layer, gamma: Tensor, beta: Tensor) throws(TensorError) -> any NormalizationLayer {
        switch layer {
        case .batchNorm:
            let bn = try BatchNorm(numFeatures: input.shape[1], eps: input.eps)
            try bn.setGamma(try Tensor(shape: [gamma.count], scalars: gamma.scalars))
            try bn.setBeta(try Tensor(shape: [beta.count], scalars: beta.scalars))
            return bn
        case .layerNorm:
            let ln = try LayerNorm(normalizedShape: [input.shape[input.shape.count - 1]], eps: input.eps)
            try ln.setGamma(gamma)
            try ln.setBeta(beta)
            return ln
        }
    }

    // MARK: - Forward

    private static func batchNormForward(_ input: Input, using generator: inout SeededGenerator) throws(TensorError) -> GradeCase {
        try forward(input, layer: .batchNorm, using: &generator)
    }

    private static func layerNormForward(_ input: Input, using generator: inout SeededGenerator) throws(TensorError) -> GradeCase {
        try forward(input, layer: .layerNorm, using: &generator)
    }

    private static func forward(_ input: Input, layer: Layer, using generator: inout SeededGenerator) throws(TensorError) -> GradeCase {
        let reference = reference(input, layer: layer)
        let x = try Tensor(shape: input.shape, scalars: input.values(group: reference.group, using: &generator))
        let (gamma, beta) = try parameters(input, layer: layer, using: &generator)
        let y = try engineLayer(input, layer: layer, gamma: gamma, beta: beta).forward(x)
        let xs = doubles(x), g = doubles(gamma), b = doubles(beta)
        func variant(_ change: (inout ReferenceNormalization) -> Void) -> [Double] {
            var r = reference
            change(&r)
            return r.forward(xs, gamma: g, beta: b)
        }
        var mistakes: [GradeCase.Mistake] = [
            .init(name: "no_affine", message: "y is x̂ itself: γ and β are never applied (y = γ·x̂ + β)", outputs: [0: variant { $0.affine = false }]),
            .init(name: "divides_by_variance", message: "x̂ divides by the variance, not by its square root: x̂ = (x − μ) / √(σ² + ε)", outputs: [0: variant { $0.dividesByVariance = true }]),
            .init(name: "eps_outside_sqrt", message: "eps is outside the square root: x̂ = (x − μ) / √(σ² + ε), not (x − μ) / (√σ² + ε)", outputs: [0: variant { $0.epsOutsideSquareRoot = true }]),
            .init(name: "unbiased_variance", message: "x̂ uses the unbiased variance (÷ n−1); the forward pass normalizes with the biased one (÷ n), "
                  + "as PyTorch does (the unbiased one only goes into running_var)", outputs: [0: variant { $0.unbiased = true }]),
        ]
        if layer == .batchNorm {
            let wrongAxis: ReferenceNormalization.Groups = input.shape.count == 4 ? .overBatchOnly : .perSample
            let where_ = input.shape.count == 4
                ? "over axis 0 alone; 4-D BatchNorm averages each channel over N, H and W (axis: [0, 2, 3])"
                : "per sample (axis 1); BatchNorm averages each channel over the batch (axis 0)"
            mistakes.append(.init(name: "wrong_axis", message: "the statistics are computed over the wrong axis: \(where_)", outputs: [0: variant { $0.groups = wrongAxis }]))
        } else {
            mistakes.append(.init(name: "wrong_axis", message: "the statistics are over the batch (axis 0), which is BatchNorm; LayerNorm normalizes each sample "
                                  + "over its last axis (axis: -1, keepdims: true)", outputs: [0: variant { $0.groups = .perChannel }]))
        }
        let (tolerance, note) = tolerance(input)
        return GradeCase(name: input.name, arguments: [x, gamma, beta], setting: input.eps, expected: [y],
                         tolerance: tolerance, toleranceNote: note, mistakes: mistakes, reference: reference, numericGradient: [])
    }

    // MARK: - Backward

    private static func backward(_ input: Input, layer: Layer, using generator: inout SeededGenerator) throws(TensorError) -> GradeCase {
        let reference = reference(input, layer: layer)
        let x = try Tensor(shape: input.shape, scalars: input.values(group: reference.group, using: &generator))
        let (gamma, beta) = try parameters(input, layer: layer, using: &generator)
        let dy = try Tensor.randn(input.shape, using: &generator)
        let gradients = try engineLayer(input, layer: layer, gamma: gamma, beta: beta).backward(x, dy)
        let xs = doubles(x), g = doubles(gamma), b = doubles(beta), dys = doubles(dy)
        let (dgamma, dbeta) = reference.parameterGradients(xs, dy: dys, parameters: gamma.count)
        var unbiased = reference
        unbiased.unbiased = true
        var wrongAxis = reference
        wrongAxis.groups = layer == .batchNorm ? (input.shape.count == 4 ? .overBatchOnly : .perSample) : .perChannel
        let mistakes: [GradeCase.Mistake] = [
            .init(name: "dgamma_without_xhat", message: "dgamma is Σ dy, without x̂: dγ = Σ dy·x̂ (γ multiplies x̂ in the forward pass)", outputs: [1: dbeta]),
            .init(name: "swapped_dgamma_dbeta", message: "dgamma and dbeta are swapped: dγ = Σ dy·x̂, dβ = Σ dy", outputs: [1: dbeta, 2: dgamma]),
            .init(name: "direct_path_only", message: "dx keeps only the direct path dy·γ/√(σ² + ε); the paths through μ and σ² are missing "
                  + "(dx = (1/N)·γ/σ·(N·dy − Σdy − x̂·Σ(dy·x̂)))", outputs: [0: reference.inputGradient(xs, gamma: g, dy: dys, directPathOnly: true)]),
            .init(name: "unbiased_variance", message: "dx uses the unbiased variance (÷ n−1); the forward pass normalized with the biased one",
                  outputs: [0: unbiased.inputGradient(xs, gamma: g, dy: dys)]),
            .init(name: "wrong_axis", message: layer == .batchNorm ? "dx sums over the wrong axis: BatchNorm's sums run over the batch (axis 0, and H, W for 4-D)"
                  : "dx sums over the batch (axis 0); LayerNorm's sums run over each sample's last axis",
                  outputs: [0: wrongAxis.inputGradient(xs, gamma: g, dy: dys)]),
        ]
        // Centred differences of Σ dy·y in float64 at a few elements: a check on the engine
        // and, where the learner differs from it, a second opinion.
        let h = 1e-4
        let picks = (0..<min(8, x.count)).map { _ in generator.nextIndex(below: x.count) }
        let numeric = picks.map { i -> (index: Int, value: Double) in
            var plus = xs, minus = xs
            plus[i] += h
            minus[i] -= h
            let value = (reference.loss(plus, gamma: g, beta: b, dy: dys) - reference.loss(minus, gamma: g, beta: b, dy: dys)) / (2 * h)
            return (i, value)
        }
        let (tolerance, note) = Self.tolerance(input)
        return GradeCase(name: input.name, arguments: [dy, x, gamma], setting: input.eps,
                         expected: [gradients.dx, gradients.dgamma, gradients.dbeta],
                         tolerance: tolerance,
                         toleranceNote: note, mistakes: mistakes, reference: nil, numericGradient: numeric)
    }

    // MARK: - Running update

    private static func runningUpdate(_ input: Input, momentum: Double, using generator: inout SeededGenerator) throws(TensorError) -> GradeCase {
        let c = input.shape[1]
        let reference = ReferenceNormalization(shape: input.shape, groups: .perChannel, eps: 0, parameterAxis: .channel)
        let x = try Tensor(shape: input.shape, scalars: input.values(group: reference.group, using: &generator))
        let runningMean = try Tensor(shape: [c], scalars: (0..<c).map { _ in Float(generator.nextNormal()) })
        let runningVar = try Tensor(shape: [c], scalars: (0..<c).map { _ in Float(0.5 + generator.nextUniformDouble()) })
        let bn = try BatchNorm(numFeatures: c, momentum: momentum)
        try bn.setRunningMean(runningMean)
        try bn.setRunningVar(runningVar)
        _ = try bn.forward(x)
        let xs = doubles(x), oldMean = doubles(runningMean), oldVar = doubles(runningVar)
        let (mean, biased, _) = reference.statistics(xs)
        func blend(_ old: [Double], _ batch: [Int: Double], keep: Double, take: Double) -> [Double] {
            old.indices.map { keep * old[$0] + take * batch[$0]! }
        }
        let m = momentum
        let mistakes: [GradeCase.Mistake] = [
            .init(name: "biased_running_var", message: "running_var takes the biased batch variance (÷ n); PyTorch averages in the unbiased one (÷ n−1)",
                  outputs: [1: blend(oldVar, biased, keep: 1 - m, take: m)]),
            .init(name: "keras_momentum", message: "momentum is used the Keras way (m·running + (1 − m)·batch); in PyTorch it is the weight of the new batch: "
                  + "(1 − m)·running + m·batch", outputs: [0: blend(oldMean, mean, keep: m, take: 1 - m)]),
            .init(name: "unscaled_running_value", message: "the old value is not scaled: running ← (1 − m)·running + m·batch, not running + m·batch",
                  outputs: [0: blend(oldMean, mean, keep: 1, take: m)]),
        ]
        return GradeCase(name: input.name, arguments: [runningMean, runningVar, x], setting: momentum,
                         expected: [bn.runningMean, bn.runningVar], tolerance: .float32, toleranceNote: nil,
                         mistakes: mistakes, reference: nil, numericGradient: [])
    }
}
