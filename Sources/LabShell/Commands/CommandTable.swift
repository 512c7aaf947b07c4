/// The one table of every command in the language. Parsing, `help`, Tab completion and
/// "did you mean" all read it, so a new command is one entry here plus its handler.
enum CommandTable {
    static var all: [CommandSpec] {
        // The order is the table's, which "did you mean" breaks ties by; help groups by topic.
        let sections: [(CommandTopic, [CommandSpec])] = [
            (.tensors, tensorCommands), (.tensors, arrayCommands), (.layers, layerCommands), (.layers, convCommands), (.stepping, stepCommands),
            (.statistics, inspectionCommands), (.stepping, trackingCommands), (.training, modelCommands), (.training, afterTrainingCommands),
            (.training, experimentCommands), (.statistics, reductionCommands), (.statistics, plotCommands), (.lessons, lessonCommands + gradingCommands),
            (.training, benchCommands), (.files, fileCommands + runCommands), (.session, sessionCommands),
        ]
        return sections.flatMap { topic, commands in commands.map { $0.filed(under: topic) } }
    }
}
