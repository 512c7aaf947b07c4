#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a `.npy` file from disk in the order that lets a bad file be refused cheaply: the
/// signature first (a file of zeros fails at byte 0), then the header, then the size `stat`
/// reports against the size the header calls for (a truncated file or a gigabyte of trailing
/// bytes fails before the body is read), and only then the body.
///
/// A float32 body is read straight into the tensor's storage, so a load's peak memory is about
/// one file; a float64 body is converted in 1 MiB chunks, noting the largest change rounding
/// made. Pipes and devices, whose size is not known up front, are refused (`ReadableFile`).
enum NpyReader {
    /// One read call's size; `shouldStop` is polled between them.
    static let chunkBytes = 8 << 20

    static func read(path: String, limit: Int, shouldStop: () -> Bool) throws(DataFileError) -> LoadedData {
        var file = try InputFile(path: path, limit: limit)
        defer { file.close() }
        var prefix: [UInt8] = []
        let layout = try NpyFile.layout(path: path) { (wanted: Int) throws(DataFileError) -> [UInt8] in
            if prefix.count < wanted { try file.append(to: &prefix, upTo: wanted) }
            return prefix
        }
        let expected = layout.fileBytes
        file.expectedBytes = expected
        if file.size < expected { throw .truncated(path: path, expectedBytes: expected, gotBytes: file.size) }
        if file.size > expected { throw .trailingData(path: path, extraBytes: file.size - expected) }

        var values = [Float]()
        var narrowing: Float64Narrowing.Tally?
        if layout.itemSize == 4 {
            var failure: DataFileError?
            values = [Float](unsafeUninitializedCapacity: layout.count) { buffer, initialized in
                do throws(DataFileError) {
                    adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                    try file.fill(UnsafeMutableRawBufferPointer(buffer), shouldStop: shouldStop)
                    initialized = layout.count
                } catch {
                    failure = error
                    initialized = 0
                }
            }
            if let failure { throw failure }
            #if _endian(big)
            values.withUnsafeMutableBufferPointer { out in
                for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
            }
            #endif
        } else {
            values = [Float](repeating: 0, count: layout.count)
            let perChunk = (1 << 20) / 8
            var chunk = [UInt64](repeating: 0, count: perChunk)
            var done = 0
            var tally = Float64Narrowing.Tally()
            while done < layout.count {
                let n = min(perChunk, layout.count - done)
                try chunk.withMutableBytes { (raw: UnsafeMutableRawBufferPointer) throws(DataFileError) in
                    try file.fill(UnsafeMutableRawBufferPointer(rebasing: raw[..<(8 * n)]), shouldStop: shouldStop)
                }
                values.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        // Round to nearest, ties to even, overflow to ±inf: what astype(np.float32) does.
                        let original = Double(bitPattern: UInt64(littleEndian: chunk[i]))
                        out[done + i] = Float(original)
                        tally.add(original, out[done + i], at: done + i)
                    }
                }
                done += n
            }
            narrowing = tally
        }
        try file.expectEnd(after: expected)
        return LoadedData(tensor: Tensor(uncheckedShape: layout.shape, scalars: values), isScalar: layout.isScalar,
                          narrowing: narrowing?.result(shape: layout.shape))
    }
}

/// An open file being read from the start, with the errors `load` reports.
private struct InputFile {
    let path: String
    let limit: Int
    let fd: Int32
    /// The size `stat` reported (only regular files are read).
    let size: Int
    /// Bytes consumed so far.
    private(set) var offset = 0
    /// The file size the header calls for, once it is known (for `truncated`).
    var expectedBytes = 0

    init(path: String, limit: Int) throws(DataFileError) {
        let file = try ReadableFile(path: path, limit: limit)
        self.path = path
        self.limit = limit
        fd = file.fd
        size = file.size
    }

    func close() { _ = posixClose(fd) }

    /// Reads until `buffer` holds `wanted` bytes or the file ends.
    mutating func append(to buffer: inout [UInt8], upTo wanted: Int) throws(DataFileError) {
        let start = buffer.count
        buffer += repeatElement(0, count: wanted - start)
        let got = try buffer.withMutableBytes { (raw: UnsafeMutableRawBufferPointer) throws(DataFileError) -> Int in
            try readSome(UnsafeMutableRawBufferPointer(rebasing: raw[start...]), shouldStop: { false })
        }
        buffer.removeLast(wanted - start - got)
    }

    /// Fills `buffer` completely; a file that ends first is `truncated` at the size it has.
    mutating func fill(_ buffer: UnsafeMutableRawBufferPointer, shouldStop: () -> Bool) throws(DataFileError) {
        let got = try readSome(buffer, shouldStop: shouldStop)
        if got < buffer.count {
            // A pipe ended early, or the file shrank after `stat`.
            throw .truncated(path: path, expectedBytes: expectedBytes, gotBytes: offset)
        }
    }

    /// After the body: a pipe may still hold bytes (counted up to the limit), and a regular file
    /// may have grown since `stat`.
    mutating func expectEnd(after expected: Int) throws(DataFileError) {
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var extra = 0
        while true {
            let got = try scratch.withMutableBytes { (raw: UnsafeMutableRawBufferPointer) throws(DataFileError) in
                try readSome(raw, shouldStop: { false })
            }
            if got == 0 { break }
            extra += got
            if offset > limit { throw .tooLarge(path: path, bytes: offset, limit: limit) }
        }
        if extra > 0 { throw .trailingData(path: path, extraBytes: extra) }
    }

    /// Reads into `buffer` in chunks until it is full or the file ends; returns the bytes read.
    private mutating func readSome(_ buffer: UnsafeMutableRawBufferPointer, shouldStop: () -> Bool) throws(DataFileError) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var filled = 0
        while filled < buffer.count {
            if shouldStop() { throw .interrupted(path: path, saving: false) }
            let got = posixRead(fd, base + filled, min(NpyReader.chunkBytes, buffer.count - filled))
            if got == 0 { break }
            if got < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EISDIR { throw .isDirectory(path: path) }
                throw .cannotRead(path: path, reason: AtomicFile.describe(errno: code))
            }
            filled += got
            offset += got
            guard offset <= limit else { throw .tooLarge(path: path, bytes: offset, limit: limit) }
        }
        return filled
    }
}

/// The C calls, under names `InputFile`'s own `close` does not shadow.
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }

fileprivate extension Array {
    /// `withUnsafeMutableBytes` for a body with typed throws.
    mutating func withMutableBytes<R>(
        _ body: (UnsafeMutableRawBufferPointer) throws(DataFileError) -> R
    ) throws(DataFileError) -> R {
        try withUnsafeMutableBytes { raw in Result { () throws(DataFileError) in try body(raw) } }.get()
    }
}

/// Asks Linux to back a large fresh buffer with 2 MiB pages, as NumPy does for its arrays: with
/// transparent huge pages in `madvise` mode, filling 256 MiB otherwise takes 65,536 page faults,
/// which measured as half of a load's time. Only whole pages inside the buffer are advised.
private func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
    guard let base = buffer.baseAddress, buffer.count >= 4 << 20 else { return }
    let page = 4096
    let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
    let end = (Int(bitPattern: base) + buffer.count) & ~(page - 1)
    guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    #endif
}
