/// Tab completion candidates from the same tables that drive the language: command names,
/// keywords and variables, a value's fields after a dot (`bn.run` → running_mean, running_var),
/// a command's option labels inside its parentheses (`hist(x, bi` → bins:), and the words a
/// parameter takes (`mlp([2, 3], norm: "ba` → batch). A function written with def completes its
/// labelled parameters as a command does (`bn_forward(x, g, b, e` → eps:).
public struct Completer {
    let interpreter: Interpreter

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    /// Candidates for the word `prefix` that starts at UTF-8 offset `wordStart` of `line`.
    /// Inside an open string (`norm: "ba`), `wordStart` is just after the quote, as readline gives it.
    public func candidates(line: String, wordStart: Int, prefix: String) -> [String] {
        let before = String(decoding: line.utf8.prefix(wordStart), as: UTF8.self)
        if before.hasSuffix(".") {
            guard let value = object(before: before.dropLast()) else { return [] }
            return Fields.names(of: value).filter { $0.hasPrefix(prefix) }.sorted()
        }
        let site = ArgumentSite(before, commands: interpreter.commands, functionLabels: { name in
            guard case .function(let function) = interpreter.lookup(name) else { return nil }
            return function.labelled.map(\.name)
        })
        if before.hasSuffix("\"") {
            // Inside a string: only a parameter's words make sense (readline closes the quote).
            return (site?.parameter?.choices ?? []).filter { $0.hasPrefix(prefix) }
        }
        if let site, let parameter = site.parameter, !parameter.choices.isEmpty {
            // In command form a word is bare (`experiment bn`); elsewhere it is a string, offered quoted.
            let words = parameter.choices.filter { $0.hasPrefix(prefix) }
            return site.commandForm ? words : words.map { "\"\($0)\"" }
        }
        var words = interpreter.commandNames + interpreter.variableNames + Token.Keyword.allCases.map(\.rawValue)
        if let site, site.atArgumentStart, !site.commandForm {
            words += site.labels.filter { !site.labelsGiven.contains($0) }.map { $0 + ":" }
        }
        return Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }
}

extension Completer {
    /// The value before a dot: a variable (`bn.`), or a path of fields and indices into one
    /// (`net.blocks[0].norm.`). The path holds no parentheses, so evaluating it calls nothing and
    /// changes nothing; anything that does not evaluate offers no fields.
    func object(before text: Substring) -> Value? {
        let path = String(text.unicodeScalars.reversed()
            .prefix { Lexer.startsName($0) || ("0"..."9").contains($0) || ".[]".unicodeScalars.contains($0) }
            .reversed().map(Character.init))
        if let value = interpreter.variables[path] { return value }
        guard path.contains(where: { $0 == "." || $0 == "[" }), let first = path.unicodeScalars.first, Lexer.startsName(first),
              let statements = try? interpreter.parse(path), statements.count == 1,
              case .expression(let expr) = statements[0] else { return nil }
        return try? interpreter.evaluate(expr)
    }
}

/// Where the cursor stands in a call: the command (or function written with def) whose parentheses
/// (or command form) it is in, and the parameter its argument goes to, if one can tell.
private struct ArgumentSite {
    /// The labels the callee takes: a command's options, a function's parameters with a default.
    let labels: [String]
    /// The parameter the word being typed is for: after `label:`, or by position.
    let parameter: CommandSpec.Parameter?
    let labelsGiven: Set<String>
    /// Nothing of this argument is written yet (just after `(` or `,`), so a label may go here.
    let atArgumentStart: Bool
    let commandForm: Bool

    init?(_ before: String, commands: [String: CommandSpec], functionLabels: (String) -> [String]?) {
        var text = Substring(before)
        if text.hasSuffix("\"") { text = text.dropLast() }
        // The innermost call still open at the cursor, and its top-level commas, skipping strings and brackets.
        var depth = 0, inString = false
        var open: String.Index?
        var commas: [String.Index] = []
        for index in text.indices.reversed() {
            let c = text[index]
            if c == "\"" { inString.toggle(); continue }
            if inString { continue }
            if c == ")" || c == "]" { depth += 1 }
            else if c == "[" { if depth == 0 { return nil }; depth -= 1 }
            else if c == "(" { if depth == 0 { open = index; break }; depth -= 1 }
            else if c == ",", depth == 0 { commas.insert(index, at: 0) }
        }
        let head: Substring, start: String.Index
        if let open {
            head = text[..<open]
            start = text.index(after: open)
            commandForm = false
        } else {
            // Command form, `experiment b` or `help bat`: one bare word after the command.
            guard let space = text.firstIndex(of: " "), commas.isEmpty,
                  text[space...].allSatisfy({ $0 == " " }) else { return nil }
            head = text[..<space]
            start = text.index(after: space)
            commandForm = true
        }
        let name = String(head.reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }.reversed())
        let command = commands[name]
        guard let labels = command.map({ $0.options.map(\.name) }) ?? (commandForm ? nil : functionLabels(name)) else { return nil }
        self.labels = labels
        var pieces: [Substring] = []
        var pieceStart = start
        for comma in commas where comma >= start {
            pieces.append(text[pieceStart..<comma])
            pieceStart = text.index(after: comma)
        }
        let current = text[pieceStart...].drop { $0 == " " }
        func label(_ piece: Substring) -> String? {
            let trimmed = piece.drop { $0 == " " }
            let name = trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return !name.isEmpty && trimmed.dropFirst(name.count).drop(while: { $0 == " " }).first == ":" ? String(name) : nil
        }
        labelsGiven = Set(pieces.compactMap(label))
        if let given = label(current) {
            parameter = command?.options.first { $0.name == given } ?? command?.positional.first { $0.name == given }
            atArgumentStart = false
        } else {
            let position = pieces.count - labelsGiven.count
            let positional = command?.positional ?? []
            parameter = current.isEmpty && position < positional.count ? positional[position] : nil
            atArgumentStart = current.isEmpty
        }
    }
}
