@testable import BatchNormKit
import Testing

@Suite struct TensorTests {
    @Test func sameSeedSameNumbers() throws {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let x = try Tensor.randn([5, 3], using: &a)
        #expect(x == (try Tensor.randn([5, 3], using: &b)))
        #expect(x != (try Tensor.randn([5, 3], using: &c)))
    }

    @Test func generatorIsPinnedAcrossMachines() throws {
        // Golden values: if these change, every lesson transcript changes. xoshiro256** from SplitMix64(0).
        var g = SeededGenerator(seed: 0)
        #expect(g.next() == 0x99EC_5F36_CB75_F2B4)
        var r = SeededGenerator(seed: 42)
        let x = try Tensor.randn([4096], using: &r)
        let mean = x.scalars.reduce(0.0) { $0 + Double($1) } / 4096
        let variance = x.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 4096
        #expect(abs(mean) < 0.05 && abs(variance - 1) < 0.06)
        let u = try Tensor.rand([4096], using: &r)
        #expect(u.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test func perChannelVectorBroadcastsOverAxisOne() throws {
        let x = try Tensor(shape: [2, 2, 2], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        let y = try x.combined(with: Tensor(vector: [10, 100]), .multiply)
        #expect(y.scalars == [10, 20, 300, 400, 50, 60, 700, 800])
        let z = try Tensor(vector: [1, 2]).combined(with: x, .subtract)
        #expect(z.scalars == [0, -1, -1, -2, -4, -5, -5, -6])
        #expect(x.combined(with: 1, .subtract, scalarOnLeft: true).scalars == [0, -1, -2, -3, -4, -5, -6, -7])
        #expect(throws: TensorError.self) { try x.combined(with: Tensor(vector: [1, 2, 3]), .add) }
    }

    @Test func literalsAndShapes() throws {
        let t = try Tensor.fromLiteral(.list([.list([.number(1), .number(2)]), .list([.number(3), .number(4)])]))
        #expect(t.shape == [2, 2] && t.scalars == [1, 2, 3, 4])
        #expect(throws: TensorError.self) { try Tensor.fromLiteral(.list([.list([.number(1)]), .number(2)])) }
        #expect(throws: TensorError.self) { try Tensor.fromLiteral(.list([.list([.number(1), .number(2)]), .list([.number(3)])])) }
    }

    @Test func hugeShapesAreRefusedBeforeAllocating() throws {
        #expect(throws: TensorError.tooLarge(shape: [100_000, 100_000], limit: TensorLimits.maxElements)) {
            try Tensor.zeros([100_000, 100_000])
        }
        #expect(throws: TensorError.self) { try Tensor.zeros([Int.max, Int.max]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([1, 2, 3, 4, 5]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([-1]) }
        #expect(try Tensor.zeros([1000, 0]).count == 0, "an empty axis makes an empty tensor")
        // …but the other axes stay capped, or loops over them would run for ever (or overflow).
        #expect(throws: TensorError.self) { try Tensor.zeros([0, 1, 100_000_000_000_000, 100_000_000_000_000]) }
        #expect(throws: TensorError.self) { try Tensor.zeros([100_000_000_000_000, 0]) }
    }
}

@Suite struct SamplingTests {
    @Test func samplesAreDistinctAndAFullSampleIsAShuffle() {
        var g = SeededGenerator(seed: 3)
        let some = g.sample(16, from: 1_000_000)
        #expect(Set(some).count == 16 && some.allSatisfy { (0..<1_000_000).contains($0) })
        // Every position of a full permutation should see every value about equally often.
        var firstIsZero = 0, lastIsLast = 0
        for _ in 0..<2000 {
            let order = g.sample(10, from: 10)
            #expect(Set(order) == Set(0..<10))
            if order[0] == 0 { firstIsZero += 1 }
            if order[9] == 9 { lastIsLast += 1 }
        }
        #expect((120...280).contains(firstIsZero) && (120...280).contains(lastIsLast), "\(firstIsZero) \(lastIsLast)")
    }
}
