@testable import BatchNormKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for issue "Unbreakable, round two" (D1, D2, M5, E2, D6): each failed on the
/// code before the fix.
struct FileSafetyTests {
    private func contents(_ path: String) throws -> [UInt8] { try AtomicFile.readAll(path: path, limit: 1 << 26) }

    // MARK: D1 — a write-protected file is not replaced

    @Test func writeProtectedTargetIsRefused() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/ro.npy"
        try NpyFile.write(Tensor(vector: [1, 2]), to: target)
        try #require(chmod(target, 0o444) == 0)
        let before = try contents(target)
        let error = #expect(throws: DataFileError.self) { try DataFile.save(Tensor(vector: [3]), to: target) }
        #expect(error == .cannotWrite(path: target, reason: "the file is write-protected (mode 444); "
            + "make it writable (chmod u+w) or save under another name"))
        #expect(try contents(target) == before)
        #expect(IOTestFiles.listing(scratch) == ["ro.npy"])
    }

    // MARK: D2 — an interrupted save removes its temporary and keeps the old file

    @Test func interruptedSaveKeepsTheOldFileAndNoTemporary() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/k.npy"
        try NpyFile.write(Tensor(vector: [1, 2]), to: target)
        let before = try contents(target)
        let big = try Tensor(repeating: 0.5, shape: [3 * AtomicFile.chunkBytes / 4])
        var polls = 0
        let error = #expect(throws: DataFileError.self) {
            try DataFile.save(big, to: target, shouldStop: { polls += 1; return polls > 2 })
        }
        #expect(error == .interrupted(path: target, saving: true))
        #expect(error?.description == "interrupted: \(target) not saved (a file that was there is unchanged)")
        #expect(polls == 3)
        #expect(try contents(target) == before)
        #expect(IOTestFiles.listing(scratch) == ["k.npy"])
    }

    // MARK: M5 — bad files are refused before their bytes are read

    /// A device has no size to check, so it is refused before a byte is read (issue H2's rule).
    @Test func linkToDevZeroIsRefusedBeforeReading() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let link = "\(scratch)/zero.npy"
        try #require(symlink("/dev/zero", link) == 0)
        let error = #expect(throws: DataFileError.self) { try NpyFile.read(path: link) }
        guard case .cannotOpen(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.hasPrefix("it is a character device, not a regular file"), "\(reason)")
    }

    @Test func trailingGigabyteIsRefusedFromTheSize() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/tail.npy"
        try NpyFile.write(Tensor(vector: [1, 2, 3]), to: target)
        let size = try contents(target).count
        // A sparse gigabyte: reading it would take most of a second and a gigabyte of memory.
        try #require(truncate(target, off_t(size + (1 << 30))) == 0)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: DataFileError.trailingData(path: target, extraBytes: 1 << 30)) { try NpyFile.read(path: target) }
        #expect(clock.now - start < .milliseconds(100))
        try #require(truncate(target, off_t(size - 2)) == 0)
        #expect(throws: DataFileError.truncated(path: target, expectedBytes: size, gotBytes: size - 2)) {
            try NpyFile.read(path: target)
        }
    }

    @Test func float64ReadInChunksMatchesDecode() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        // Three and a bit 1 MiB chunks of float64, with values that round in float32.
        let count = 3 * 131_072 + 5
        var payload: [UInt8] = []
        payload.reserveCapacity(8 * count)
        for i in 0..<count {
            let bits = (Double(i) * 1.000000123 - 7e4).bitPattern.littleEndian
            withUnsafeBytes(of: bits) { payload += $0 }
        }
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(count),), }"
        header += String(repeating: " ", count: 117 - header.utf8.count) + "\n"
        let bytes = NpyFile.magic + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8) + payload
        let target = "\(scratch)/wide.npy"
        try AtomicFile.write(bytes, to: target)
        let fromFile = try NpyFile.read(path: target)
        #expect(fromFile == (try NpyFile.decode(bytes, path: target)))
        #expect(fromFile.scalars[count - 1] == Float(Double(count - 1) * 1.000000123 - 7e4))
    }

    // MARK: E2 — a long legal name gets a short temporary

    @Test func longFileNameCanBeSaved() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let name = String(repeating: "n", count: 240) + ".npy"
        #expect(name.utf8.count == 244)
        let t = Tensor(vector: [1, 2, 3])
        try DataFile.save(t, to: "\(scratch)/\(name)")
        #expect(try DataFile.load(path: "\(scratch)/\(name)") == t)
        #expect(IOTestFiles.listing(scratch) == [name])
    }

    // MARK: D6 — saving over a symbolic link writes through to its target

    @Test func saveThroughASymlinkReplacesItsTarget() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        try #require(mkdir("\(scratch)/data", 0o755) == 0)
        defer { rmdir("\(scratch)/data") }
        try NpyFile.write(Tensor(vector: [1]), to: "\(scratch)/data/real.npy")
        defer { unlink("\(scratch)/data/real.npy") }
        try #require(symlink("data/real.npy", "\(scratch)/link.npy") == 0)
        let t = Tensor(vector: [4, 5])
        try DataFile.save(t, to: "\(scratch)/link.npy")
        var info = stat()
        try #require(lstat("\(scratch)/link.npy", &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFLNK)
        #expect(try NpyFile.read(path: "\(scratch)/data/real.npy") == t)
        #expect(IOTestFiles.listing("\(scratch)/data") == ["real.npy"])
        // A dangling link creates its target.
        try #require(symlink("data/new.npy", "\(scratch)/dangling.npy") == 0)
        try DataFile.save(t, to: "\(scratch)/dangling.npy")
        defer { unlink("\(scratch)/data/new.npy") }
        #expect(try NpyFile.read(path: "\(scratch)/data/new.npy") == t)
    }

    // MARK: H3 — Ctrl-C during a large CSV load

    @Test func interruptedCSVLoadStopsBetweenChunks() throws {
        let scratch = try IOTestFiles.makeScratch()
        defer { IOTestFiles.removeScratch(scratch) }
        let target = "\(scratch)/big.csv"
        try AtomicFile.write(Array(String(repeating: "1,2,3\n", count: 20_000).utf8), to: target)
        var polls = 0
        #expect(throws: DataFileError.interrupted(path: target, saving: false)) {
            try DataFile.load(path: target, shouldStop: { polls += 1; return polls == 2 })
        }
        #expect(polls == 2)
        #expect(DataFileError.interrupted(path: target, saving: false).description == "interrupted: \(target) not loaded")
        #expect(try DataFile.load(path: target).shape == [20_000, 3])
    }
}
