import BatchNormKit

extension CommandTable {
    /// Reading activations exported with `np.save` or as CSV, and writing results back.
    static var fileCommands: [CommandSpec] {
        [
            CommandSpec("load", "read a tensor from .npy (float32/float64, as np.save writes) or 2-D .csv", brief: "read a tensor from .npy or 2-D .csv",
                        example: "x = load(\"acts.npy\")", positional: [FileParameters.path]) { call throws(LabError) in
                let path = call[FileParameters.path]
                let file = try call.sandboxed(path)
                let tensor: Tensor
                do throws(DataFileError) { tensor = try DataFile.load(path: file, shouldStop: call.interpreter.console.isInterrupted) } catch { throw LabError(error, at: call.locationOf(FileParameters.path)) }
                call.interpreter.warnAboutNonFinite(tensor, what: "\(path)", at: call.locationOf(FileParameters.path))
                return .tensor(tensor)
            },
            CommandSpec("save", "write a tensor to .npy (float32) or .csv; never leaves a half-written file", brief: "write a tensor to .npy or .csv, never half-written",
                        example: "save(y, \"y.npy\")",
                        positional: [FileParameters.tensor, FileParameters.path]) { call throws(LabError) in
                let x = call[FileParameters.tensor]
                let path = call[FileParameters.path]
                let file = try call.sandboxed(path)
                do throws(DataFileError) { try DataFile.save(x, to: file, shouldStop: call.interpreter.console.isInterrupted) } catch { throw LabError(error, at: call.locationOf(FileParameters.path)) }
                call.interpreter.console.print("saved \(x.shapeDescription) to \(path)")
                return .none
            },
        ]
    }
}

/// `load` and `save`'s parameters.
enum FileParameters {
    static let path = Param.string("path", "the file, ending in .npy or .csv")
    static let tensor = Param.tensor("x", "the tensor to write")
}

extension Invocation {
    /// `path` inside the console's sandbox folder, if it has one; unchanged otherwise.
    func sandboxed(_ path: String) throws(LabError) -> String {
        guard let folder = interpreter.console.sandboxFolder else { return path }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw LabError(.file, "\(path): only files inside the sandbox folder can be read or written here",
                           at: locationOf(FileParameters.path))
        }
        return folder + "/" + path
    }
}
