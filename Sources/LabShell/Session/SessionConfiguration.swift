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
}
