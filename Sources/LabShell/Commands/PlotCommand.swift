import BatchNormKit

extension CommandTable {
    /// Drawing a series the way matplotlib's `plt.plot(y)` would, in characters.
    static var plotCommands: [CommandSpec] {
        let y = Param.tensor("y", "a vector, or (steps, series): one line per column")
        let reference = Param<Double?>.number("reference", "a value to draw as a horizontal line")
        return [
            CommandSpec("plot", "draw a vector against its index, or each column of a 2-D tensor with its column number as the "
                        + "mark, with an optional horizontal reference line (up to 10 columns)",
                        brief: "draw a series (or the columns of a 2-D tensor) against the step",
                        example: "plot(log(r.update_ratio) / log(10), reference: -3)",
                        pytorch: "plt.plot(y); plt.axhline(-3) # y a 1-D or (steps, series) array",
                        positional: [y], options: [reference]) { call throws(LabError) in
                let t = call[y]
                guard (1...2).contains(t.rank), t.count > 0 else {
                    throw LabError(.value, "plot draws a vector or a (steps, series) tensor, got \(t.shapeDescription)", at: call.locationOf(y))
                }
                let columns = t.rank == 1 ? 1 : t.shape[1], steps = t.shape[0]
                guard columns <= 10 else {
                    throw LabError(.value, "plot draws up to 10 columns, got \(columns): pick some, as y[:, 0:3]", at: call.locationOf(y))
                }
                let series = (0..<columns).map { c in (0..<steps).map { Double(t.scalars[$0 * columns + c]) } }
                let marks = columns == 1 ? [call.interpreter.glyphs.point] : (0..<columns).map(String.init)
                let name = call.displayName(y, fallback: "y")
                let title = columns == 1 ? name : "\(name): one mark per column, its number (0 … \(columns - 1))"
                let plot = LinePlot(width: call.interpreter.console.width, glyphs: call.interpreter.glyphs,
                                    precision: call.interpreter.formatter.precision)
                call.interpreter.console.print(plot.render(title: title, series: series, marks: marks,
                                                           reference: call[reference], referenceLabel: "reference"))
                return .none
            },
        ]
    }
}
