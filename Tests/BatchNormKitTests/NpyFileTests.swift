@testable import BatchNormKit
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Fixture and scratch locations for the file-format tests (shared with CSVFileTests).
///
/// Fixtures live in `Fixtures/files` (regenerate with `make_fixtures.py`); written files go to a
/// fresh folder under the repository's git-ignored `tmp/`, so the tests never read outside the repo.
enum IOTestFiles {
    static let folder: String = {
        let file = "\(#filePath)"
        return "\(file[..<(file.lastIndex(of: "/") ?? file.endIndex)])/Fixtures/files"
    }()

    static func path(_ name: String) -> String { "\(folder)/\(name)" }

    static func bytes(_ name: String) throws -> [UInt8] {
        try AtomicFile.readAll(path: path(name), limit: 1 << 20)
    }

    private static let serial = Mutex(0)

    /// A new empty folder `<repo>/tmp/io-tests-PID-N`; pass it to `removeScratch` when done.
    static func makeScratch() throws -> String {
        let root = "\(folder)/../../../../tmp"
        mkdir(root, 0o755)
        let n = serial.withLock { value in
            value += 1
            return value
        }
        let scratch = "\(root)/io-tests-\(getpid())-\(n)"
        guard mkdir(scratch, 0o755) == 0 else {
            throw DataFileError.cannotWrite(path: scratch, reason: AtomicFile.describe(errno: errno))
        }
        return scratch
    }

    /// Names in a folder, without "." and "..".
    static func listing(_ folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func removeScratch(_ folder: String) {
        for name in listing(folder) {
            let path = "\(folder)/\(name)"
            if unlink(path) != 0 { rmdir(path) }
        }
        rmdir(folder)
    }
}

/// The values `make_fixtures.py` calls `ramp(shape)`: i * 0.25 - 3, exact in float32.
private func ramp(_ count: Int) -> [Float] {
    (0..<count).map { Float($0) * 0.25 - 3 }
}

private func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }

/// A v1 `.npy` file with `header` (padded like NumPy's) followed by `payload`.
private func npy(header: String, payload: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
    var text = Array(header.utf8)
    let lengthSize = major == 1 ? 2 : 4
    while (10 + lengthSize - 2 + text.count + 1) % 64 != 0 { text.append(0x20) }
    text.append(0x0A)
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    for i in 0..<lengthSize { bytes.append(UInt8(truncatingIfNeeded: text.count >> (8 * i))) }
    return bytes + text + payload
}

private func float32Payload(_ values: [Float]) -> [UInt8] {
    values.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
}

private func decodeError(_ bytes: [UInt8], path: String = "x.npy") -> DataFileError? {
    do {
        _ = try NpyFile.decode(bytes, path: path)
        return nil
    } catch {
        return error
    }
}

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

    // MARK: Refusing bad files with a clear message

    @Test func wrongMagic() throws {
        var bytes = try IOTestFiles.bytes("f4_1d.npy")
        bytes[1] = UInt8(ascii: "X")
        let error = try #require(decodeError(bytes, path: "bad.npy"))
        guard case .malformed(let path, let detail) = error else { Issue.record("\(error)"); return }
        #expect(path == "bad.npy" && detail.contains("\\x93NUMPY") && detail.contains("\\x93XUMPY"), "\(detail)")
        #expect(decodeError(Array("a,b\n1,2\n".utf8)) != nil)
        #expect(decodeError([]) == .malformed(path: "x.npy", detail: "the file is empty"))
    }

    @Test func truncatedPreambleHeaderAndData() throws {
        let bytes = try IOTestFiles.bytes("f4_2x3.npy")
        #expect(bytes.count == 128 + 24)
        #expect(decodeError(Array(bytes.prefix(7))) == .truncated(path: "x.npy", expectedBytes: 10, gotBytes: 7))
        #expect(decodeError(Array(bytes.prefix(9))) == .truncated(path: "x.npy", expectedBytes: 10, gotBytes: 9))
        #expect(decodeError(Array(bytes.prefix(50))) == .truncated(path: "x.npy", expectedBytes: 128, gotBytes: 50))
        let error = decodeError(Array(bytes.dropLast(2)))
        #expect(error == .truncated(path: "x.npy", expectedBytes: 152, gotBytes: 150))
        #expect(error?.description.contains("ends at byte 150") == true)
    }

    @Test func trailingBytes() throws {
        let bytes = try IOTestFiles.bytes("f4_2x3.npy") + [1, 2, 3]
        #expect(decodeError(bytes) == .trailingData(path: "x.npy", extraBytes: 3))
    }

    @Test func unsupportedTypesNameTheFix() throws {
        let int64 = path("i8.npy")
        #expect(throws: DataFileError.unsupportedDType(path: int64, descr: "<i8")) { try NpyFile.read(path: int64) }
        let message = "\(DataFileError.unsupportedDType(path: int64, descr: "<i8"))"
        #expect(message.contains("i8.npy") && message.contains("int64") && message.contains("a.astype(np.float32)"))

        let bigEndian = path("be_f4.npy")
        #expect(throws: DataFileError.unsupportedDType(path: bigEndian, descr: ">f4")) {
            try NpyFile.read(path: bigEndian)
        }
        #expect("\(DataFileError.unsupportedDType(path: bigEndian, descr: ">f4"))".contains("big-endian float32"))

        let structured = path("structured.npy")
        #expect(throws: DataFileError.unsupportedDType(path: structured, descr: "[('x', '<f4'), ('y', '<f4')]")) {
            try NpyFile.read(path: structured)
        }
    }

    @Test func fortranOrderSuggestsContiguousCopy() throws {
        let fortran = path("fortran.npy")
        #expect(throws: DataFileError.fortranOrder(path: fortran)) { try NpyFile.read(path: fortran) }
        #expect("\(DataFileError.fortranOrder(path: fortran))".contains("np.ascontiguousarray"))
    }

    @Test func rankFiveIsRefused() throws {
        let rank5 = path("rank5.npy")
        #expect(throws: DataFileError.tensor(path: rank5, .unsupportedRank(5))) { try NpyFile.read(path: rank5) }
    }

    @Test func hugeShapeIsRefusedBeforeAllocating() throws {
        // The header claims 10^15 float32 values; the payload is 8 bytes. The element cap must
        // fire before any allocation or length check.
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }"
        let error = decodeError(npy(header: header, payload: [0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(error == .tensor(path: "x.npy", .tooLarge(shape: [100_000, 100_000, 100_000],
                                                          limit: TensorLimits.maxElements)))
        let overflowing = "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }"
        guard case .tensor(_, .tooLarge) = decodeError(npy(header: overflowing)) else {
            Issue.record("a shape whose product overflows Int must be refused as too large"); return
        }
    }

    @Test func unsupportedVersionAndOversizedHeader() throws {
        var bytes = try IOTestFiles.bytes("f4_1d.npy")
        bytes[6] = 4
        #expect(decodeError(bytes) == .unsupportedVersion(path: "x.npy", major: 4, minor: 0))
        bytes[6] = 1
        bytes[7] = 1
        #expect(decodeError(bytes) == .unsupportedVersion(path: "x.npy", major: 1, minor: 1))
        // Version 2 with a 1 MiB header length: refused without reading further.
        let huge: [UInt8] = [0x93] + Array("NUMPY".utf8) + [2, 0, 0, 0, 0x10, 0]
        guard case .malformed(_, let detail) = decodeError(huge + [UInt8](repeating: 0x20, count: 100)) else {
            Issue.record("oversized header accepted"); return
        }
        #expect(detail.contains("byte 8") && detail.contains("1048576"))
    }

    @Test(arguments: [
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), } junk", "after the closing"),
        ("not a dict at all", "start with '{'"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", "',' or '}'"),
        ("{'descr': '<f4', 'fortran_order': False}", "no 'shape'"),
        ("{'fortran_order': False, 'shape': (2, 3)}", "no 'descr'"),
        ("{'descr': '<f4', 'shape': (2, 3)}", "no 'fortran_order'"),
        ("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3)}", "True or False"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'a')}", "tuple of integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': 6}", "tuple of integers"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", "too large"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", "unexpected key 'extra'"),
        ("{'descr: '<f4'}", "byte"),
        ("{'descr': '<f4', 'fortran_order': Flase, 'shape': (2, 3)}", "unexpected text near 'Flase"),
        ("{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 500) + "}", "nested"),
    ])
    func garbageHeadersAreMalformed(header: String, expected: String) throws {
        let error = decodeError(npy(header: header, payload: float32Payload(ramp(6))))
        guard case .malformed(let path, let detail) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(path == "x.npy")
        #expect(detail.contains(expected), "\(detail)")
    }

    @Test func negativeShapeIsATensorError() throws {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }"
        #expect(decodeError(npy(header: header)) == .tensor(path: "x.npy", .negativeSize([-1, 3])))
    }

    @Test func invalidUTF8InVersion3Header() throws {
        var bytes = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                        payload: float32Payload([1]), major: 3)
        bytes[70] = 0xFF
        guard case .malformed(_, let detail) = decodeError(bytes) else { Issue.record("accepted"); return }
        #expect(detail.contains("UTF-8"))
    }

    @Test func fileSystemErrors() throws {
        #expect(throws: DataFileError.notFound(path: path("missing.npy"))) { try NpyFile.read(path: path("missing.npy")) }
        #expect(throws: DataFileError.isDirectory(path: IOTestFiles.folder)) { try NpyFile.read(path: IOTestFiles.folder) }
        let name = path("f4_2x3.npy")
        #expect(throws: DataFileError.tooLarge(path: name, bytes: 152, limit: 100)) {
            try AtomicFile.readAll(path: name, limit: 100)
        }
    }

    @Test func everyMessageNamesTheFile() throws {
        let errors: [DataFileError] = [
            .cannotOpen(path: "p.npy", reason: "Permission denied"), .notFound(path: "p.npy"),
            .isDirectory(path: "p.npy"), .tooLarge(path: "p.npy", bytes: 10, limit: 5),
            .malformed(path: "p.npy", detail: "d"), .unsupportedDType(path: "p.npy", descr: "<i8"),
            .fortranOrder(path: "p.npy"), .unsupportedVersion(path: "p.npy", major: 9, minor: 9),
            .truncated(path: "p.npy", expectedBytes: 9, gotBytes: 3), .trailingData(path: "p.npy", extraBytes: 1),
            .cannotWrite(path: "p.npy", reason: "r"), .unsupportedExtension(path: "p.npy"),
            .tensor(path: "p.npy", .unsupportedRank(5)), .cannotRead(path: "p.npy", reason: "r"),
        ]
        for error in errors {
            #expect(error.description.contains("p.npy") && error.path == "p.npy", "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    /// Random damage to valid files must produce a tensor or a DataFileError, never a trap
    /// (a trap would crash this whole test process).
    @Test func mutatedFilesNeverTrap() throws {
        var generator = SeededGenerator(seed: 2024)
        let originals = try ["f4_2x3.npy", "f8_mixed.npy", "f4_v3.npy", "f4_empty2d.npy"].map(IOTestFiles.bytes)
        let interesting = Array("(),:'\"{}[]0123456789-LTrueFalse\n \u{93}".utf8) + [0, 0xFF, 0x80]
        var decoded = 0
        var refused = 0
        for round in 0..<2000 {
            var bytes = originals[round % originals.count]
            for _ in 0...Int(generator.next() % 3) {
                // Mostly hit the preamble and header, where the parsing is.
                let span = generator.next() % 4 == 0 ? bytes.count : min(bytes.count, 128)
                guard span > 0 else { break }
                let at = Int(generator.next() % UInt64(span))
                switch generator.next() % 6 {
                case 0: bytes[at] ^= UInt8(1 << (generator.next() % 8))
                case 1: bytes[at] = UInt8(truncatingIfNeeded: generator.next())
                case 2: bytes[at] = interesting[Int(generator.next() % UInt64(interesting.count))]
                case 3: bytes.removeSubrange(at...)
                case 4: bytes.insert(interesting[Int(generator.next() % UInt64(interesting.count))], at: at)
                default: bytes.remove(at: at)
                }
            }
            do {
                _ = try NpyFile.decode(bytes, path: "m.npy")
                decoded += 1
            } catch {
                #expect(error.path == "m.npy")
                refused += 1
            }
        }
        #expect(decoded + refused == 2000)
        #expect(refused > 1000)
    }
}

private func path(_ name: String) -> String { IOTestFiles.path(name) }
