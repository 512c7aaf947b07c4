import BatchNormKit

/// The lessons in `lessons/`: `NN-name.bnl` files whose first narration line is `# Title` and
/// whose second is a one-line summary, in the session configuration's lessons folder.
struct LessonCatalog {
    struct Entry {
        let number: Int
        let path: String
        let title: String
        let summary: String
    }

    let folder: String

    init(_ configuration: SessionConfiguration) {
        folder = configuration.lessonsFolder
    }

    /// Read only when asked (`lessons`, `lesson N`), never at start-up.
    var entries: [Entry] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let item = readdir(directory) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".bnl"), name.first?.isNumber == true { names.append(name) }
        }
        return names.sorted().compactMap { name in
            guard let number = Int(name.prefix { $0.isNumber }) else { return nil }
            let path = folder + "/" + name
            let prose = LessonCatalog.firstLines(of: path).compactMap(Narration.text(of:)).filter { !$0.isEmpty }
            let title = prose.first.map { $0.hasPrefix("# ") ? String($0.dropFirst(2)) : $0 } ?? name
            return Entry(number: number, path: path, title: title, summary: prose.dropFirst().first ?? "")
        }
    }

    /// The start of a file, enough for its title and summary.
    static func firstLines(of path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var lines: [String] = []
        while lines.count < 12, fgets(&buffer, Int32(buffer.count), file) != nil {
            lines.append(String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines
    }
}

/// `lesson 3`: runs a lesson file in the current session with its own runner (so errors name the
/// lesson's file and line), stopping at its first error or failed check.
struct LessonRunner {
    let call: Invocation

    func run() throws(LabError) -> Value {
        let interpreter = call.interpreter
        let entries = LessonCatalog(interpreter.configuration).entries
        let entry: LessonCatalog.Entry?
        switch call[Self.which] {
        case .number(let n): entry = entries.first { Double($0.number) == n }
        case .string(let s):
            let matches = entries.filter { $0.path.split(separator: "/").last?.contains(s.lowercased()) == true }
            // Two lessons matching is a question, not a choice to make silently.
            guard matches.count <= 1 else {
                throw LabError(.value, "\"\(s)\" matches \(matches.count) lessons: "
                    + matches.map { "\($0.number) (\($0.path.split(separator: "/").last ?? ""))" }.joined(separator: ", ")
                    + "; type lesson N", at: call.locationOf(Self.which))
            }
            entry = matches.first
        default: entry = nil
        }
        guard let entry else {
            throw LabError(.value, "no such lesson; there are \(entries.count): type lessons to list them", at: call.locationOf(Self.which))
        }
        let canonicalPath = SourceFile.canonical(entry.path)
        guard !interpreter.runningFiles.contains(canonicalPath) else {
            throw LabError(.value, "lesson \(entry.number) is already running (lessons cannot run themselves or each other "
                + "in a loop)", at: call.location)
        }
        guard let source = LessonCatalog.readAll(entry.path) else {
            throw LabError(.file, "cannot read \(entry.path) (missing, unreadable, or larger than \((LanguageLimits.maxStatementBytes * 4) >> 20) MiB)", at: call.location)
        }
        // A runner of its own on the same interpreter: its errors and warnings name the lesson's
        // file and line, and its pause steps end with it.
        let runner = ScriptRunner(interpreter: interpreter, sourceName: entry.path, stopsAtFirstError: true)
        let text = String(decoding: source, as: UTF8.self)
        let pauses = text.split(separator: "\n").filter { String($0).trimmingTrailingSpaces() == "pause" }.count
        runner.lesson = .init(title: "lesson \(entry.number)/\(entries.count)", steps: pauses + 1)
        // Say what the lesson will replace before it starts, and keep the learner's values.
        let assigned = LessonVariables.assigned(in: text, interpreter: interpreter)
        if let note = LessonVariables.keepLearnersValues(of: assigned, lesson: entry.number, in: interpreter) {
            interpreter.console.print(Narration.wrap(note, width: interpreter.console.width))
        }
        runner.namesFileOnTerminal = true
        interpreter.runningFiles.append(canonicalPath)
        defer { interpreter.runningFiles.removeLast() }
        guard runner.run(source) else {
            throw LabError(.reported, "lesson \(entry.number) stopped", at: call.location)
        }
        interpreter.console.print("end of lesson \(entry.number): its variables are yours to explore (vars lists them)")
        return .none
    }
}

extension LessonCatalog {
    static func readAll(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[0..<count]
            if bytes.count > LanguageLimits.maxStatementBytes * 4 { return nil }
        }
        return bytes
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The course's lesson files in order, for tools that run them all (the benchmark).
public enum CourseFiles {
    /// The lessons of `configuration`.
    public static func paths(_ configuration: SessionConfiguration) -> [String] {
        LessonCatalog(configuration).entries.map(\.path)
    }
}
