/// The topic a command belongs to: `help` lists the commands under these headings, in this order.
/// Each section of the command table names its topic once (`CommandTable.all`), so a command can
/// never be missing from help or listed twice.
public enum CommandTopic: CaseIterable, Sendable {
    case tensors, statistics, layers, stepping, training, files, lessons, session

    /// The heading in `help` and `help all`.
    var title: String {
        switch self {
        case .tensors: "tensors"
        case .statistics: "statistics & plots"
        case .layers: "norm layers"
        case .stepping: "stepping & tracking"
        case .training: "training & experiments"
        case .files: "files"
        case .lessons: "lessons"
        case .session: "session"
        }
    }
}
