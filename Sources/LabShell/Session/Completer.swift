/// Tab completion candidates from the same tables that drive the language: command names,
/// keywords and variables, or a value's fields after a dot (`bn.run` → running_mean, running_var).
public struct Completer {
    let interpreter: Interpreter

    public init(interpreter: Interpreter) {
        self.interpreter = interpreter
    }

    /// Candidates for the word `prefix` that starts at UTF-8 offset `wordStart` of `line`.
    public func candidates(line: String, wordStart: Int, prefix: String) -> [String] {
        let before = String(decoding: line.utf8.prefix(wordStart), as: UTF8.self)
        if before.hasSuffix(".") {
            let objectName = String(before.dropLast().unicodeScalars.reversed()
                .prefix { Lexer.startsName($0) || ("0"..."9").contains($0) }.reversed().map(Character.init))
            guard let value = interpreter.variables[objectName] else { return [] }
            return Fields.names(of: value).filter { $0.hasPrefix(prefix) }.sorted()
        }
        let words = interpreter.commandNames + interpreter.variableNames + Token.Keyword.allCases.map(\.rawValue)
        return Array(Set(words.filter { $0.hasPrefix(prefix) })).sorted()
    }
}
