import BatchNormKit

extension CommandTable {
    /// Help, the variable list, and leaving.
    static var sessionCommands: [CommandSpec] {
        [
            CommandSpec("help", "list every command, or explain one: help batchnorm",
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

/// The text of `help` and `help NAME`, generated from the command table.
enum Help {
    static func text(for name: String, in interpreter: Interpreter, at location: SourcePosition,
                     width: Int = 80) throws(LabError) -> String {
        if name.isEmpty { return overview(interpreter, width: width) }
        if let command = interpreter.commands[name] { return details(command, width: width) }
        let prefixed = interpreter.commandList.filter { $0.name.hasPrefix(name) }
        if prefixed.count == 1 { return details(prefixed[0], width: width) }
        if prefixed.count > 1 {
            return "'\(name)' could be: " + prefixed.map(\.name).joined(separator: ", ")
        }
        if let keyword = Token.Keyword(rawValue: name) { return Self.keyword(keyword, width: width) }
        if let value = interpreter.variables[name] {
            let fields = Fields.names(of: value)
            return "\(name) is \(value.typeName)" + (fields.isEmpty ? "" : "; fields: " + fields.joined(separator: ", "))
        }
        throw LabError(.name, Suggestions.message("no command named '\(name)'", closestTo: name, in: interpreter.commandNames,
                                                  then: "type help for the list"), at: location)
    }

    /// The words of the language that are not commands.
    static func keyword(_ keyword: Token.Keyword, width: Int) -> String {
        let text: String = switch keyword {
        case .repeat: "repeat N { … }: runs the statements between the braces N times (a whole number from 0 to "
            + "\(LanguageLimits.maxRepeatCount)); Ctrl-C stops it between turns. Example: repeat 100 { bn(randn(32, 4)) }"
        case .none: "none: no value — what a statement with nothing to show returns, and an option's \"not given\" "
            + "(momentum: none is PyTorch's cumulative average)"
        case .true, .false: "true and false: the two truth values, from comparisons (a < b) and for options such as "
            + "affine: false"
        }
        return Narration.wrapProse(text, width: width)
    }

    static func overview(_ interpreter: Interpreter, width: Int) -> String {
        let table = TextTable(rows: interpreter.commandList.map { ["  " + $0.name, $0.summary] }, alignNumbers: false)
        return """
        Commands (help NAME for details and an example):
        \(table.render(width: width))

        Language:
          x = randn(64, 8) * 3 + 5     assign; + - * / work on numbers and tensors
          [[1, 2], [3, 4]]             a tensor literal
          bn = batchnorm(8)            a layer; y = bn(x) runs it in its mode
          bn.gamma = ones(8) * 2       read and set fields with '.'
          repeat 100 { y = bn(x) }     run a block many times (Ctrl-C stops it)
          # comment                    ';' or a new line separates statements
        """
    }

    static func details(_ command: CommandSpec, width: Int) -> String {
        var lines = [command.usage, TextTable(rows: [["", command.summary]], alignNumbers: false).render(width: width)]
        let parameters = command.positional + (command.variadic.map { [$0] } ?? []) + command.options
        if !parameters.isEmpty {
            let table = TextTable(rows: parameters.map { p in
                ["    " + p.name, p.defaultText.map { "default \($0)" } ?? (p.isRequired ? "required" : "optional"), p.summary]
            }, alignNumbers: false)
            lines.append("  arguments:")
            lines.append(table.render(width: width))
        }
        lines.append("  example: \(command.example)")
        return lines.joined(separator: "\n")
    }
}
