import BatchNormKit

/// `hist(x)`, `hist(x, y)`, with bins, range, channel and the normal overlay.
enum HistogramCommand {
    static let x = Param.tensor("x", "the values to count")
    static let y = Param<Tensor?>.tensor("y", "a second tensor, drawn beside x on the same bins")
    static let bins = Param.integer("bins", default: 20, "number of equal-width bins (1 to 10000)")
    static let range = Param<Tensor?>.tensor("range", "[low, high]: the outer edges, as numpy.histogram's range (left out: the data's min and max)")
    static let channel = Param<Int?>.integer("channel", "count only this channel (axis 1); left out, every channel")
    static let normal = Param.bool("normal", default: false, "mark the counts a normal with the same mean and std would give")

    static func run(_ call: inout Invocation) throws(LabError) -> Value {
        let interpreter = call.interpreter
        let bins = call[Self.bins]
        guard (1...Histogram.maxBins).contains(bins) else {
            throw LabError(.value, "bins must be from 1 to \(Histogram.maxBins), got \(bins)", at: call.locationOf(Self.bins))
        }
        var range: (lower: Double, upper: Double)?
        if let r = call[Self.range] {
            guard r.shape == [2] else { throw LabError(.value, "range is [low, high], got a tensor \(r.shapeDescription)", at: call.locationOf(Self.range)) }
            range = (Double(r.scalars[0]), Double(r.scalars[1]))
        }
        let channel = call[Self.channel]
        var named: [(name: String, values: [Float])] = []
        for parameter in [Param<Tensor?>(optional: Self.x), Self.y] {
            guard let t = call[parameter] else { continue }
            let name = call.displayName(parameter, fallback: parameter.name)
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
            var title = "\(name): n = \(summary.count), mean = \(NumberFormat.fixed(summary.mean, decimals: p)), std = \(NumberFormat.fixed(summary.std, decimals: p))"
            if histogram.isConstant { title += " (every value is \(NumberFormat.shortest(Double(summary.min))): one bin holds them all)" }
            if histogram.outside > 0 { title += ", \(histogram.outside) outside the range" }
            if histogram.nonFinite > 0 {
                interpreter.warn("\(name) holds \(histogram.nonFinite) NaN or infinite values, which no bin counts", at: call.location)
            }
            let expected = call[Self.normal]
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
