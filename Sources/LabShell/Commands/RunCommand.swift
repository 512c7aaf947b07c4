extension CommandTable {
    /// `run "file.bnl"`: sqlite3's `.read`, a script run in this session.
    static var runCommands: [CommandSpec] {
        [
            CommandSpec("run", "run a script file in this session, as if typed: its variables stay; its first error stops it "
                        + "with FILE:LINE:COL (Ctrl-C stops it too)",
                        brief: "run a script file in this session: run \"prep.bnl\"",
                        example: "run \"prep.bnl\"", positional: [RunCommand.path], commandForm: true) { call throws(LabError) in
                try RunCommand(call: call).run()
            },
        ]
    }
}

/// Runs a script file on the session's interpreter with a runner of its own, as a lesson runs:
/// the file's errors and warnings name the file and line, its first error stops it (the session
/// goes on), and a file that runs itself — directly or through others — is stopped at once.
/// A relative path is taken from the working folder, as sqlite3's `.read` takes it.
struct RunCommand {
    static let path = Param.string("path", "the script, a .bnl file of statements")

    let call: Invocation

    func run() throws(LabError) -> Value {
        let interpreter = call.interpreter
        let path = call[Self.path]
        let place = try call.sandboxed(path)
        let file: SourceFile
        do throws(SourceFile.Failure) { file = try SourceFile(path: place) } catch {
            throw LabError(.file, "cannot run \(path): \(error.reason)", at: call.locationOf(Self.path))
        }
        guard !interpreter.runningFiles.contains(file.canonicalPath) else {
            throw LabError(.value, "\(path) is already running (a file cannot run itself, directly or through another)",
                           at: call.location)
        }
        let runner = ScriptRunner(interpreter: interpreter, sourceName: path, stopsAtFirstError: true)
        runner.namesFileOnTerminal = true
        interpreter.runningFiles.append(file.canonicalPath)
        defer { interpreter.runningFiles.removeLast() }
        guard runner.run(file.bytes) else {
            // The runner has printed the file's error (or "interrupted"); the statement only fails.
            throw LabError(.reported, "\(path) stopped", at: call.location)
        }
        return .none
    }
}
