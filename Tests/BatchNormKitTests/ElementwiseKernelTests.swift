@testable import BatchNormKit
import Testing

/// `+ - * /` through the C kernels against the plain loop they replaced: every element must be the
/// same bits (one IEEE float32 operation, tolerance zero), NaN, ±∞, −0 and subnormals included,
/// on sizes around the piece boundaries and for every broadcast form.
@Suite(.serialized) struct ElementwiseKernelTests {
    static let operations: [ElementwiseOperation] = [.add, .subtract, .multiply, .divide]

    /// The reference: one float32 operation, written out. When both operands are NaN, IEEE 754
    /// leaves the payload open; bnlab's answer (what the `map` it replaced gave, checked at the
    /// prompt) is the left operand's NaN, quieted, except that for + and × the tensor's own
    /// element wins over a scalar or per-channel value on its left.
    static func reference(_ a: Float, _ op: ElementwiseOperation, _ b: Float, tensorOnRight: Bool = false) -> Float {
        let result: Float = switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        default: op.apply(a, b)  // ** and comparisons run in Swift, not in these C loops
        }
        guard a.isNaN, b.isNaN else { return result }
        let winner = tensorOnRight && (op == .add || op == .multiply) ? b : a
        return Float(bitPattern: winner.bitPattern | 0x0040_0000)
    }

    /// Values that are normal, then every special one, sprinkled through so each lands in vector
    /// lanes and in the scalar tails alike.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let specials: [Float] = [.nan, -.nan, Float(nan: 0x1234, signaling: false), Float(nan: 0x55, signaling: true), .infinity, -.infinity, 0, -0,
                                 .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude, 1e-30, 3e38]
        var x = (try? Tensor.randn([Swift.max(count, 1)], using: &rng).scalars) ?? []
        x = Array(x.prefix(count))
        for i in stride(from: Int(seed % 5), to: count, by: 7) { x[i] = specials[(i / 7) % specials.count] }
        return x
    }

    static func expectSameBits(_ got: [Float], _ want: [Float], _ what: String) {
        #expect(got.count == want.count, "\(what): count")
        let mismatch = got.indices.first { got[$0].bitPattern != want[$0].bitPattern }
        #expect(mismatch == nil, "\(what): first differing element \(mismatch.map { "\($0): \(got[$0]) vs \(want[$0])" } ?? "")")
    }

    static let sizes = [0, 1, 7, 8, 9, 31, 33, ElementwiseKernel.pieceSize - 1, ElementwiseKernel.pieceSize,
                        ElementwiseKernel.pieceSize + 1, 2 * ElementwiseKernel.pieceSize + 13]

    @Test(arguments: sizes)
    func tensorAndScalarMatchThePlainLoop(count: Int) throws {
        let x = try Tensor(shape: [count], scalars: Self.values(count, seed: 1))
        for op in Self.operations {
            for s: Float in [1.5, -0, .infinity, .nan, -.nan, Float(nan: 7, signaling: true), 3e-39] {
                Self.expectSameBits(x.combined(with: s, op).scalars,
                                    x.scalars.map { Self.reference($0, op, s) }, "x \(op) \(s)")
                Self.expectSameBits(x.combined(with: s, op, scalarOnLeft: true).scalars,
                                    x.scalars.map { Self.reference(s, op, $0, tensorOnRight: true) }, "\(s) \(op) x")
            }
        }
    }

    @Test(arguments: sizes)
    func tensorAndTensorMatchThePlainLoop(count: Int) throws {
        let a = try Tensor(shape: [count], scalars: Self.values(count, seed: 2))
        let b = try Tensor(shape: [count], scalars: Self.values(count, seed: 3))
        for op in Self.operations {
            Self.expectSameBits(try a.combined(with: b, op).scalars,
                                (0..<count).map { Self.reference(a.scalars[$0], op, b.scalars[$0]) }, "a \(op) b")
        }
    }

    /// (N, C) and (N, C, …) with rows on both sides of `shortRow` and pieces of several rows.
    @Test(arguments: [[5, 3], [1, 1], [3, 4, 1], [2, 3, 63], [2, 3, 64], [2, 3, 65], [4, 5, 9, 7],
                      [3, 7, 1, ElementwiseKernel.pieceSize + 3], [2000, 130], [9, 2, 128, 129]])
    func perChannelVectorMatchesThePlainLoop(shape: [Int]) throws {
        let count = shape.reduce(1, *), c = shape[1], inner = shape.dropFirst(2).reduce(1, *)
        let x = try Tensor(shape: shape, scalars: Self.values(count, seed: 4))
        let v = Tensor(vector: Self.values(c, seed: 5).enumerated().map { $0.offset == 1 ? .nan : $0.element })
        for op in Self.operations {
            Self.expectSameBits(try x.combined(with: v, op).scalars,
                                (0..<count).map { Self.reference(x.scalars[$0], op, v.scalars[($0 / inner) % c]) }, "x \(op) v")
            Self.expectSameBits(try v.combined(with: x, op).scalars,
                                (0..<count).map { Self.reference(v.scalars[($0 / inner) % c], op, x.scalars[$0], tensorOnRight: true) }, "v \(op) x")
        }
    }
}

/// In the serialized `ParallelDeterminismTests`: the thread count is process-wide.
extension ParallelDeterminismTests {
    /// Over the parallel threshold (the sizes above stay under it, to keep the plain loops quick).
    @Test func arithmeticGivesTheSameBitsOnOneThreadAndTwo() throws {
        defer { Parallelism.setThreads(0) }
        let shape = [6, 4, 113, 127]  // 344,424 elements: over the parallel threshold, not a whole number of pieces
        let count = shape.reduce(1, *)
        let x = try Tensor(shape: shape, scalars: ElementwiseKernelTests.values(count, seed: 6))
        let y = try Tensor(shape: shape, scalars: ElementwiseKernelTests.values(count, seed: 7))
        let v = Tensor(vector: [2, -0, .infinity, 0.1])
        func all() throws -> [[UInt32]] {
            try ElementwiseKernelTests.operations.flatMap { op in
                [x.combined(with: 1.5, op), x.combined(with: 1.5, op, scalarOnLeft: true), try x.combined(with: y, op),
                 try x.combined(with: v, op), try v.combined(with: x, op)].map { $0.scalars.map(\.bitPattern) }
            }
        }
        Parallelism.setThreads(1)
        let one = try all()
        Parallelism.setThreads(2)
        let two = try all()
        #expect(one == two)
        ElementwiseKernelTests.expectSameBits(x.combined(with: 1.5, .multiply).scalars,
                                              x.scalars.map { ElementwiseKernelTests.reference($0, .multiply, 1.5) }, "x * 1.5 on two threads")
    }
}
