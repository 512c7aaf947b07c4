/// How one case went: passed, or the sentence that says what is wrong.
public struct GradeOutcome: Sendable {
    public let caseName: String
    public let passed: Bool
    /// On a pass, what was checked; on a failure, the mistake named, or the first wrong element
    /// with its index, the expected and the returned value, and the stage that differs.
    public let message: String
    /// The classic mistake recognised, by a short name a lesson can check (`"unbiased_variance"`).
    public let mistake: String?

    public init(caseName: String, passed: Bool, message: String, mistake: String? = nil) {
        self.caseName = caseName
        self.passed = passed
        self.message = message
        self.mistake = mistake
    }
}

/// Compares what a learner's function returned with the engine's answer, case by case, and
/// says what is wrong in the words of the algorithm: which mistake, or which element and stage.
public enum Grader {
    /// One case. `outputs` are the tensors the function returned, in the task's order; a
    /// number where a tensor is expected should be passed as a 1-element tensor.
    public static func check(_ outputs: [Tensor], task: GradingTask, against gradeCase: GradeCase) -> GradeOutcome {
        let names = task.outputNames
        func fail(_ message: String) -> GradeOutcome { GradeOutcome(caseName: gradeCase.name, passed: false, message: message) }
        guard outputs.count == names.count else {
            let wanted = names.count == 1 ? "one tensor, \(names[0])" : "\(names.count) values (return \(names.joined(separator: ", ")))"
            return fail("the function returned \(outputs.count) value\(outputs.count == 1 ? "" : "s"); \(task.rawValue) returns \(wanted)")
        }
        for (index, (got, expected)) in zip(outputs, gradeCase.expected).enumerated() where !sameLayout(got, expected) {
            return fail(shapeMessage(names[index], got: got, expected: expected, arguments: gradeCase.arguments))
        }
        let wrong = outputs.indices.filter { !allClose(outputs[$0].scalars.map(Double.init), gradeCase.expected[$0].scalars.map(Double.init), gradeCase.tolerance) }
        guard let first = wrong.first else {
            return GradeOutcome(caseName: gradeCase.name, passed: true, message: passMessage(task, gradeCase))
        }
        // A named mistake explains every wrong output it covers, and leaves the rest right.
        for mistake in gradeCase.mistakes where Set(mistake.outputs.keys).isSuperset(of: wrong) {
            if mistake.outputs.allSatisfy({ allClose(outputs[$0.key].scalars.map(Double.init), $0.value, gradeCase.tolerance) }) {
                return GradeOutcome(caseName: gradeCase.name, passed: false, message: mistake.message, mistake: mistake.name)
            }
        }
        return fail(firstWrongElement(names[first], got: outputs[first], expected: gradeCase.expected[first], gradeCase: gradeCase))
    }

    // MARK: - Messages

    static func passMessage(_ task: GradingTask, _ gradeCase: GradeCase) -> String {
        let what = task.outputNames.joined(separator: ", ")
        var text = "\(what) match\(task.outputNames.count == 1 ? "es" : "") the engine"
        if !gradeCase.numericGradient.isEmpty {
            let dx = gradeCase.expected[0].scalars
            let worst = gradeCase.numericGradient.map { abs(Double(dx[$0.index]) - $0.value) / max(1, abs($0.value)) }.max() ?? 0
            text += "; centred difference within \(GradeNumber.rough(worst, digits: 2))"
        }
        return text
    }

    /// Same element count and the same shape once axes of size 1 are dropped: a (1, C, 1, 1)
    /// dγ is as right as a (C) one.
    static func sameLayout(_ a: Tensor, _ b: Tensor) -> Bool {
        a.count == b.count && a.shape.filter { $0 != 1 } == b.shape.filter { $0 != 1 }
    }

    static func shapeMessage(_ name: String, got: Tensor, expected: Tensor, arguments: [Tensor]) -> String {
        var text = "\(name) has shape \(got.shapeDescription), but should have \(expected.shapeDescription)"
        if let x = arguments.first(where: { $0.rank >= 2 }), expected.rank == 1, got.rank == 1, got.count == x.shape[0] {
            text += ": it was summed over axis 1 instead of over the batch (axis 0)"
        } else if expected.rank == 1, got.count == 1 {
            text += ": it was summed over every axis; keep one value per channel (axis: 0)"
        }
        return text
    }

    static func allClose(_ got: [Double], _ expected: [Double], _ tolerance: GradeCase.Tolerance) -> Bool {
        got.count == expected.count && zip(got, expected).allSatisfy { tolerance.accepts($0, $1) }
    }

    static func firstWrongElement(_ name: String, got: Tensor, expected: Tensor, gradeCase: GradeCase) -> String {
        let index = expected.scalars.indices.first { !gradeCase.tolerance.accepts(Double(got.scalars[$0]), Double(expected.scalars[$0])) } ?? 0
        var text = "\(name)\(multiIndex(index, shape: expected.shape)): expected \(GradeNumber.element(expected.scalars[index])), "
            + "got \(GradeNumber.element(got.scalars[index]))"
        if let stage = stageThatDiffers(got, gradeCase: gradeCase, at: index) { text += "; " + stage }
        if let numeric = gradeCase.numericGradient.first(where: { $0.index == index }), name == "dx" {
            text += " (a centred difference gives \(GradeNumber.rough(numeric.value, digits: 5)))"
        }
        if let note = gradeCase.toleranceNote { text += " [\(note)]" }
        return text
    }

    static func multiIndex(_ flat: Int, shape: [Int]) -> String {
        var rest = flat
        var index: [Int] = []
        for size in shape.reversed() { index.append(rest % size); rest /= size }
        return "[" + index.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    /// For a forward pass: undo γ·x̂ + β on the returned y and look at the x̂ it implies. Its
    /// mean says whether μ was subtracted, its variance whether σ² and the square root are right;
    /// when both hold, the difference is in the scale and shift.
    static func stageThatDiffers(_ y: Tensor, gradeCase: GradeCase, at index: Int) -> String? {
        guard let reference = gradeCase.reference, gradeCase.arguments.count == 3 else { return nil }
        let x = gradeCase.arguments[0].scalars.map(Double.init)
        let gamma = gradeCase.arguments[1].scalars.map(Double.init), beta = gradeCase.arguments[2].scalars.map(Double.init)
        let group = reference.group(of: index)
        let members = x.indices.filter { reference.group(of: $0) == group }
        let implied = members.map { (Double(y.scalars[$0]) - beta[reference.parameterIndex($0)]) / gamma[reference.parameterIndex($0)] }
        let mean = implied.reduce(0, +) / Double(implied.count)
        let variance = implied.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(implied.count)
        let (_, expectedVariance, _) = reference.statistics(x)
        let σ2 = expectedVariance[group]!
        let wantedVariance = σ2 == 0 ? 0 : σ2 / (σ2 + reference.eps)
        let place = reference.parameterAxis == .channel ? "channel \(reference.parameterIndex(index))" : "that sample"
        let loose = gradeCase.tolerance.absolute
        if abs(mean) > max(1e-3, loose) {
            return "in \(place), (y − β)/γ has mean \(GradeNumber.rough(mean)), not 0: the stage that differs is μ (x − μ)"
        }
        if abs(variance - wantedVariance) > max(1e-3, loose) * max(1, wantedVariance) {
            return "in \(place), (y − β)/γ has variance \(GradeNumber.rough(variance)), not \(GradeNumber.rough(wantedVariance)): "
                + "the stage that differs is σ² or the division by √(σ² + ε)"
        }
        // Mean 0 and the right variance, yet other elements: either γ·x̂ + β is wrong, or μ and σ²
        // came from the wrong elements (per position instead of per channel) and still average out.
        return "in \(place), (y − β)/γ has mean 0 and variance \(GradeNumber.rough(wantedVariance)) as x̂ should, "
            + "but other values: either γ·x̂ + β is wrong, or μ and σ² were taken over the wrong elements"
    }
}

/// Numbers in grading messages: a float32 element exactly as it is stored, a derived figure to
/// a few significant digits.
enum GradeNumber {
    static func element(_ x: Float) -> String { x.isNaN ? "nan" : "\(x)" }

    static func rough(_ x: Double, digits: Int = 3) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        guard x != 0 else { return "0" }
        var exponent = 0
        var m = abs(x)
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        if exponent >= -3 && exponent < 6 { return Findings.fixed(x, max(0, digits - 1 - exponent)) }
        let mantissa = Findings.fixed(x < 0 ? -m : m, digits - 1)
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
    }
}
