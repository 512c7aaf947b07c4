/// What the whole lab shares about itself: the version `bnlab --version`, the prompt's banner
/// and `bnlab bench --json` print.
public enum BatchNormLab {
    public static let version = "0.1.0"
}
