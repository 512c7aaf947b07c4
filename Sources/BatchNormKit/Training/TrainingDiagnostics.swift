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
        let updateRatios = updateRatios(model, learningRate: learningRate)
        return model.blocks.enumerated().map { index, block in
            let activations = block.activationOutput?.scalars ?? []
            let (mean, std) = meanAndStd(activations)
            let saturated = activations.isEmpty ? .nan
                : Double(activations.count(where: block.activation.isSaturated)) / Double(activations.count)
            let gradientStd = meanAndStd(block.activationGradient?.scalars ?? []).std
            return LayerDiagnostics(
                name: block.diagnosticName(number: index + 1), activationMean: mean, activationStd: std,
                saturatedFraction: saturated, gradientStd: gradientStd,
                updateToDataRatio: updateRatios[index],
                inputShift: .nan)
        }
    }

    /// std(lr·∂L/∂W) / std(W) for every hidden Linear, then the output layer, from the last
    /// backward pass: how big a step is against the weights it moves.
    /// Recorded after every step, so the population std is computed in two plain passes rather
    /// than through the generic `Moments.of`, which cost more than the step itself.
    static func updateRatios(_ model: MLP, learningRate: Double) -> [Double] {
        func std(_ values: [Float]?) -> Double {
            guard let values, !values.isEmpty else { return .nan }
            var sum = 0.0
            for v in values { sum += Double(v) }
            let mean = sum / Double(values.count)
            var squares = 0.0
            for v in values { squares += (Double(v) - mean) * (Double(v) - mean) }
            return (squares / Double(values.count)).squareRoot()
        }
        return (model.blocks.map(\.linear) + [model.output]).map { linear in
            abs(learningRate) * std(linear.weightGradient?.scalars) / std(linear.weight.scalars)
        }
    }

    /// A fixed batch of training samples pushed through the model (training mode, running
    /// statistics untouched) to record each block's input distribution, feature by feature.
    struct InputProbe {
        let x: Tensor
        /// Per block, per input feature: (mean, std).
        private(set) var last: [[(mean: Double, std: Double)]] = []

        init(x: Tensor) { self.x = x }

        /// Measures the current model; returns, per block, the mean over features of
        /// |Δmean| + |Δstd| against the previous measurement (NaN on the first).
        mutating func measure(_ model: MLP) throws(TensorError) -> [Double] {
            let wasTraining = model.training
            model.training = true
            defer { model.training = wasTraining }
            _ = try model.forward(x, updatingRunningStatistics: false)
            let current = model.blocks.map { block in Self.featureMoments(block.input) }
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
            guard let input, input.rank == 2, input.shape[0] > 0 else { return [] }
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
