/// The one table of every command in the language. Parsing, `help`, Tab completion and
/// "did you mean" all read it, so a new command is one entry here plus its handler.
enum CommandTable {
    static var all: [CommandSpec] {
        tensorCommands + layerCommands + stepCommands + inspectionCommands + trackingCommands + modelCommands + experimentCommands + reductionCommands + lessonCommands + benchCommands + fileCommands + sessionCommands
    }
}
