import BatchNormKit

/// `hist(x)`, `hist(x, y)`, with bins, range, channel and the normal overlay.
enum HistogramCommand {
    static func run(_ call: inout Invocation) throws(LabError) -> Value {
        let interpreter = call.interpreter
        let bins = call.integer("bins", default: 20)
        guard (1...Histogram.maxBins).contains(bins) else {
            throw LabError(.value, "bins must be from 1 to \(Histogram.maxBins), got \(bins)", at: call.locationOf("bins"))
        }
        var range: (lower: Double, upper: Double)?
        if let r = call.tensor("range") {
            guard r.shape == [2] else { throw LabError(.value, "range is [low, high], got a tensor \(r.shapeDescription)", at: call.locationOf("range")) }
            range = (Double(r.scalars[0]), Double(r.scalars[1]))
        }
        let channel: Int? = call.value("channel") == nil ? nil : call.integer("channel")
        var named: [(name: String, values: [Float])] = []
        for (parameter, fallback) in [("x", "x"), ("y", "y")] {
            guard let t = call.tensor(parameter) else { continue }
            let name = call.displayName(parameter, fallback: fallback)
            named.append((channel.map { "\(name)[channel \($0)]" } ?? name, try values(of: t, channel: channel, name: name, at: call.locationOf(parameter))))
        }
        // Shared bins: both panels count over the union of their ranges.
        if range == nil, named.count == 2 { range = Histogram.sharedRange(named.map(\.values)) }
        var panels: [HistogramRenderer.Panel] = []
        for (name, values) in named {
            let histogram: Histogram
            do throws(TensorError) { histogram = try Histogram(values, bins: bins, range: range) } catch {
                throw LabError(error, at: call.location)
            }
            let summary = ChannelSummary.summarize(values[...])
            guard summary.count > 0 else {
                throw LabError(.value, "\(name) has no finite values to count (\(summary.nanCount) NaN, \(summary.infiniteCount) infinite)", at: call.location)
            }
            let p = interpreter.formatter.precision
            var title = "\(name): n = \(summary.count), mean = \(formatFixed(summary.mean, decimals: p)), std = \(formatFixed(summary.std, decimals: p))"
            if histogram.isConstant { title += " (every value is \(Value.format(number: Double(summary.min))): one bin holds them all)" }
            if histogram.outside > 0 { title += ", \(histogram.outside) outside the range" }
            if histogram.nonFinite > 0 {
                interpreter.warn("\(name) holds \(histogram.nonFinite) NaN or infinite values, which no bin counts", at: call.location)
            }
            let expected = call.bool("normal", default: false)
                ? histogram.expectedNormalCounts(n: summary.count, mean: summary.mean, std: summary.std) : nil
            panels.append(.init(title: title, histogram: histogram, expected: expected))
        }
        let renderer = HistogramRenderer(width: interpreter.console.width, glyphs: interpreter.glyphs,
                                         precision: interpreter.formatter.precision)
        interpreter.console.print(renderer.render(panels))
        return .none
    }

    private static func values(of t: Tensor, channel: Int?, name: String, at location: SourcePosition) throws(LabError) -> [Float] {
        guard t.count > 0 else { throw LabError(.value, "\(name) is empty: nothing to count", at: location) }
        guard let channel else { return t.scalars }
        guard t.rank >= 2 else {
            throw LabError(.value, "\(name) \(t.shapeDescription) has no channel axis: channel: needs (N, C, …)", at: location)
        }
        guard (0..<t.channels).contains(channel) else {
            throw LabError(.value, "channel \(channel) is out of range: \(name) \(t.shapeDescription) has channels 0 to \(t.rank >= 2 ? t.channels - 1 : 0)", at: location)
        }
        return t.channel(channel)
    }
}
