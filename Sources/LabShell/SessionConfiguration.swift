import Synchronization

/// Where a session finds what bnlab ships: the data sets (`digits()`) and the course (`lessons`).
/// The executable decides — the environment, the folder beside the binary, or the checkout it was
/// built in — and hands it to the `Interpreter`; LabShell never goes looking for folders itself.
public struct SessionConfiguration: Sendable, Equatable {
    /// The folder that holds `digits/digits.csv`.
    public var dataFolder: String
    /// The folder that holds the course's `NN-name.bnl` files.
    public var lessonsFolder: String

    /// Without arguments: `data` and `lessons` in the working directory.
    public init(dataFolder: String = "data", lessonsFolder: String = "lessons") {
        self.dataFolder = dataFolder
        self.lessonsFolder = lessonsFolder
    }

    /// A file of the shipped data, `relative` to the data folder.
    public func dataFile(_ relative: String) -> String {
        (dataFolder.hasSuffix("/") ? dataFolder : dataFolder + "/") + relative
    }

    // MARK: - The program's configuration

    /// The running program's configuration, for code that has no session at hand (the benchmark
    /// suite and `bnlab bench`). The executable sets it once at start; sessions get theirs
    /// through `Interpreter.init(console:configuration:)`.
    public static var process: SessionConfiguration {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    private static let current = Mutex(SessionConfiguration())
}

/// The shipped data for code with no session at hand: the benchmark's digits epoch.
/// Commands read `interpreter.configuration` instead.
enum DataFolder {
    static func path(_ relative: String) -> String { SessionConfiguration.process.dataFile(relative) }
}
