@testable import BatchNormKit
import Testing

/// The inputs `make_array_cases.py` builds, rebuilt from the same formulas.
enum ArrayInputs {
    static func lhs(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0 % 7) * 0.5 - 1.25 })
    }
    static func rhs(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0 % 5) * 0.75 + 0.5 })
    }
    static func cube(_ shape: [Int]) throws -> Tensor {
        try Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { Float($0 * 37 % 23) * 0.5 - 4 })
    }
}

/// Broadcasting, reductions and slicing against NumPy (Fixtures/arrays/make_array_cases.py).
/// Arithmetic and comparisons are one float32 operation per element, so they must match NumPy
/// bit for bit (NaN for NaN); `**` is powf on both sides but libm may differ by an ulp, so it
/// gets 2 ulps. Reductions are exact in Float64 and rounded once, NumPy's float64 result rounded
/// once as well: they agree to 1 ulp of float32.
@Suite struct ArrayReferenceTests {
    static func close(_ a: Float, _ b: Float, ulps: Float) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= ulps * Swift.max(a.ulp, b.ulp)
    }

    @Test(arguments: ArrayReferenceCases.broadcasts.indices)
    func broadcastingMatchesNumPy(index: Int) throws {
        let c = ArrayReferenceCases.broadcasts[index]
        let y = try ArrayInputs.lhs(c.lhs).broadcasting(try ArrayInputs.rhs(c.rhs), c.op)
        #expect(y.shape == c.shape, "\(c.lhs) \(c.op) \(c.rhs)")
        let ulps: Float = c.op == .power ? 2 : 0
        #expect(y.scalars.count == c.values.count && zip(y.scalars, c.values).allSatisfy { Self.close($0, $1, ulps: ulps) },
                "\(c.lhs) \(c.op) \(c.rhs): \(y.scalars) vs NumPy \(c.values)")
    }

    @Test(arguments: ArrayReferenceCases.reductions.indices)
    func reductionsMatchNumPy(index: Int) throws {
        let c = ArrayReferenceCases.reductions[index]
        let y = try ArrayInputs.cube([2, 3, 4]).reduced(c.reduction, axes: c.axes, keepdims: c.keepdims, correction: c.correction)
        let what = "\(c.reduction) axes \(c.axes.map(String.init(describing:)) ?? "all") keepdims \(c.keepdims) correction \(c.correction)"
        #expect(y.shape == c.shape, "\(what)")
        #expect(zip(y.scalars, c.values).allSatisfy { Self.close($0, $1, ulps: 1) }, "\(what): \(y.scalars) vs \(c.values)")
    }

    @Test(arguments: ArrayReferenceCases.slices.indices)
    func slicingMatchesNumPy(index: Int) throws {
        let c = ArrayReferenceCases.slices[index]
        let result = try ArrayInputs.cube([3, 4, 5]).subscripted(c.subscripts)
        switch result {
        case .scalar(let v): #expect(c.shape == nil && [v] == c.values, "\(c.subscripts)")
        case .tensor(let t): #expect(t.shape == c.shape && t.scalars == c.values, "\(c.subscripts): \(t.shape) \(t.scalars)")
        }
    }
}

/// The kit's array errors, each with the sentence the shell prints.
@Suite struct ArrayErrorTests {
    @Test func shapesThatCannotBroadcastNameBoth() throws {
        #expect(throws: TensorError.cannotBroadcast(lhs: [4, 3], rhs: [4])) { try Tensor.zeros([4, 3]).broadcasting(try Tensor.zeros([4]), .add) }
        #expect(TensorError.cannotBroadcast(lhs: [4, 3], rhs: [4]).description
                == "operands could not be broadcast together with shapes (4, 3) and (4)")
        // The per-channel habit on (N, C, L) gets the PyTorch spelling as a hint.
        #expect(TensorError.cannotBroadcast(lhs: [2, 3, 5], rhs: [3]).description.hasSuffix("reshape the vector to (1, 3, 1))"))
    }

    @Test func aBillionElementBroadcastIsRefusedBeforeAllocating() throws {
        let a = try Tensor.ones([100_000, 1]), b = try Tensor.ones([1, 10_000])
        #expect(throws: TensorError.tooLarge(shape: [100_000, 10_000], limit: TensorLimits.maxElements)) { try a.broadcasting(b, .multiply) }
        #expect(throws: TensorError.tooLarge(shape: [100_000, 10_000], limit: TensorLimits.maxElements)) {
            try Tensor.selecting(a, b, try Tensor.ones([1]))
        }
        #expect(throws: TensorError.self) { try a.matmul(b) }
    }

    @Test func indexErrors() throws {
        let x = try ArrayInputs.cube([4, 3])
        #expect(throws: TensorError.indexOutOfRange(index: 10, axis: 0, size: 4)) { try x.subscripted([.index(10)]) }
        #expect(TensorError.indexOutOfRange(index: 10, axis: 0, size: 4).description == "index 10 is out of range for axis 0 with size 4")
        #expect(throws: TensorError.indexOutOfRange(index: -4, axis: 1, size: 3)) { try x.subscripted([.index(0), .index(-4)]) }
        #expect(throws: TensorError.tooManyIndices(given: 3, rank: 2)) { try x.subscripted([.index(0), .index(0), .index(0)]) }
        #expect(throws: TensorError.zeroSliceStep) { try x.subscripted([.slice(start: nil, stop: nil, step: 0)]) }
        #expect(TensorError.zeroSliceStep.description == "slice step cannot be zero")
    }

    @Test func extremeSliceBoundsNeitherTrapNorOverflow() throws {
        for size in [0, 1, 4] {
            for v in [Int.min, Int.min + 1, -5, 0, 5, Int.max] {
                for step in [Int.min, -1, 1, Int.max] {
                    _ = try Tensor.slicePositions(start: v, stop: v == Int.max ? Int.min : Int.max, step: step, size: size)
                    _ = try Tensor.slicePositions(start: nil, stop: v, step: step, size: size)
                }
            }
        }
        #expect(try Tensor.slicePositions(start: nil, stop: nil, step: Int.min, size: 4) == [3])
        #expect(try Tensor.slicePositions(start: Int.min, stop: Int.max, step: Int.max, size: 4) == [0])
    }

    @Test func axisErrors() throws {
        let x = try ArrayInputs.cube([2, 3])
        #expect(throws: TensorError.axisOutOfRange(axis: 2, rank: 2)) { try x.reduced(.sum, axes: [2]) }
        #expect(TensorError.axisOutOfRange(axis: 2, rank: 2).description == "axis 2 is out of range for a tensor of rank 2 (axes are -2 to 1)")
        #expect(throws: TensorError.repeatedAxis(-1)) { try x.reduced(.mean, axes: [1, -1]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([0, 3]).reduced(.max, axes: [0]) }
        #expect(try Tensor.zeros([0, 3]).reduced(.sum, axes: [0]).scalars == [0, 0, 0])
    }

    @Test func correctionAtOrAboveTheCountGivesNaNOrInfinity() throws {
        let x = try Tensor(shape: [1, 2], scalars: [1, 3])
        #expect(try x.reduced(.variance, axes: [0], correction: 1).scalars.allSatisfy(\.isNaN))
        #expect(try x.reduced(.variance, axes: [1], correction: 2).scalars == [.infinity])
    }
}

/// Transpose, permute, matmul, concat, stack and the elementwise functions, by hand.
@Suite struct LinearAlgebraTests {
    @Test func matmulShapesFollowNumPy() throws {
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = try Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        #expect(try a.matmul(b) == .tensor(try Tensor(shape: [2, 2], scalars: [58, 64, 139, 154])))
        #expect(try Tensor(vector: [1, 1]).matmul(a) == .tensor(Tensor(vector: [5, 7, 9])))
        #expect(try a.matmul(Tensor(vector: [1, 0, -1])) == .tensor(Tensor(vector: [-2, -2])))
        #expect(try Tensor(vector: [1, 2]).matmul(Tensor(vector: [3, 4])) == .scalar(11))
        #expect(throws: TensorError.self) { try a.matmul(a) }
        var asked = 0
        #expect(throws: TensorError.interrupted) { try a.matmul(b, shouldStop: { asked += 1; return true }) }
        #expect(asked == 1)
    }

    @Test func transposeAndPermute() throws {
        let x = try ArrayInputs.cube([2, 3, 4])
        #expect(try x.permuted([0, 1, 2]) == x)
        let p = try x.permuted([2, 0, -2])
        #expect(p.shape == [4, 2, 3])
        #expect(p.element(at: [3, 1, 2]) == x.element(at: [1, 2, 3]))
        let m = try ArrayInputs.cube([2, 3])
        #expect(try m.transposed() == (try m.permuted([1, 0])))
        #expect(try Tensor(vector: [1, 2]).transposed() == Tensor(vector: [1, 2]))
        #expect(throws: TensorError.repeatedAxis(0)) { try x.permuted([0, 0, 1]) }
        #expect(throws: TensorError.self) { try x.transposed() }
    }

    @Test func concatAndStack() throws {
        let a = try ArrayInputs.cube([2, 3]), b = try ArrayInputs.lhs([1, 3])
        let c = try Tensor.concatenated([a, b], axis: 0)
        #expect(c.shape == [3, 3] && c.scalars == a.scalars + b.scalars)
        let d = try Tensor.concatenated([a, a], axis: -1)
        #expect(d.shape == [2, 6] && Array(d.scalars[0..<6]) == Array(a.scalars[0..<3]) + Array(a.scalars[0..<3]))
        #expect(throws: TensorError.self) { try Tensor.concatenated([a, b], axis: 1) }
        let s = try Tensor.stacked([a, a], axis: 2)
        #expect(s.shape == [2, 3, 2] && s.element(at: [1, 2, 1]) == a.element(at: [1, 2]))
        #expect(try Tensor.stacked([a, a], axis: 0).shape == [2, 2, 3])
        #expect(throws: TensorError.unsupportedRank(5)) { try Tensor.stacked([try Tensor.zeros([1, 1, 1, 1])], axis: 0) }
    }

    @Test func elementwiseFunctionsAtTheEdges() throws {
        let x = Tensor(vector: [-1, 0, -0.0, 4, .infinity, .nan])
        let sqrt = x.applying(.sqrt).scalars, log = x.applying(.log).scalars, relu = x.applying(.relu).scalars
        #expect(sqrt[0].isNaN && sqrt[1] == 0 && sqrt[3] == 2 && sqrt[4] == .infinity && sqrt[5].isNaN)
        #expect(log[0].isNaN && log[1] == -.infinity && log[4] == .infinity)
        #expect(relu[0] == 0 && relu[3] == 4 && relu[4] == .infinity && relu[5].isNaN)
        #expect(x.applying(.exp).scalars[1] == 1 && x.applying(.tanh).scalars[4] == 1)
        #expect(ElementwiseFunction.exp.apply(1.0) == 2.718281828459045)
    }
}
