/// The text of `help`, `help all` and `help NAME`, generated from the command table and wrapped
/// at word boundaries to the console's width.
enum Help {
    static func text(for name: String, in interpreter: Interpreter, at location: SourcePosition,
                     width: Int = 80) throws(LabError) -> String {
        if name.isEmpty { return overview(interpreter.commandList, width: width) }
        if let command = interpreter.commands[name] { return details(command, width: width) }
        // Before prefixes: no command starts with "all", and a variable called all is still `all`'s.
        if name == "all" { return everything(interpreter.commandList, width: width) }
        if case .function(let function)? = interpreter.variables[name] { return Self.function(function, width: width) }
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
        case .def: "def NAME(x, y, opt: 1) { … }: defines a function; NAME(a, b) or NAME(a, b, opt: 2) calls it. "
            + "Positional parameters come first, then labelled ones with a default (a number, string, true/false or "
            + "none). Names assigned inside are local to the call; names it does not assign are read from the "
            + "session. Calls nest at most \(LanguageLimits.maxCallDepth) deep. return a, b gives a list, and a, b = f(x) "
            + "unpacks it. Example: def double(x) { return 2 * x }"
        case .if, .else: "if CONDITION { … } else { … }: runs the first block when CONDITION is true (or a number other "
            + "than 0), else the second; else if chains another test. else goes on the line of the closing brace. "
            + "Example: if x.ndim == 4 { axes = [0, 2, 3] } else { axes = 0 }"
        case .return: "return VALUE: ends the function's call with VALUE; return alone gives none, return a, b "
            + "gives a list of both (r[0], r[1]). A function that ends without return gives none. "
            + "Example: def moments(x) { return mean(x), var(x) }"
        }
        return TextWrap.wrap(text, width: width).joined(separator: "\n")
    }

    /// `help NAME` for a user function: its signature and where it was defined.
    static func function(_ function: UserFunction, width: Int) -> String {
        var lines = TextWrap.signature(function.signature, width: width)
        lines += TextWrap.wrap("a function defined at \(function.file):\(function.definedAt) (help def)",
                               width: width, first: "  ", rest: "  ")
        return lines.joined(separator: "\n")
    }

    static let hint = "help NAME for one command · help all for every command with its usage"

    /// `help`: the commands under their topics, one line each, cut to the width; then the language.
    static func overview(_ commands: [CommandSpec], width: Int) -> String {
        let nameWidth = commands.map(\.name.count).max() ?? 0
        var lines: [String] = []
        for (topic, members) in byTopic(commands) {
            lines.append(topic.title + ":")
            for command in members {
                let lead = "  " + command.name + String(repeating: " ", count: nameWidth - command.name.count) + "  "
                lines.append(lead + TextWrap.truncate(command.brief, width: max(10, width - lead.count)))
            }
        }
        lines += [""] + language(width: width) + [""] + TextWrap.wrap(hint, width: width)
        return lines.joined(separator: "\n")
    }

    /// `help all`: every command's signature and whole summary, under its topic.
    static func everything(_ commands: [CommandSpec], width: Int) -> String {
        var lines: [String] = []
        for (topic, members) in byTopic(commands) {
            if !lines.isEmpty { lines.append("") }
            lines.append(topic.title + ":")
            for command in members {
                lines += TextWrap.signature(command.usage, width: width, indent: "  ")
                lines += TextWrap.wrap(command.summary, width: width, first: "      ", rest: "      ")
            }
        }
        lines += [""] + language(width: width)
        return lines.joined(separator: "\n")
    }

    /// The commands grouped in the topics' order, each group in the table's order.
    static func byTopic(_ commands: [CommandSpec]) -> [(CommandTopic, [CommandSpec])] {
        CommandTopic.allCases.compactMap { topic in
            let members = commands.filter { $0.topic == topic }
            return members.isEmpty ? nil : (topic, members)
        }
    }

    static let languageRows = [
        ("x = randn(64, 8) * 3 + 5", "assign; + - * / work on numbers and tensors"),
        ("[[1, 2], [3, 4]]", "a tensor literal"),
        ("bn = batchnorm(8)", "a layer; y = bn(x) runs it in its mode"),
        ("bn.gamma = ones(8) * 2", "read and set fields with '.'"),
        ("repeat 100 { y = bn(x) }", "run a block many times (Ctrl-C stops it)"),
        ("def f(x) { return 2 * x }", "a function: f(3) calls it (help def)"),
        ("# comment", "';' or a new line separates statements"),
    ]

    /// The language in seven examples: side by side when they fit, else each above its meaning.
    static func language(width: Int) -> [String] {
        let codeWidth = languageRows.map(\.0.count).max() ?? 0
        let meaningWidth = languageRows.map(\.1.count).max() ?? 0
        let sideBySide = 2 + codeWidth + 5 + meaningWidth <= width
        var lines = ["language:"]
        for (code, meaning) in languageRows {
            if sideBySide {
                lines.append("  " + code + String(repeating: " ", count: codeWidth + 5 - code.count) + meaning)
            } else {
                lines.append("  " + code)
                lines += TextWrap.wrap(meaning, width: width, first: "      ", rest: "      ")
            }
        }
        return lines
    }

    /// `help NAME`: signature, summary, arguments, an example and the PyTorch line that does the
    /// same, each wrapped at word boundaries.
    static func details(_ command: CommandSpec, width: Int) -> String {
        var lines = TextWrap.signature(command.usage, width: width)
        lines += TextWrap.wrap(command.summary, width: width, first: "  ", rest: "  ")
        let parameters = command.positional + (command.variadic.map { [$0] } ?? []) + command.options
        if !parameters.isEmpty {
            let rows = parameters.map { p in
                ["    " + p.name, p.defaultText.map { "default \($0)" } ?? (p.isRequired ? "required" : "optional"), p.summary]
            }
            lines.append("  arguments:")
            let nameWidth = rows.map { $0[0].count }.max() ?? 0, defaultWidth = rows.map { $0[1].count }.max() ?? 0
            if nameWidth + 2 + defaultWidth + 2 + 20 <= width {
                lines.append(TextTable(rows: rows, alignNumbers: false).render(width: width))
            } else {
                // Too narrow for three columns: each parameter's name and default, its summary below.
                for row in rows {
                    lines.append(row[0] + "  " + row[1])
                    lines += TextWrap.wrap(row[2], width: width, first: "      ", rest: "      ")
                }
            }
        }
        // Continuation lines only four in, so a quoted string in the example fits whole even at 40 columns.
        lines += TextWrap.wrap(command.example, width: width, first: "  example: ", rest: "    ")
        if let pytorch = command.pytorch {
            lines += TextWrap.wrap(pytorch, width: width, first: "  PyTorch: ", rest: "    ")
        }
        return lines.joined(separator: "\n")
    }
}
