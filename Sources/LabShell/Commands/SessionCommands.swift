import BatchNormKit

extension CommandTable {
    /// Help, the variable list, and leaving.
    static var sessionCommands: [CommandSpec] {
        [
            CommandSpec("help", "list the commands by topic, or explain one: help batchnorm (help all: every usage)",
                        brief: "list the commands, or explain one: help batchnorm",
                        example: "help batchnorm", positional: [Self.helpName],
                        commandForm: true) { call throws(LabError) in
                let text = try Help.text(for: call[Self.helpName] ?? "", in: call.interpreter, at: call.locationOf(Self.helpName),
                                         width: call.interpreter.console.width)
                call.interpreter.console.print(text)
                return .none
            },
            CommandSpec("vars", "list the variables of this session with their kinds and shapes",
                        example: "vars", commandForm: true) { call throws(LabError) in
                let interpreter = call.interpreter
                let names = interpreter.variableNames
                guard !names.isEmpty else {
                    interpreter.console.print("no variables yet: try x = randn(64, 8)")
                    return .none
                }
                let table = TextTable(rows: names.map { [$0, interpreter.formatter.brief(interpreter.variables[$0] ?? .none)] },
                                      alignNumbers: false)
                interpreter.console.print(table.render())
                return .none
            },
            CommandSpec("history", "the last N entries typed at the prompt in this session, numbered, a statement typed "
                        + "over several lines as one (a pipe or a file has none)",
                        brief: "the last N entries typed at the prompt: history 5",
                        example: "history 5", positional: [HistoryCommand.count], commandForm: true) { call throws(LabError) in
                try HistoryCommand.show(call)
            },
            CommandSpec("exit", "end the session (Ctrl-D does the same at the prompt)", example: "exit") { call throws(LabError) in
                call.interpreter.exitRequested = true
                return .none
            },
            CommandSpec("quit", "end the session, like exit", example: "quit") { call throws(LabError) in
                call.interpreter.exitRequested = true
                return .none
            },
        ]
    }
}

extension CommandTable {
    static let helpName = Param<String?>.word("name", "a command (a unique prefix is enough) or a variable")
}
