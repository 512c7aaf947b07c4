@testable import BatchNormKit
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif


@Suite struct NpyFileTests {
    // MARK: Reading what NumPy wrote

    @Test func float32FixtureMatchesNumPyValueByValue() throws {
        let t = try NpyFile.read(path: IOTestFiles.path("f4_2x3.npy"))
        #expect(t.shape == [2, 3])
        #expect(bits(t.scalars) == bits([1.5, -2.25, 0.1, 1e-8, 3.4e38, -0.0]))
    }

    @Test func specialValuesSurviveBitForBit() throws {
        let t = try NpyFile.read(path: IOTestFiles.path("f4_special.npy"))
        #expect(t.shape == [5])
        #expect(t.scalars[0].isNaN)
        #expect(bits(Array(t.scalars[1...])) == bits([.infinity, -.infinity, .leastNonzeroMagnitude, -0.0]))
    }

    @Test func float64IsRoundedExactlyAsNumPyAstype() throws {
        let wide = try NpyFile.read(path: IOTestFiles.path("f8_mixed.npy"))
        let narrowed = try NpyFile.read(path: IOTestFiles.path("f8_mixed_as_f4.npy"))
        #expect(wide.shape == [2, 5])
        #expect(bits(wide.scalars) == bits(narrowed.scalars))
        #expect(wide.scalars[3] == .infinity && wide.scalars[8] == 1)
    }

    /// The change each value made, as NumPy computes |x.astype(f4) − x|: 1 at [1, 2]
    /// (16777217 → 16777216, 1/16777217 of it); 1e±300 overflow, NaN is not a change.
    @Test func float64RoundingReportsItsLargestChange() throws {
        let loaded = try NpyFile.readData(path: IOTestFiles.path("f8_mixed.npy"))
        let narrowing = try #require(loaded.narrowing)
        #expect(narrowing.largestChange == 1 && narrowing.index == [1, 2])
        #expect(narrowing.relativeChange == 1 / 16_777_217.0)
        #expect(narrowing.overflowed == 2)
        #expect(!loaded.isScalar)
        #expect(try NpyFile.readData(path: IOTestFiles.path("f4_2x3.npy")).narrowing == nil, "float32 is read as it is")
    }

    @Test(arguments: [("f4_1d.npy", [5]), ("f4_3d.npy", [2, 3, 4]), ("f4_4d.npy", [2, 3, 2, 2])])
    func ranksOneToFour(name: String, shape: [Int]) throws {
        let t = try NpyFile.read(path: IOTestFiles.path(name))
        #expect(t.shape == shape)
        #expect(t.scalars == ramp(shape.reduce(1, *)))
    }

    @Test(arguments: ["f4_v1.npy", "f4_v2.npy", "f4_v3.npy"])
    func formatVersionsOneTwoThree(name: String) throws {
        let t = try NpyFile.read(path: IOTestFiles.path(name))
        #expect(t.shape == [2, 3])
        #expect(t.scalars == ramp(6))
    }

    @Test func handMadeVersion3HeaderWithOtherSpellings() throws {
        let header = "{\"shape\": ( 2 ,3 ) ,\t\"descr\" : \"<f4\",\n 'fortran_order':False}"
        let t = try NpyFile.decode(npy(header: header, payload: float32Payload(ramp(6)), major: 3), path: "v3.npy")
        #expect(t.shape == [2, 3])
        #expect(t.scalars == ramp(6))
    }

    @Test(arguments: [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}",
        "{'descr':'<f4','fortran_order':False,'shape':(2,3,),}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
        "  {'descr': '<f4', 'fortran_order': False, 'shape': [2, 3]}  ",
    ])
    func headerSpellingsNumPyAccepts(header: String) throws {
        let t = try NpyFile.decode(npy(header: header, payload: float32Payload(ramp(6))), path: "h.npy")
        #expect(t.shape == [2, 3])
    }

    @Test func emptyAndScalarArrays() throws {
        let empty = try NpyFile.read(path: IOTestFiles.path("f4_empty.npy"))
        #expect(empty.shape == [0] && empty.scalars.isEmpty)
        let empty2d = try NpyFile.read(path: IOTestFiles.path("f4_empty2d.npy"))
        #expect(empty2d.shape == [0, 3] && empty2d.scalars.isEmpty)
        let wide = try NpyFile.read(path: IOTestFiles.path("f4_wide_axis0.npy"))
        #expect(wide.shape == [1_234_567, 0, 2])
        // NumPy's 0-d arrays become bnlab's smallest tensor, a 1-element vector.
        let scalar = try NpyFile.read(path: IOTestFiles.path("f4_scalar.npy"))
        #expect(scalar.shape == [1] && scalar.scalars == [2.5])
        #expect(try NpyFile.readData(path: IOTestFiles.path("f4_scalar.npy")).isScalar, "and say they were scalars")
        #expect(try !NpyFile.readData(path: IOTestFiles.path("f4_1d.npy")).isScalar)
    }

    @Test func fortranOrderIsFineWhenTheLayoutIsTheSame() throws {
        let header = "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 3, 1), }"
        let t = try NpyFile.decode(npy(header: header, payload: float32Payload([1, 2, 3])), path: "f.npy")
        #expect(t.shape == [1, 3, 1] && t.scalars == [1, 2, 3])
    }

    // MARK: Writing what NumPy writes

    @Test(arguments: ["f4_2x3.npy", "f4_special.npy", "f4_1d.npy", "f4_3d.npy", "f4_4d.npy",
                      "f4_empty.npy", "f4_empty2d.npy", "f4_wide_axis0.npy"])
    func encodeIsByteIdenticalToNumPySave(name: String) throws {
        let original = try IOTestFiles.bytes(name)
        let reencoded = NpyFile.encode(try NpyFile.decode(original, path: name))
        #expect(reencoded == original)
    }

    @Test func headerIsPaddedToSixtyFourBytes() throws {
        for shape in [[1], [12, 34], [1, 2, 3], [0, 99, 999, 99], [0, 123_456_789]] {
            let t = try Tensor(repeating: 0.5, shape: shape)
            let bytes = NpyFile.encode(t)
            let headerEnd = 10 + Int(bytes[8]) + Int(bytes[9]) << 8
            #expect(headerEnd % 64 == 0, "shape \(shape)")
            #expect(bytes[headerEnd - 1] == 0x0A)
            #expect(bytes.count == headerEnd + 4 * t.count)
            #expect(try NpyFile.decode(bytes, path: "p.npy") == t)
        }
    }

    @Test func randomTensorsRoundTripExactly() throws {
        var generator = SeededGenerator(seed: 7)
        for shape in [[17], [4, 5], [2, 3, 4], [2, 1, 3, 2]] {
            var t = try Tensor.randn(shape, using: &generator)
            t.scalars[0] = .nan
            let back = try NpyFile.decode(NpyFile.encode(t), path: "r.npy")
            #expect(back.shape == t.shape)
            #expect(bits(back.scalars) == bits(t.scalars))
        }
    }

    @Test func writeThenReadThroughDataFile() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let t = try Tensor(shape: [2, 2], scalars: [1, -2, 3.5, .infinity])
        try DataFile.save(t, to: "\(scratch)/out.NPY")
        #expect(try DataFile.load(path: "\(scratch)/out.NPY") == t)
        // Overwriting replaces the file and leaves no temporary files behind.
        let u = try Tensor(shape: [3], scalars: [7, 8, 9])
        try NpyFile.write(u, to: "\(scratch)/out.NPY")
        #expect(try NpyFile.read(path: "\(scratch)/out.NPY") == u)
        #expect(IOTestFiles.listing(scratch) == ["out.NPY"])
    }
}

/// Making the bytes of test files: NumPy's padding, payloads, and what decoding says.
extension NpyFileTests {
    /// The values `make_fixtures.py` calls `ramp(shape)`: i * 0.25 - 3, exact in float32.
    func ramp(_ count: Int) -> [Float] {
        (0..<count).map { Float($0) * 0.25 - 3 }
    }

    func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

    /// A v1 `.npy` file with `header` (padded like NumPy's) followed by `payload`.
    func npy(header: String, payload: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
        var text = Array(header.utf8)
        let lengthSize = major == 1 ? 2 : 4
        while (10 + lengthSize - 2 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
        for i in 0..<lengthSize { bytes.append(UInt8(truncatingIfNeeded: text.count >> (8 * i))) }
        return bytes + text + payload
    }

    func float32Payload(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
    }

    func decodeError(_ bytes: [UInt8], path: String = "x.npy") -> DataFileError? {
        do {
            _ = try NpyFile.decode(bytes, path: path)
            return nil
        } catch {
            return error
        }
    }

    func path(_ name: String) -> String { IOTestFiles.path(name) }
}
