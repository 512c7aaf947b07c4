import Foundation
import Testing

/// bnlab finds `data/` and `lessons/` where it is installed, not where it was built: a copy of
/// the binary in another folder with both folders beside it, started from a third folder with
/// `BNLAB_DATA` and `BNLAB_LESSONS` unset, as a `swift build` user would install it.
@Suite struct InstallTests {
    typealias Run = CommandLineTests.Run

    /// The checkout this test file is in: its data/ and lessons/ are what gets installed.
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `executable` in `directory` with no BNLAB_DATA or BNLAB_LESSONS unless given.
    static func run(_ executable: URL, _ arguments: [String], in directory: URL,
                    environment: [String: String] = [:]) throws -> Run {
        try CommandLineTests.bnlab(arguments, directory: directory, environment: environment, executable: executable)
    }

    /// A fresh temporary folder, symlinks resolved (so it compares with the paths bnlab prints).
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.resolvingSymlinksInPath()
    }

    /// `share/bnlab/` with a copy of the built binary, and data/ and lessons/ copied beside it
    /// unless `withFolders` is false.
    static func install(withFolders: Bool = true) throws -> (root: URL, binary: URL) {
        let root = try temporaryFolder("install")
        let folder = root.appendingPathComponent("share/bnlab")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("bnlab")
        try FileManager.default.copyItem(at: try BnlabBinary.url, to: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)
        if withFolders {
            for name in ["data", "lessons"] {
                try FileManager.default.copyItem(at: checkout.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
        }
        return (root, binary)
    }

    @Test func aCopiedBinaryFindsDataAndLessonsBesideIt() throws {
        let (root, binary) = try Self.install()
        defer { try? FileManager.default.removeItem(at: root) }
        let elsewhere = try Self.temporaryFolder("cwd")
        defer { try? FileManager.default.removeItem(at: elsewhere) }

        let digits = try Self.run(binary, ["-c", "d = digits(); d.count"], in: elsewhere)
        #expect(digits.stderr == "")
        #expect(digits.stdout == "1797\n")
        #expect(digits.status == 0)

        let lessons = try Self.run(binary, ["-c", "lessons"], in: elsewhere)
        #expect(lessons.stderr == "")
        #expect(lessons.status == 0)
        #expect(lessons.stdout.hasPrefix("lessons (lesson N to run one"))
        // The same course as the checkout's binary lists: every lesson file, in order.
        let original = try Self.run(try BnlabBinary.url, ["-c", "lessons"], in: elsewhere)
        #expect(original.status == 0, "\(original.stderr)")
        #expect(lessons.stdout == original.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.checkout.appendingPathComponent("lessons").path)
            .filter { $0.hasSuffix(".bnl") && $0.first?.isNumber == true }
        // Each file by its own number: the numbers need not be consecutive (lessons arrive from several branches).
        for number in files.compactMap({ Int($0.prefix { $0.isNumber }) }) {
            #expect(lessons.stdout.contains("\n  \(number) "), "lesson \(number) is listed")
        }

        // A lesson runs from the installed folder, and its errors would name that file.
        let lesson = try Self.run(binary, ["-c", "lesson 1"], in: elsewhere)
        #expect(lesson.status == 0, "\(lesson.stderr)")
        #expect(lesson.stdout.contains("end of lesson 1"))
    }

    /// `~/.local/bin/bnlab` as a symlink to the installed binary: the symlink is followed.
    @Test func aSymlinkToTheInstalledBinaryFindsItsFolders() throws {
        let (root, binary) = try Self.install()
        defer { try? FileManager.default.removeItem(at: root) }
        let bin = root.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let link = bin.appendingPathComponent("bnlab")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: binary)

        let run = try Self.run(link, ["-c", "d = digits(); d.count"], in: bin)
        #expect(run.stderr == "")
        #expect(run.stdout == "1797\n")
    }

    /// With nothing beside it and no checkout above it, the messages name where the folders
    /// were expected and how to point bnlab elsewhere.
    @Test func aLoneBinarySaysWhereItLooked() throws {
        let (root, binary) = try Self.install(withFolders: false)
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = binary.deletingLastPathComponent().path

        let digits = try Self.run(binary, ["-c", "digits()"], in: root)
        #expect(digits.status == 1)
        #expect(digits.stderr.contains("\(folder)/data/digits/digits.csv"), "\(digits.stderr)")
        #expect(digits.stderr.contains("set BNLAB_DATA"))

        let lessons = try Self.run(binary, ["-c", "lessons"], in: root)
        #expect(lessons.status == 1)
        #expect(lessons.stderr == "<command>:1:1: error: no lessons found in \(folder)/lessons (set BNLAB_LESSONS to the lessons folder)\n")

        // The variables point it anywhere.
        let pointed = try Self.run(binary, ["-c", "d = digits(); d.count; lessons"], in: root, environment: [
            "BNLAB_DATA": Self.checkout.appendingPathComponent("data").path,
            "BNLAB_LESSONS": Self.checkout.appendingPathComponent("lessons").path])
        #expect(pointed.stderr == "")
        #expect(pointed.stdout.hasPrefix("1797\nlessons (lesson N to run one"))
    }

    /// BNLAB_DATA moves the data only: `lessons` still lists the course (it used to look for
    /// lessons next to the data folder and report "no lessons found in …/mydata/").
    @Test func dataVariableLeavesTheLessonsWhereTheyAre() throws {
        let mydata = try Self.temporaryFolder("mydata")
        defer { try? FileManager.default.removeItem(at: mydata) }
        let installed = try Self.install()
        defer { try? FileManager.default.removeItem(at: installed.root) }
        for binary in [try BnlabBinary.url, installed.binary] {
            let lessons = try Self.run(binary, ["-c", "lessons"], in: mydata, environment: ["BNLAB_DATA": mydata.path])
            #expect(lessons.stderr == "", "\(binary.path)")
            #expect(lessons.stdout.hasPrefix("lessons (lesson N to run one"))
            #expect(lessons.status == 0)

            let digits = try Self.run(binary, ["-c", "digits()"], in: mydata, environment: ["BNLAB_DATA": mydata.path])
            #expect(digits.stderr.contains("\(mydata.path)/digits/digits.csv"), "\(digits.stderr)")
            #expect(digits.status == 1)
        }
    }
}
