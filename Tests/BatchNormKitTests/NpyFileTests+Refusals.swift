@testable import BatchNormKit
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif


/// Bad `.npy` files are refused with one clear message naming the file, and never trap.
extension NpyFileTests {
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
