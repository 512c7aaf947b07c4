import Foundation
import Testing

/// `load` and `save` from the real binary: kept inside the folder bnlab was started in unless
/// `--files-anywhere`, a read-only folder named as such, and `digits()` under a tiny element cap
/// blamed on the cap (issue "Unbreakable, round two"; each failed before the fix).
@Suite struct FileConfinementTests {
    @Test func filesOutsideTheStartingFolderNeedTheFlag() throws {
        let outer = try CommandLineTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outer) }
        let start = outer.appendingPathComponent("start")
        try FileManager.default.createDirectory(at: start.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let outside = outer.appendingPathComponent("outside.npy").path
        let refused = try CommandLineTests.bnlab(["-c", "save(ones(2), \"\(outside)\")"], directory: start)
        #expect(refused.status == 1 && refused.stderr.contains("\(outside) is outside the folder bnlab was started in"),
                "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: outside))
        let dotdot = try CommandLineTests.bnlab(["-c", "x = load(\"../outside.npy\")"], directory: start)
        #expect(dotdot.status == 1 && dotdot.stderr.contains("../outside.npy is outside the folder"), "\(dotdot.stderr)")
        let inside = try CommandLineTests.bnlab(["-c", "save(ones(2), \"sub/in.npy\"); load(\"sub/../sub/in.npy\")"], directory: start)
        #expect(inside.status == 0 && inside.stdout.hasSuffix("[1, 1]\n"), "\(inside.stderr)")
        let anywhere = try CommandLineTests.bnlab(["--files-anywhere", "-c", "save(ones(2), \"\(outside)\")"], directory: start)
        #expect(anywhere.status == 0 && FileManager.default.fileExists(atPath: outside), "\(anywhere.stderr)")
        let help = try CommandLineTests.bnlab(["--help"])
        #expect(help.stdout.contains("--files-anywhere"))
    }

    /// Saving into a folder you may not write says so and names the folder (as a user other than
    /// root, who may write anywhere: setpriv drops to nobody when the tests run as root).
    @Test func aReadOnlyFolderIsNamed() throws {
        let outer = try CommandLineTests.temporaryDirectory()
        defer {
            chmod(outer.appendingPathComponent("ro").path, 0o755)
            try? FileManager.default.removeItem(at: outer)
        }
        chmod(outer.path, 0o755)
        let folder = outer.appendingPathComponent("ro")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let target = folder.appendingPathComponent("w.npy")
        try Data("old".utf8).write(to: target)
        chmod(target.path, 0o666)
        chmod(folder.path, 0o555)
        var arguments = [try BnlabBinary.path, "-c", "save(ones(2), \"w.npy\")"]
        var executable = try BnlabBinary.url
        if geteuid() == 0 {
            executable = URL(fileURLWithPath: "/usr/bin/setpriv")
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + arguments
        } else {
            arguments.removeFirst()
        }
        let run = try CommandLineTests.bnlab(arguments, directory: folder, executable: executable)
        let real = folder.resolvingSymlinksInPath().path
        #expect(run.status == 1 && run.stderr.contains("cannot write w.npy: the folder \(real) is read-only for you"),
                "\(run.stderr)")
        #expect(try Data(contentsOf: target) == Data("old".utf8))
    }

    @Test func digitsUnderATinyCapBlamesTheCap() throws {
        let run = try CommandLineTests.bnlab(["--max-elements", "1", "-c", "data = digits()"])
        #expect(run.status == 1 && run.stderr.contains("digits() needs more values than the element cap allows"), "\(run.stderr)")
        #expect(!run.stderr.contains("BNLAB_DATA"))
    }
}
