import BatchNormKit

extension CommandTable {
    /// Looking at a network before training (`diagnose`) and tending it after (`calibrate`,
    /// `evaluate`), on the same split of a data set that `fit` trains and tests on.
    static var afterTrainingCommands: [CommandSpec] {
        typealias P = AfterTrainingParameters
        return [
            CommandSpec("diagnose", "one forward and backward pass on the first samples of the training part of fit's split, "
                        + "no step: the loss at step 0, then per hidden block the activations' mean, std and saturated share, "
                        + "the gradient's std and the update-to-data ratio the first step would have (the output layer's too); "
                        + "BatchNorm's running statistics are left alone, the gradients are kept (weight_grad, bias_grad)",
                        brief: "the loss, activations, gradients and update sizes at step 0",
                        example: "d = diagnose(mlp([64, 100, 100, 10]), digits())",
                        pytorch: "loss = F.cross_entropy(net(xb), yb); loss.backward() # then per layer out.std(), out.grad.std(), (lr * W.grad).std() / W.std()",
                        positional: [P.model, P.data], options: [P.batch, TrainingOptions.lr, TrainingOptions.test, TrainingOptions.seed]) { call throws(LabError) in
                try AfterTrainingCommand(call: call).diagnose()
            },
            CommandSpec("calibrate", "recompute every BatchNorm's running statistics from the trained weights: reset them, set "
                        + "momentum to none (a cumulative average), pass the training part of fit's split through the net in "
                        + "training mode without learning, then restore each momentum and the net's mode",
                        brief: "recompute BN's running statistics over the training data",
                        example: "calibrate(net, digits())",
                        pytorch: "torch.optim.swa_utils.update_bn(train_loader, net) # reset_running_stats(), bn.momentum = None, one pass in train mode",
                        positional: [P.model, P.data], options: [TrainingOptions.batch, TrainingOptions.test, TrainingOptions.seed]) { call throws(LabError) in
                try AfterTrainingCommand(call: call).calibrate()
            },
            CommandSpec("evaluate", "the loss and accuracy of a net on the test part of fit's split, in eval mode, changing nothing: "
                        + "fit's test columns, measured again after calibrate or any change",
                        brief: "test loss and accuracy in eval mode, on fit's test split",
                        example: "e = evaluate(net, digits()); e.accuracy",
                        pytorch: "net.eval(); with torch.no_grad(): logits = net(x_test); (logits.argmax(1) == y_test).float().mean()",
                        positional: [P.model, P.data], options: [TrainingOptions.test, TrainingOptions.seed]) { call throws(LabError) in
                try AfterTrainingCommand(call: call).evaluate()
            },
        ]
    }
}

/// The parameters of `diagnose`, `calibrate` and `evaluate` beyond the training options they share.
enum AfterTrainingParameters {
    static let model = Param.any("model", "a model from mlp(…) or cnn(…)")
    static let data = Param.any("data", "the data set fit trains on")
    static let batch = Param.integer("batch", default: 256, "samples in the pass")
}

/// The three commands' work: fit's split of the data set, then the kit's measurement.
struct AfterTrainingCommand {
    typealias P = AfterTrainingParameters
    let call: Invocation
    var interpreter: Interpreter { call.interpreter }

    /// The model, and the (train, test) split `fit` makes of the data with the same test share and seed.
    private func modelAndSplit() throws(LabError) -> (any FitModel, train: Dataset, test: Dataset) {
        let net = try call.network(P.model)
        guard case .dataset(let data) = call[P.data] else {
            throw LabError(.type, "\(call.command.name) needs a data set such as digits(), got \(call[P.data].typeName)", at: call.locationOf(P.data))
        }
        guard data.features == net.inputFeatures, data.classes <= net.outputFeatures else {
            throw LabError(.value, "\(data.name) has \(data.features) features and \(data.classes) classes, but the model takes "
                + "\(net.inputFeatures) inputs and gives \(net.outputFeatures) outputs", at: call.locationOf(P.data))
        }
        let share = call[TrainingOptions.test]
        guard share > 0, share < 1 else {
            throw LabError(.value, "test must be a share between 0 and 1, like 0.2", at: call.locationOf(TrainingOptions.test))
        }
        var splitter = SeededGenerator(seed: UInt64(max(0, call[TrainingOptions.seed])))
        let (train, test) = try call.engine { () throws(TensorError) in try data.split(testFraction: share, using: &splitter) }
        return (net, train, test)
    }

    func diagnose() throws(LabError) -> Value {
        let (net, train, _) = try modelAndSplit()
        let size = call[P.batch], lr = call[TrainingOptions.lr]
        guard size >= 1 else { throw LabError(.value, "batch must be at least 1", at: call.locationOf(P.batch)) }
        guard lr.isFinite, lr > 0 else { throw LabError(.value, "lr must be a positive number", at: call.locationOf(TrainingOptions.lr)) }
        if net.training, min(size, train.count) < 2, let why = net.batchOfOneError {
            throw LabError(.value, why, at: call.locationOf(P.batch))
        }
        let diagnosis = try call.engine { () throws(TensorError) in
            try InitialDiagnosis.measure(net, on: train, samples: size, learningRate: lr)
        }
        let console = interpreter.console, p = interpreter.formatter.precision
        console.print(Narration.wrapProse("step 0 on \(min(size, train.count)) training samples of \(train.name): loss "
            + "\(NumberFormat.fixed(diagnosis.loss, decimals: p)) (ln \(net.outputFeatures) = "
            + "\(NumberFormat.fixed(ElementwiseFunction.log.apply(Double(net.outputFeatures)), decimals: p))), logit std "
            + "\(NumberFormat.fixed(diagnosis.logitStd, decimals: p)); update/data for lr \(NumberFormat.shortest(lr))", width: console.width))
        var table = TextTable(header: ["layer", "act mean", "act std", "saturated", "grad std", "update/data"])
        for (index, layer) in diagnosis.layers.enumerated() {
            table.rows.append(["block \(index + 1)", NumberFormat.fixed(layer.activationMean, decimals: p),
                               NumberFormat.fixed(layer.activationStd, decimals: p), NumberFormat.percent(layer.saturatedFraction),
                               NumberFormat.scientific(layer.gradientStd, digits: 2), NumberFormat.scientific(layer.updateToDataRatio, digits: 2)])
        }
        table.rows.append(["output", "", "", "", "", NumberFormat.scientific(diagnosis.outputUpdateRatio, digits: 2)])
        console.print(table.render(width: console.width))
        func column(_ key: (LayerDiagnostics) -> Double) -> Value { .tensor(Tensor(vector: diagnosis.layers.map { Float(key($0)) })) }
        return .record(Record([
            ("loss", .number(diagnosis.loss)), ("logit_std", .number(diagnosis.logitStd)),
            ("act_mean", column(\.activationMean)), ("act_std", column(\.activationStd)),
            ("saturated", column(\.saturatedFraction)), ("grad_std", column(\.gradientStd)),
            ("update_ratio", .tensor(Tensor(vector: (diagnosis.layers.map(\.updateToDataRatio) + [diagnosis.outputUpdateRatio]).map(Float.init)))),
        ]))
    }

    func calibrate() throws(LabError) -> Value {
        let (net, train, _) = try modelAndSplit()
        let size = call[TrainingOptions.batch]
        guard size >= 2 else { throw LabError(.value, "batch must be at least 2: a batch of one has no variance", at: call.locationOf(TrainingOptions.batch)) }
        let norms = net.batchNormLayers.filter(\.tracksRunningStats).count
        let batches = try call.engine { () throws(TensorError) in try Calibration.recalibrate(net, on: train, batchSize: size) }
        let console = interpreter.console
        guard norms > 0 else {
            console.print("no batchnorm with running statistics in this net: nothing to calibrate")
            return .none
        }
        console.print(Narration.wrapProse("recalibrated \(norms) batchnorm layer\(norms == 1 ? "" : "s"): running statistics "
            + "reset, then averaged over \(batches) batches of \(size) from the \(train.count) training samples of \(train.name) "
            + "(momentum none: each batch weighs 1/\(batches)); each momentum restored", width: console.width))
        return .none
    }

    func evaluate() throws(LabError) -> Value {
        let (net, _, test) = try modelAndSplit()
        let (loss, accuracy) = try call.engine { () throws(TensorError) in try Trainer.evaluate(net, on: test) }
        let p = interpreter.formatter.precision
        interpreter.console.print("eval mode on the \(test.count) test samples of \(test.name): loss "
            + "\(NumberFormat.fixed(loss, decimals: p)), accuracy \(NumberFormat.percent(accuracy))")
        return .record(Record([("loss", .number(loss)), ("accuracy", .number(accuracy))]))
    }
}
