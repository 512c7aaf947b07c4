import BatchNormKit

extension CommandTable {
    /// Reading activations exported with `np.save` or as CSV, and writing results back.
    static var fileCommands: [CommandSpec] {
        [
            CommandSpec("load", "read a tensor from a .npy file (float32 or float64, as np.save writes) or a 2-D .csv file",
                        example: "x = load(\"acts.npy\")", positional: [.init("path", .string, "the file, ending in .npy or .csv")]) { call throws(LabError) in
                let path = call.string("path") ?? ""
                let tensor: Tensor
                do throws(DataFileError) { tensor = try DataFile.load(path: path) } catch { throw LabError(error, at: call.locationOf("path")) }
                call.interpreter.warnAboutNonFinite(tensor, what: "\(path)", at: call.locationOf("path"))
                return .tensor(tensor)
            },
            CommandSpec("save", "write a tensor to .npy (float32, loads with numpy.load) or .csv (1-D or 2-D); "
                        + "an existing file is replaced only once the new one is complete",
                        example: "save(y, \"y.npy\")",
                        positional: [.init("x", .tensor, "the tensor to write"), .init("path", .string, "the file, ending in .npy or .csv")]) { call throws(LabError) in
                let x = try call.requireTensor("x")
                let path = call.string("path") ?? ""
                do throws(DataFileError) { try DataFile.save(x, to: path) } catch { throw LabError(error, at: call.locationOf("path")) }
                call.interpreter.console.print("saved \(x.shapeDescription) to \(path)")
                return .none
            },
        ]
    }
}
