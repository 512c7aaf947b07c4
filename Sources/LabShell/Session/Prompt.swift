/// The prompts the interactive shell shows, here so that a lesson's echo of its statements
/// (`StatementEcho`) looks exactly like what a learner types at the prompt.
public enum Prompt {
    /// Before a new statement.
    public static let primary = "bnlab> "
    /// Before each further line of a statement whose bracket or brace is still open.
    public static let continuation = "  ...> "
}
