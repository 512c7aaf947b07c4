import BatchNormKit

extension CommandTable {
    /// Reading activations exported with `np.save` or as CSV, and writing results back.
    static var fileCommands: [CommandSpec] {
        [
            CommandSpec("load", "read a tensor from .npy (float32/float64, as np.save writes) or 2-D .csv",
                        example: "x = load(\"acts.npy\")", positional: [.init("path", .string, "the file, ending in .npy or .csv")]) { call throws(LabError) in
                let path = call.string("path") ?? ""
                let file = try call.sandboxed(path)
                let tensor: Tensor
                do throws(DataFileError) { tensor = try DataFile.load(path: file, shouldStop: call.interpreter.console.isInterrupted) } catch { throw LabError(error, at: call.locationOf("path")) }
                call.interpreter.warnAboutNonFinite(tensor, what: "\(path)", at: call.locationOf("path"))
                return .tensor(tensor)
            },
            CommandSpec("save", "write a tensor to .npy (float32) or .csv; never leaves a half-written file",
                        example: "save(y, \"y.npy\")",
                        positional: [.init("x", .tensor, "the tensor to write"), .init("path", .string, "the file, ending in .npy or .csv")]) { call throws(LabError) in
                let x = try call.requireTensor("x")
                let path = call.string("path") ?? ""
                let file = try call.sandboxed(path)
                do throws(DataFileError) { try DataFile.save(x, to: file, shouldStop: call.interpreter.console.isInterrupted) } catch { throw LabError(error, at: call.locationOf("path")) }
                call.interpreter.console.print("saved \(x.shapeDescription) to \(path)")
                return .none
            },
        ]
    }
}

extension Invocation {
    /// `path` inside the console's sandbox folder, if it has one; unchanged otherwise.
    func sandboxed(_ path: String) throws(LabError) -> String {
        guard let folder = interpreter.console.sandboxFolder else { return path }
        guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw LabError(.file, "\(path): only files inside the sandbox folder can be read or written here",
                           at: locationOf("path"))
        }
        return folder + "/" + path
    }
}
