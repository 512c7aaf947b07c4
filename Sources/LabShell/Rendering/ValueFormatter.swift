import BatchNormKit

/// How every kind of value prints at the prompt: numbers and tensors to the session's precision
/// (tensors as trimmed grids), layers as their settings plus a per-channel table of parameters
/// and statistics.
struct ValueFormatter {
    var precision = 4
    var ascii = false
    /// The console's columns: tables of channels stack rather than run past it.
    var width = 80

    func format(_ value: Value) -> String {
        switch value {
        case .number(let v): return NumberFormat.value(v, precision: precision)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .none: return "none"
        case .tensor(let t): return TensorFormatter(precision: precision, ellipsis: ascii ? "..." : "…").format(t)
        case .layer(let layer): return format(layer: layer)
        case .record(let record):
            let table = TextTable(rows: record.fields.map { [$0.name, brief($0.value)] }, alignNumbers: false)
            return "record with fields \(record.fields.map(\.name).joined(separator: ", "))\n" + indent(table.render(width: width - 2))
        case .list(let items):
            let rows = items.enumerated().map { ["[\($0.offset)]", brief($0.element)] }
            return "list of \(items.count)" + (items.isEmpty ? "" : "\n" + indent(TextTable(rows: rows, alignNumbers: false).render(width: width - 2)))
        case .command(let command): return "\(command.usage)\n  \(command.summary)\n  (type help \(command.name) for details)"
        case .function(let function): return function.signature
        case .model(let m):
            return "mlp \(m.sizes.map(String.init).joined(separator: " → ")), \(m.parameterCount) parameters, "
                + (m.training ? "training mode" : "eval mode") + (m.normParametersFrozen ? ", norm γ/β frozen" : "")
                + "\n" + m.describe.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        case .dataset(let d):
            let rows = d.imageShape.map { "images " + Tensor.describe(shape: $0) } ?? "\(d.features) features"
            return "data set \(d.name): \(d.count) samples × \(rows), \(d.classes) classes (fields x, labels)"
        case .module(let m): return m.printout
        case .linear(let l):
            guard l.hasBias else {
                return "\(l.layerName): y = x·Wᵀ, as PyTorch's nn.Linear(…, bias=False); weight \(l.weight.shapeDescription), bias none"
            }
            return "\(l.layerName): y = x·Wᵀ + b, as PyTorch's nn.Linear; weight \(l.weight.shapeDescription), "
                + "bias \(l.bias.shapeDescription)"
        }
    }

    /// One line: the kind and, for small tensors, the first values.
    func brief(_ value: Value) -> String {
        switch value {
        case .tensor(let t):
            let shown = t.scalars.prefix(6)
            let style = NumberStyle(values: Array(shown), precision: precision)
            let values = shown.map { style.format($0) }.joined(separator: ", ") + (t.count > 6 ? ", …" : "")
            return "tensor \(t.shapeDescription)  [\(values)]"
        case .layer(let layer): return layer.layerName
        case .record(let r): return "record (\(r.fields.map(\.name).joined(separator: ", ")))"
        case .list(let items): return "list of \(items.count)"
        case .command(let c): return c.usage
        case .model(let m): return "mlp " + m.sizes.map(String.init).joined(separator: " → ")
        case .dataset(let d): return "data set \(d.name) (\(d.count) × \(d.features))"
        case .linear(let l): return l.layerName
        case .module(let m): return m.brief
        default: return format(value)
        }
    }

    func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    // MARK: - Layers

    func format(layer: any NormalizationLayer) -> String {
        (layer as? any ShellLayer)?.render(with: self) ?? generic(layer: layer)
    }

    /// A layer's printout from what every layer offers: its summary, eps, settings, mode, and γ/β.
    func generic(layer: any NormalizationLayer) -> String {
        // Sizes are already in the layer's name; the other settings read as written.
        let settings: [String] = layer.settings.compactMap { setting in
            switch setting.value {
            case .sizes: nil
            case .number(let v): "\(setting.name) \(NumberFormat.shortest(v))"
            case .bool(let b): "\(setting.name) \(b)"
            case .text(let t): "\(setting.name) \(t)"
            }
        }
        // The settings on the first line, what the layer computes wrapped below it.
        var text = "\(layer.layerName): eps \(NumberFormat.shortest(layer.eps)), "
            + (settings + [layer.training ? "training mode" : "eval mode"]).joined(separator: ", ")
            + "\n" + indent(Narration.wrapProse(layer.summary, width: 76))
        if let parameters = layer.affineParameters {
            var rows = [("gamma", parameters.gamma)]
            if let beta = parameters.beta { rows.append(("beta", beta)) }
            text += "\n" + indent(channelTable(rows))
        }
        return text
    }

    /// Rows of per-channel vectors under a `channel 0 1 2 …` header, long channel lists trimmed.
    func channelTable(_ rows: [(String, Tensor)], fixedDecimals: Bool = false) -> String {
        guard let first = rows.first else { return "" }
        let count = first.1.count
        let shown: [Int?] = count > 8 ? (0..<3).map { $0 } + [nil] + ((count - 3)..<count).map { $0 } : (0..<count).map { $0 }
        let style = fixedDecimals ? NumberStyle(fixedWith: precision)
            : NumberStyle(values: rows.flatMap { row in shown.compactMap { $0 }.map { row.1.scalars[$0] } },
                          precision: precision, allowIntegral: false)
        var table = TextTable(header: ["channel"] + shown.map { $0.map(String.init) ?? "…" })
        for (name, tensor) in rows {
            table.rows.append([name] + shown.map { $0.map { style.format(tensor.scalars[$0]) } ?? "…" })
        }
        // Indented two under the layer or the step that shows it.
        return table.render(width: width - 2)
    }
}
