/// The measurements behind `LayerDiagnostics`: summary statistics of a block's activations,
/// gradients and weights, and the probe that tracks how each block's input distribution moves.
enum TrainingDiagnostics {
    /// Mean and population standard deviation (`Moments.of`).
    static func meanAndStd(_ values: [Float]) -> (mean: Double, std: Double) {
        let moments = Moments.of(values)
        return (moments.mean, moments.variance.squareRoot())
    }

    /// The diagnostics of every hidden block from the model's last forward and backward pass.
    /// (`inputShift` is left NaN: the probe measures it.)
    static func measure(_ model: MLP, learningRate: Double) -> [LayerDiagnostics] {
        model.blocks.enumerated().map { index, block in
            self.block(name: block.diagnosticName(number: index + 1), activation: block.activation,
                       activations: block.activationOutput, activationGradient: block.activationGradient,
                       weight: block.linear.weight, weightGradient: block.linear.weightGradient, learningRate: learningRate)
        }
    }

    /// One block's diagnostics from its activations, their gradient and its weight layer (Linear or conv).
    static func block(name: String, activation: Activation, activations: Tensor?, activationGradient: Tensor?,
                      weight: Tensor, weightGradient: Tensor?, learningRate: Double) -> LayerDiagnostics {
        let values = activations?.scalars ?? []
        let (mean, std) = meanAndStd(values)
        let saturated = values.isEmpty ? .nan : Double(values.count(where: activation.isSaturated)) / Double(values.count)
        return LayerDiagnostics(
            name: name, activationMean: mean, activationStd: std, saturatedFraction: saturated,
            gradientStd: meanAndStd(activationGradient?.scalars ?? []).std,
            updateToDataRatio: abs(learningRate) * meanAndStd(weightGradient?.scalars ?? []).std / meanAndStd(weight.scalars).std,
            inputShift: .nan)
    }

    /// std(lr·∂L/∂W) / std(W) for every weight layer (the hidden blocks', then the output layer),
    /// from the last backward pass: how big a step is against the weights it moves.
    /// Recorded after every step: `Moments.of` of float32 storage reads eight Float64 lanes, where
    /// one long chain of additions per layer cost a third of `fit`.
    static func updateRatios(_ layers: [(weight: Tensor, gradient: Tensor?)], learningRate: Double) -> [Double] {
        func std(_ values: [Float]?) -> Double { values.map { meanAndStd($0).std } ?? .nan }
        return layers.map { abs(learningRate) * std($0.gradient?.scalars) / std($0.weight.scalars) }
    }

    /// A fixed batch of training samples pushed through the model (training mode, running
    /// statistics untouched) to record each block's input distribution, feature (channel) by feature.
    struct InputProbe {
        let x: Tensor
        /// Per block, per input feature: (mean, std).
        private(set) var last: [[(mean: Double, std: Double)]] = []

        init(x: Tensor) { self.x = x }

        /// Measures the current model; returns, per block, the mean over features of
        /// |Δmean| + |Δstd| against the previous measurement (NaN on the first).
        mutating func measure(_ model: some TrainableModel) throws(TensorError) -> [Double] {
            let wasTraining = model.training
            model.training = true
            defer { model.training = wasTraining }
            let current = try model.blockInputs(probing: x).map { Self.featureMoments($0) }
            defer { last = current }
            guard last.count == current.count else { return Array(repeating: .nan, count: current.count) }
            return zip(last, current).map { before, after in
                guard !after.isEmpty, before.count == after.count else { return .nan }
                var total = 0.0
                for (b, a) in zip(before, after) { total += abs(a.mean - b.mean) + abs(a.std - b.std) }
                return total / Double(after.count)
            }
        }

        private static func featureMoments(_ input: Tensor?) -> [(mean: Double, std: Double)] {
            guard let input, input.rank >= 2, input.shape[0] > 0 else { return [] }
            let moments = Moments.perChannel(of: input)
            return zip(moments.mean, moments.variance).map { ($0, $1.squareRoot()) }
        }
    }
}

extension LayerDiagnostics {
    /// The same measurements with the probe's input shift.
    func with(inputShift: Double) -> LayerDiagnostics {
        LayerDiagnostics(name: name, activationMean: activationMean, activationStd: activationStd,
                         saturatedFraction: saturatedFraction, gradientStd: gradientStd,
                         updateToDataRatio: updateToDataRatio, inputShift: inputShift)
    }
}
