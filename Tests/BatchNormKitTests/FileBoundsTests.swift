@testable import BatchNormKit
import Foundation
import Synchronization
import Testing

/// Regression tests for issue "Unbreakable, round two" (H2, M3, M6, D4, E4, the confinement of
/// `load`/`save`, and the zero-element message): each failed, or hung, on the code before the fix.
struct FileBoundsTests {
    // MARK: H2 — a FIFO is refused at once, whether or not a writer holds it open

    @Test func aFifoWithASilentWriterIsRefusedAtOnce() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        for name in ["f.npy", "f.csv"] {
            let fifo = "\(scratch)/\(name)"
            try #require(mkfifo(fifo, 0o600) == 0)
            defer { unlink(fifo) }
            // The test is the silent writer; the load runs on a thread so a hang fails the test
            // instead of stalling the suite (closing the writer afterwards ends such a read).
            let writer = open(fifo, O_RDWR | O_NONBLOCK)
            try #require(writer >= 0)
            let done = DispatchSemaphore(value: 0)
            let outcome = Mutex<DataFileError?>(nil)
            let start = ContinuousClock.now
            Thread.detachNewThread {
                do throws(DataFileError) { _ = try DataFile.load(path: fifo) } catch { outcome.withLock { $0 = error } }
                done.signal()
            }
            let finished = done.wait(timeout: .now() + 2) == .success
            close(writer)
            if !finished { _ = done.wait(timeout: .now() + 5) }
            #expect(finished, "load(\(name)) of a FIFO whose writer never writes did not return")
            #expect(ContinuousClock.now - start < .milliseconds(100) || !finished)
            let error = outcome.withLock { $0 }
            #expect(error == .cannotOpen(path: fifo, reason: "it is a pipe (FIFO), not a regular file; bnlab reads only "
                + "files whose size it can check first (save the data to a file)"), "\(String(describing: error))")
        }
    }

    // MARK: M3 — CSV is streamed, and a CSV that load would refuse is never written

    @Test func aCSVLargerThanTheLoadLimitIsRefusedBeforeWriting() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/big.csv"
        // 100 values of 15 bytes each with their separators: 1,500 bytes against a 1,000-byte limit.
        let t = try Tensor(repeating: -1.2345678e-38, shape: [100])
        let error = #expect(throws: DataFileError.self) { try CSVFile.write(t, to: target, limit: 1000, shouldStop: { false }) }
        #expect(error == .cannotWrite(path: target, reason: "as CSV it would be more than 1000 bytes, the largest CSV "
            + "load reads; save it as .npy (4 bytes a value, exact)"))
        #expect(IOTestFiles.listing(scratch).isEmpty)
        // Just within the limit, it is written, exactly as long as measured.
        try CSVFile.write(t, to: target, limit: 1500, shouldStop: { false })
        #expect(try AtomicFile.readAll(path: target, limit: 1 << 20).count == 1500)
    }

    @Test func anEmptyTensorIsNotSavedAsCSV() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/e.csv"
        let error = #expect(throws: DataFileError.self) { try DataFile.save(try Tensor.zeros([0, 3]), to: target) }
        #expect(error == .cannotWrite(path: target, reason: "a tensor of shape (0, 3) has no values, and a CSV without "
            + "data rows cannot be loaded back; save it as .npy"))
        #expect(IOTestFiles.listing(scratch).isEmpty)
    }

    /// Several 1 MiB chunks, the awkward double-rounding value among them, read back bit for bit.
    @Test func aStreamedCSVRoundTripsExactly() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        var values = (0..<300_000).map { Float($0) * 1.000_123 - 7e4 }
        values[123_457] = Float(bitPattern: CSVFile.doubleRoundingBits)
        values[200_001] = -Float(bitPattern: CSVFile.doubleRoundingBits)
        let t = try Tensor(shape: [100_000, 3], scalars: values)
        let target = "\(scratch)/s.csv"
        try DataFile.save(t, to: target)
        #expect(try DataFile.load(path: target).scalars.map(\.bitPattern) == values.map(\.bitPattern))
        #expect(values.allSatisfy { CSVFile.format($0).utf8.count + 1 <= CSVFile.longestValueBytes })
    }

    // MARK: D4 — a bad field in the first row is named, not taken for a header

    @Test func aFirstRowWithANumberIsDataAndItsBadFieldIsNamed() {
        func error(_ text: String) -> DataFileError? {
            do { _ = try CSVFile.decode(text, path: "d.csv"); return nil } catch { return error }
        }
        #expect(error("1,,2\n3,4,5\n") == .csvBadField(path: "d.csv", line: 1, column: 3, text: ""))
        #expect(error("1,2 # c\n") == .csvBadField(path: "d.csv", line: 1, column: 3, text: "2 # c"))
        #expect(error("1,2 # c\n")?.description.hasSuffix("(a # comment must be on a line of its own)") == true)
        #expect(error("\u{2212}1\n") == .csvBadField(path: "d.csv", line: 1, column: 1, text: "\u{2212}1"))
        #expect(error("\u{2212}1\n")?.description.contains("Unicode minus sign") == true)
        #expect(error("1d5\n") == .csvBadField(path: "d.csv", line: 1, column: 1, text: "1d5"))
        #expect(error("1d5\n")?.description.contains("not Fortran's d") == true)
        #expect(error("0x10\n") == .csvBadField(path: "d.csv", line: 1, column: 1, text: "0x10"))
        #expect(error("0x10\n")?.description.contains("hexadecimal") == true)
        // A real header still is one, and a header alone has no data rows.
        #expect((try? CSVFile.decode("a,b\n1,2\n", path: "d.csv"))?.shape == [1, 2])
        #expect(error("a,b\n") == .csvEmpty(path: "d.csv"))
    }

    /// Old Mac files end lines with CR alone; Python's universal newlines (np.loadtxt) read them.
    @Test func carriageReturnLineEndsAreLines() throws {
        let t = try CSVFile.decode("1,2\r3,4\r", path: "r.csv")
        #expect(t.shape == [2, 2] && t.scalars == [1, 2, 3, 4])
        #expect(try CSVFile.decode("5\r", path: "r.csv").scalars == [5])
        #expect(try CSVFile.decode("1\r\n2\r\n", path: "r.csv").scalars == [1, 2])
    }

    // MARK: E4 — control characters from a file are shown escaped

    @Test func controlCharactersInACSVFieldOrAnNpyHeaderAreEscaped() throws {
        let csv = #expect(throws: DataFileError.self) { try CSVFile.decode("1,2\n3,x\u{1B}]0;pwned\u{07}\u{1B}[2J\n", path: "c.csv") }
        let shown = csv?.description ?? ""
        #expect(shown.contains("'x\\e]0;pwned\\x07\\e[2J'"), "\(shown)")
        #expect(!shown.unicodeScalars.contains(where: ControlCharacters.isControl))

        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), '\u{1B}[2J': 1, }"
        header += String(repeating: " ", count: 117 - header.utf8.count) + "\n"
        let bytes = NpyFile.magic + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + [0, 0, 0, 0]
        let npy = #expect(throws: DataFileError.self) { try NpyFile.decode(bytes, path: "h.npy") }
        #expect(npy?.description == "h.npy is not a valid file: the header has an unexpected key '\\e[2J'")
        #expect(ControlCharacters.escaped("a\u{9B}b\u{7F}\tc") == "a\\u{9b}b\\x7f\\tc")
    }

    // MARK: M6 — a layer's parameters and statistics together are under the element cap

    @Test func aLayerBeyondTheElementCapIsRefusedBeforeAllocating() {
        let channels = TensorLimits.maxElements / 4 + 1
        #expect(throws: TensorError.layerTooLarge(shape: [channels], values: 4 * channels, limit: TensorLimits.maxElements)) {
            try BatchNorm(numFeatures: channels)
        }
        // LayerNorm keeps only γ and β.
        let wide = TensorLimits.maxElements / 2 + 1
        #expect(throws: TensorError.layerTooLarge(shape: [wide], values: 2 * wide, limit: TensorLimits.maxElements)) {
            try LayerNorm(normalizedShape: [wide])
        }
    }

    @Test func anEmptyShapeBeyondTheCapSaysItIsEmpty() {
        let message = TensorError.tooLarge(shape: [0, 300_000_000], limit: 1 << 28).description
        #expect(message.hasPrefix("a tensor of shape (0, 300000000) has no elements, but its other axes multiply to "
            + "more than the limit of 268435456 elements"), "\(message)")
    }

    // MARK: Confinement — load and save stay in one folder

    @Test func pathsAreJudgedByWhereTheyLead() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let root = "\(scratch)/root"
        try #require(mkdir(root, 0o755) == 0 && mkdir("\(root)/sub", 0o755) == 0)
        defer { rmdir("\(root)/sub"); rmdir(root) }
        try #require(symlink("/etc/hostname", "\(root)/out.csv") == 0)
        try #require(symlink("../../elsewhere.npy", "\(root)/sub/dangling.npy") == 0)
        try #require(symlink("sub", "\(root)/inner") == 0)
        defer { for link in ["out.csv", "sub/dangling.npy", "inner"] { unlink("\(root)/\(link)") } }
        for inside in ["a.npy", "sub/a.npy", "sub/../a.npy", "inner/a.npy", "./sub/new.csv", "\(root)/a.npy", "missing/x.npy"] {
            #expect(throws: Never.self, "\(inside)") { try FolderConfinement.check(inside.hasPrefix("/") ? inside : "\(root)/\(inside)", inside: root) }
        }
        for outside in ["../a.npy", "sub/../../a.npy", "out.csv", "sub/dangling.npy", "/etc/passwd.csv", "missing/../../x.npy"] {
            let path = outside.hasPrefix("/") ? outside : "\(root)/\(outside)"
            let error = #expect(throws: DataFileError.self, "\(outside)") { try FolderConfinement.check(path, inside: root) }
            guard case .outsideFolder(_, let folder) = error else { continue }
            #expect(folder == FolderConfinement.resolve(root))
        }
    }
}
