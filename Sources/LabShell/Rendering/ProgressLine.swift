/// The one-line progress bar of a long command on a terminal: runs done, a bar, and the time
/// left, redrawn at most ten times a second and erased when the work ends. Nothing at all when
/// the console has no progress line (a pipe, a file, a test).
final class ProgressLine {
    private let console: Console
    private let label: String
    private let start = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?
    private var shown = false

    init(console: Console, label: String) {
        self.console = console
        self.label = label
    }

    /// Called with the runs finished so far (from one thread at a time).
    func update(done: Int, total: Int) {
        guard let show = console.progress, total > 0 else { return }
        let now = ContinuousClock.now
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < total { return }
        lastDrawn = now
        let elapsed = Double((now - start).components.seconds) + Double((now - start).components.attoseconds) * 1e-18
        let eta = done > 0 ? elapsed * Double(total - done) / Double(done) : .nan
        let cells = 20, filled = cells * done / total
        let bar = console.ascii ? String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled)
            : String(repeating: "█", count: filled) + String(repeating: "░", count: cells - filled)
        let time = eta.isFinite ? " · about \(Int(eta.rounded(.up))) s left" : ""
        var text = "\(label) [\(bar)] \(done)/\(total) runs\(time)"
        // The Ctrl-C hint only where it fits whole; the line must never wrap (a wrapped line cannot be redrawn).
        if text.count + 20 < console.width { text += " · Ctrl-C: keep done" }
        show(String(text.prefix(max(10, console.width - 1))))
        shown = true
    }

    /// Erases the line.
    func finish() {
        if shown { console.progress?(nil) }
        shown = false
    }

    deinit { finish() }
}
