import BatchNormKit

extension CommandTable {
    /// Reading activations exported with `np.save` or as CSV, and writing results back.
    static var fileCommands: [CommandSpec] {
        [
            CommandSpec("load", "read a tensor from .npy (float32/float64, as np.save writes; a 0-d array is a number) or 2-D .csv", brief: "read a tensor from .npy or 2-D .csv",
                        example: "x = load(\"acts.npy\")", pytorch: "x = torch.from_numpy(np.load(\"acts.npy\"))", positional: [FileParameters.path]) { call throws(LabError) in
                let path = call[FileParameters.path]
                let file = try call.sandboxed(path)
                let loaded: LoadedData
                do throws(DataFileError) { loaded = try DataFile.read(path: file, shouldStop: call.interpreter.console.isInterrupted) } catch { throw LabError(error, at: call.locationOf(FileParameters.path)) }
                if let narrowing = loaded.narrowing {
                    let console = call.interpreter.console
                    console.print(Narration.wrapProse(FileParameters.describe(narrowing, scalar: loaded.isScalar), width: console.width))
                }
                // A NumPy scalar (shape ()) is a number here, as `np.load` gives a 0-d array that acts as one.
                if loaded.isScalar, let value = loaded.tensor.scalars.first { return .number(Double(value)) }
                call.interpreter.warnAboutNonFinite(loaded.tensor, what: "\(path)", at: call.locationOf(FileParameters.path))
                return .tensor(loaded.tensor)
            },
            CommandSpec("save", "write a tensor to .npy (float32) or .csv; never leaves a half-written file", brief: "write a tensor to .npy or .csv, never half-written",
                        example: "save(y, \"y.npy\")", pytorch: "np.save(\"y.npy\", y.numpy())",
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

    /// `converted float64 → float32: largest change 1.0e+00 at [1, 2], relative 6.0e-08`, and on
    /// a line of its own how many values overflowed to ±inf.
    static func describe(_ n: Float64Narrowing, scalar: Bool) -> String {
        var text = "converted float64 → float32: "
        if n.largestChange == 0 {
            text += "every finite value was exact"
        } else {
            let at = scalar ? "" : " at [" + n.index.map(String.init).joined(separator: ", ") + "]"
            text += "largest change \(NumberFormat.scientific(n.largestChange, digits: 1))\(at), "
                + "relative \(NumberFormat.scientific(n.relativeChange, digits: 1))"
        }
        if n.overflowed > 0 {
            text += "\n\(n.overflowed) value\(n.overflowed == 1 ? "" : "s") beyond float32's range became ±inf"
        }
        return text
    }
}

extension Invocation {
    /// The file `load` or `save` opens for `path`: taken relative to the console's sandbox folder,
    /// and refused when it leads outside it, through `..`, an absolute path or a symbolic link
    /// (`FolderConfinement`). Without a sandbox (`--files-anywhere`), `path` itself.
    func sandboxed(_ path: String) throws(LabError) -> String {
        guard let folder = interpreter.console.sandboxFolder else { return path }
        let file = path.hasPrefix("/") || folder == "." ? path : folder + "/" + path
        do throws(DataFileError) { try FolderConfinement.check(file, inside: folder) } catch {
            let shown: DataFileError = if case .outsideFolder(_, let root) = error { .outsideFolder(path: path, folder: root) } else { error }
            throw LabError(shown, at: locationOf(FileParameters.path))
        }
        return file
    }
}
