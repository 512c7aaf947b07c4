/// Reads and writes NumPy's `.npy` format, so tensors move between bnlab and a Python session
/// (`np.save` / `np.load`) without loss.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0 with little-endian float32 (`'<f4'`) or
/// float64 (`'<f8'`) data in C order; float64 is rounded to float32 exactly as
/// `a.astype(np.float32)` rounds it. Writing produces version 1.0 float32 files whose bytes are
/// identical to what `np.save` writes for the same float32 array.
///
/// A file is never trusted: every length is checked against the bytes actually present, sizes
/// are multiplied with overflow checks, and the declared shape is checked against the tensor
/// element cap before anything is allocated, so no byte sequence can crash bnlab.
public enum NpyFile {
    /// Headers longer than this are refused (NumPy itself refuses more than 10,000 characters
    /// unless told to trust the file).
    public static let maxHeaderBytes = 1 << 16
    /// The largest `.npy` file bnlab reads: 4 GiB, further lowered by the tensor element cap.
    public static let maxFileBytes = 1 << 32

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The byte limit for one read: a file bigger than the largest header plus the largest
    /// allowed float64 payload cannot be valid, so it is refused before it is read.
    static var readLimit: Int {
        let (payload, overflow) = TensorLimits.maxElements.multipliedReportingOverflow(by: 8)
        guard !overflow else { return maxFileBytes }
        return min(maxFileBytes, 12 + maxHeaderBytes + payload)
    }

    public static func read(path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) -> Tensor {
        try readData(path: path, shouldStop: shouldStop).tensor
    }

    /// The tensor with what reading it involved: a 0-d array, a float64 file rounded to float32.
    public static func readData(path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) -> LoadedData {
        try NpyReader.read(path: path, limit: readLimit, shouldStop: shouldStop)
    }

    public static func write(_ t: Tensor, to path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) {
        #if _endian(little)
        // A little-endian float32 buffer already is the file's body: it is written as it lies.
        let result = t.scalars.withUnsafeBytes { raw in
            Result { () throws(DataFileError) in
                try AtomicFile.write(header: header(for: t), body: raw, to: path, shouldStop: shouldStop)
            }
        }
        try result.get()
        #else
        try AtomicFile.write(encode(t), to: path, shouldStop: shouldStop)
        #endif
    }

    /// Where the array data starts and how it is laid out, read from a file's preamble and header.
    struct Layout {
        var shape: [Int]
        var count: Int
        var itemSize: Int
        var dataStart: Int
        /// The header's shape was () (a NumPy scalar); `shape` is then [1].
        var isScalar = false
        var dataBytes: Int { count * itemSize }
        var fileBytes: Int { dataStart + dataBytes }
    }

    /// Parses a complete `.npy` file; `path` is used only in error messages.
    public static func decode(_ bytes: [UInt8], path: String) throws(DataFileError) -> Tensor {
        let layout = try layout(path: path) { _ in bytes }
        let available = bytes.count - layout.dataStart
        if available < layout.dataBytes {
            throw .truncated(path: path, expectedBytes: layout.fileBytes, gotBytes: bytes.count)
        }
        if available > layout.dataBytes {
            throw .trailingData(path: path, extraBytes: available - layout.dataBytes)
        }
        return Tensor(uncheckedShape: layout.shape,
                      scalars: scalars(bytes, from: layout.dataStart, count: layout.count, itemSize: layout.itemSize))
    }

    /// Checks the preamble and header, in file order, so a file that is not `.npy` at all is
    /// refused at its first byte. `prefix(n)` returns the file's first `n` bytes, or all of a
    /// file shorter than that (it may return more).
    static func layout(path: String, prefix: (Int) throws(DataFileError) -> [UInt8]) throws(DataFileError) -> Layout {
        var bytes = try prefix(magic.count)
        guard !bytes.isEmpty else { throw .malformed(path: path, detail: "the file is empty") }
        let prefix6 = min(bytes.count, magic.count)
        guard bytes[..<prefix6].elementsEqual(magic[..<prefix6]) else {
            let shown = bytes.prefix(6).map { byte in
                (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + hex(byte)
            }.joined()
            throw .malformed(path: path, detail: "it does not start with the .npy signature "
                + "\\x93NUMPY (it starts with '\(shown)'); was it written by np.save?")
        }
        bytes = try prefix(8)
        guard bytes.count >= 8 else { throw .truncated(path: path, expectedBytes: 10, gotBytes: bytes.count) }

        let major = bytes[6], minor = bytes[7]
        let lengthFieldSize: Int
        switch (major, minor) {
        case (1, 0): lengthFieldSize = 2
        case (2, 0), (3, 0): lengthFieldSize = 4
        default: throw .unsupportedVersion(path: path, major: major, minor: minor)
        }
        let headerStart = 8 + lengthFieldSize
        bytes = try prefix(headerStart)
        guard bytes.count >= headerStart else {
            throw .truncated(path: path, expectedBytes: headerStart, gotBytes: bytes.count)
        }
        var headerLength = 0
        for i in (0..<lengthFieldSize).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        guard headerLength <= maxHeaderBytes else {
            throw .malformed(path: path, detail: "the header length at byte 8 is \(headerLength) bytes, "
                + "more than the \(maxHeaderBytes) bnlab accepts")
        }
        let dataStart = headerStart + headerLength
        bytes = try prefix(dataStart)
        guard bytes.count >= dataStart else {
            throw .truncated(path: path, expectedBytes: dataStart, gotBytes: bytes.count)
        }
        if major == 3 {
            // Version 3 exists only to allow UTF-8 in the header; versions 1 and 2 are Latin-1,
            // where every byte sequence is valid.
            guard String(validating: bytes[headerStart..<dataStart], as: UTF8.self) != nil else {
                throw .malformed(path: path, detail: "the version 3.0 header (bytes \(headerStart)"
                    + "..<\(dataStart)) is not valid UTF-8")
            }
        }

        let header = try NpyHeader(bytes: bytes, range: headerStart..<dataStart, path: path)
        let itemSize: Int
        switch header.descr {
        case "<f4": itemSize = 4
        case "<f8": itemSize = 8
        default: throw .unsupportedDType(path: path, descr: header.descr)
        }
        // A NumPy scalar (shape ()) holds one value; bnlab's smallest tensor is a 1-element vector.
        let shape = header.shape.isEmpty ? [1] : header.shape
        // Column-major data reads correctly as row-major when at most one axis is longer than 1.
        if header.fortranOrder && shape.filter({ $0 > 1 }).count > 1 {
            throw .fortranOrder(path: path)
        }
        let count: Int
        do { count = try Tensor.checkedElementCount(shape) } catch { throw .tensor(path: path, error) }
        let (dataBytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow, !dataStart.addingReportingOverflow(dataBytes).overflow else {
            throw .tensor(path: path, .tooLarge(shape: shape, limit: TensorLimits.maxElements))
        }
        return Layout(shape: shape, count: count, itemSize: itemSize, dataStart: dataStart, isScalar: header.shape.isEmpty)
    }

    /// The preamble and padded header `np.save` writes for a float32 array of `t`'s shape.
    static func header(for t: Tensor) -> [UInt8] {
        let shape = t.shape.count == 1
            ? "(\(t.shape[0]),)"
            : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        // NumPy leaves room for axis 0 to grow to 21 digits so files can be appended to in place;
        // matching it keeps our files byte-identical to np.save's.
        if let first = t.shape.first {
            header += String(repeating: " ", count: max(0, 21 - String(first).utf8.count))
        }
        // Pad with spaces and a final newline so the data starts at a multiple of 64 bytes;
        // NumPy adds a full 64 when the header already ends on the boundary.
        let unpadded = header.utf8.count + 1
        let padding = 64 - (magic.count + 2 + 2 + unpadded) % 64
        let headerLength = unpadded + padding

        var bytes = magic + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
        bytes += header.utf8
        bytes += repeatElement(UInt8(ascii: " "), count: padding)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// A version 1.0 `.npy` file holding `t` as little-endian float32 in C order.
    public static func encode(_ t: Tensor) -> [UInt8] {
        var bytes = header(for: t)
        bytes.reserveCapacity(bytes.count + 4 * t.count)
        #if _endian(little)
        t.scalars.withUnsafeBytes { bytes += $0 }
        #else
        for value in t.scalars {
            let bits = value.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
        }
        #endif
        return bytes
    }

    /// Converts the payload; the caller has checked that `count * itemSize` bytes are present.
    private static func scalars(_ bytes: [UInt8], from start: Int, count: Int, itemSize: Int) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                if itemSize == 4 {
                    for i in 0..<count {
                        let bits = raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)
                        out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                    }
                } else {
                    for i in 0..<count {
                        let bits = raw.loadUnaligned(fromByteOffset: start + 8 * i, as: UInt64.self)
                        // Round to nearest, ties to even, overflow to ±inf: what astype(np.float32) does.
                        out[i] = Float(Double(bitPattern: UInt64(littleEndian: bits)))
                    }
                }
            }
        }
        return values
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
