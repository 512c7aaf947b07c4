/// The one entry point the shell uses to load and save tensors: it picks the format from the
/// file name's extension (`.npy` or `.csv`, any letter case) so commands need no format flag.
public enum DataFile {
    /// The formats bnlab knows, keyed by a file name's extension.
    enum Format {
        case npy, csv

        init(path: String) throws(DataFileError) {
            let name = AtomicFile.split(path).name
            let bytes = Array(name.utf8)
            // A dot at the start marks a hidden file ("~/.npy"), not an extension.
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 else {
                throw .unsupportedExtension(path: path)
            }
            switch String(decoding: bytes[(dot + 1)...], as: UTF8.self).lowercased() {
            case "npy": self = .npy
            case "csv": self = .csv
            default: throw .unsupportedExtension(path: path)
            }
        }
    }

    public static func load(path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) -> Tensor {
        try read(path: path, shouldStop: shouldStop).tensor
    }

    /// The tensor and what reading it involved (a 0-d `.npy`, float64 rounded to float32).
    public static func read(path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) -> LoadedData {
        switch try Format(path: path) {
        case .npy: return try NpyFile.readData(path: path, shouldStop: shouldStop)
        case .csv: return LoadedData(tensor: try CSVFile.read(path: path, shouldStop: shouldStop), isScalar: false, narrowing: nil)
        }
    }

    /// Saves atomically: on any error the file at `path`, if there was one, is left unchanged.
    /// `shouldStop` (Ctrl-C) is polled between chunks; when it returns true nothing is saved.
    public static func save(_ t: Tensor, to path: String, shouldStop: () -> Bool = { false }) throws(DataFileError) {
        switch try Format(path: path) {
        case .npy: try NpyFile.write(t, to: path, shouldStop: shouldStop)
        case .csv: try CSVFile.write(t, to: path, shouldStop: shouldStop)
        }
    }
}
