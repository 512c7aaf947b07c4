import BatchNormKit

/// `batchnorm(C, …)`: PyTorch's BatchNorm (or Keras's), its running statistics as fields, and
/// its printout with the per-channel table.
extension BatchNorm: ShellLayer {
    static let channels = Param.integer("C", "number of channels (features)")
    static let epsParameter = Param.number("eps", default: Convention.pytorch.defaultEps,
                                           "added to the variance (\(NumberFormat.shortest(Convention.keras.defaultEps)) with convention: \"keras\")")
    static let momentumParameter = Param.numberOrNone("momentum", default: Convention.pytorch.defaultMomentum,
        "PyTorch: weight of the new batch in the running average; none = cumulative average. "
            + "Keras: weight of the old value (\(NumberFormat.shortest(Convention.keras.defaultMomentum)))")
    static let affineParameter = Param.bool("affine", default: true, "learnable gamma (scale) and beta (shift)")
    static let trackParameter = Param.bool("track_running_stats", default: true, "keep running_mean/running_var for eval mode")
    static let conventionParameter = Param.choice("convention", default: Convention.pytorch,
                                                  "\"pytorch\" or \"keras\": what momentum means, and the default eps")

    static var command: CommandSpec {
        CommandSpec("batchnorm", "a BatchNorm layer over C channels (axis 1), PyTorch's semantics; bn.weight and bn.bias are PyTorch's names for bn.gamma and bn.beta", brief: "a BatchNorm layer over C channels (axis 1), as PyTorch's",
                    example: "bn = batchnorm(8, eps: 0.001, momentum: none)", pytorch: "bn = torch.nn.BatchNorm1d(8, eps=0.001, momentum=None) # BatchNorm2d for (N, C, H, W); the defaults are eps=1e-05, momentum=0.1",
                    positional: [Self.channels],
                    options: [Self.epsParameter, Self.momentumParameter, Self.affineParameter, Self.trackParameter, Self.conventionParameter]) { call throws(LabError) in
            let c = call[Self.channels]
            // Left out, eps and momentum follow the convention (help shows PyTorch's).
            let layer = try call.engine { () throws(TensorError) in
                try BatchNorm(numFeatures: c, eps: call.given(Self.epsParameter), momentum: call.given(Self.momentumParameter),
                              affine: call[Self.affineParameter], trackRunningStats: call[Self.trackParameter],
                              convention: call[Self.conventionParameter])
            }
            return .layer(layer)
        }
    }

    var fields: [Fields.Accessor] {
        let common = Fields.commonByName(self)
        return [
            common["gamma"]!, common["beta"]!,
            Fields.tensorField("running_mean", { self.runningMean }, { t throws(TensorError) in try self.setRunningMean(t) }),
            Fields.tensorField("running_var", { self.runningVar }, { t throws(TensorError) in try self.setRunningVar(t) }),
            Fields.Accessor(name: "num_batches_tracked", get: { .number(Double(self.numBatchesTracked)) }) { value, location throws(LabError) in
                guard case .number(let n) = value, n == n.rounded(), n >= 0, n < 1e15 else {
                    throw LabError(.type, "num_batches_tracked must be a whole number ≥ 0", at: location)
                }
                do throws(TensorError) { try self.setNumBatchesTracked(Int(n)) } catch { throw LabError(error, at: location) }
            },
            common["eps"]!,
            Fields.Accessor(name: "momentum", get: { self.momentum.map { .number($0) } ?? .none }) { value, location throws(LabError) in
                switch value {
                case .none where self.convention == .pytorch: self.momentum = nil
                case .number(let m) where (0...1).contains(m): self.momentum = m
                default: throw LabError(.value, "momentum must be a number from 0 to 1\(self.convention == .pytorch ? " or none" : "")", at: location)
                }
            },
            common["training"]!, common["num_features"]!, common["affine"]!, common["track_running_stats"]!, common["convention"]!,
        ]
    }

    func render(with formatter: ValueFormatter) -> String {
        let mode = training ? "training mode" : "eval mode"
        var settings = ["eps \(NumberFormat.shortest(eps))"]
        switch (convention, momentum) {
        case (.pytorch, nil): settings.append("momentum none (cumulative average, PyTorch)")
        case (.pytorch, let m?): settings.append("momentum \(NumberFormat.shortest(m)) (PyTorch: weight of the new batch)")
        case (.keras, let m): settings.append("momentum \(NumberFormat.shortest(m ?? 0.99)) (Keras: weight of the old value)")
        }
        settings.append(affine ? "affine" : "affine false")
        settings.append(tracksRunningStats ? "tracking running stats" : "no running stats")
        var rows: [(String, Tensor)] = []
        if affine { rows += [("gamma", gamma), ("beta", beta)] }
        if tracksRunningStats { rows += [("running_mean", runningMean), ("running_var", runningVar)] }
        var text = "\(layerName): " + settings.joined(separator: ", ") + ", \(mode)"
        if tracksRunningStats { text += "\n  num_batches_tracked \(numBatchesTracked)" }
        return rows.isEmpty ? text : text + "\n" + formatter.indent(formatter.channelTable(rows))
    }
}
