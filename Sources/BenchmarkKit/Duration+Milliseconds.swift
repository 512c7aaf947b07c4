extension Duration {
    /// The duration in milliseconds, as every benchmark figure is reported. Everything that times
    /// something here reads `ContinuousClock` (monotonic), the clock the shell's progress line uses.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e3 + Double(attoseconds) / 1e15
    }
}
