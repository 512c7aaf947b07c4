/// One input a learner's function is graded on: the arguments it receives, the answer the
/// engine gives, and what the function would return had it made one of the classic mistakes.
public struct GradeCase: Sendable {
    /// What this case tests, as the report names it: "2-D (16, 4), channel 2 constant".
    public let name: String
    /// The positional arguments, in the task's order.
    public let arguments: [Tensor]
    /// The `eps` (or `momentum`) the function is told.
    public let setting: Double
    /// The engine's answer: one tensor per output of the task.
    public let expected: [Tensor]
    /// How far an element may be from the engine's and still count as right.
    public let tolerance: Tolerance
    /// Why the tolerance is what it is, when it is not the usual float32 one.
    public let toleranceNote: String?
    /// Outputs a known mistake would give, with the sentence that names it.
    let mistakes: [Mistake]
    /// The groups of elements that share statistics, to tell which stage of a forward pass differs.
    let reference: ReferenceNormalization?
    /// Centred differences of the loss Σ dy·y for some elements of x (backward tasks): flat index and value.
    let numericGradient: [(index: Int, value: Double)]

    /// |got − expected| ≤ absolute + relative·|expected|.
    public struct Tolerance: Sendable {
        public let absolute: Double
        public let relative: Double
        /// float32 arithmetic in any reasonable order of operations.
        public static let float32 = Tolerance(absolute: 1e-4, relative: 1e-4)

        public func accepts(_ got: Double, _ expected: Double) -> Bool {
            if expected.isNaN { return got.isNaN }
            return abs(got - expected) <= absolute + relative * abs(expected)
        }
    }

    /// What a function would return with one mistake: some of the outputs, by index.
    struct Mistake: Sendable {
        /// A short name for it: `unbiased_variance`, `eps_outside_sqrt`, `dgamma_without_xhat`, …
        let name: String
        let message: String
        let outputs: [Int: [Double]]
    }
}
