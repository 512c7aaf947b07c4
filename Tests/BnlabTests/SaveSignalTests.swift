import Foundation
import Testing

/// SIGTERM, SIGHUP or an unhandled SIGINT during a large `save` ends bnlab as before, but the
/// temporary file in flight is removed and the old file is kept (issue "Unbreakable, round two", D2).
@Suite struct SaveSignalTests {
    @Test(arguments: [SIGTERM, SIGHUP, SIGINT])
    func killedSaveLeavesNoTemporary(signal: Int32) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bnlab-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = Data("old".utf8)
        try old.write(to: folder.appendingPathComponent("k.npy"))

        // posix_spawn with a clean signal mask and default dispositions: the test runner's
        // threads may block or ignore signals, and both would survive exec.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // 64 Mi elements: a 256 MiB save takes long enough to be caught in the middle.
        let target = folder.appendingPathComponent("k.npy").path
        let arguments = [try BnlabBinary.url.path, "--files-anywhere", "-c", "x = zeros(67108864); save(x, \"\(target)\")"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, arguments[0], nil, &attributes, &argv, environ) == 0)
        var sawTemporary = false
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            if names.contains(where: { $0.hasPrefix(".k.npy.tmp-") }) {
                sawTemporary = true
                kill(pid, signal)
                break
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { pid = 0; break }
            usleep(200)
        }
        var status: Int32 = 0
        if pid != 0 { waitpid(pid, &status, 0) }
        try #require(sawTemporary, "the save finished before the temporary was seen")
        #expect(status & 0x7F == signal, "bnlab should die of the signal, status \(status)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["k.npy"])
        #expect(try Data(contentsOf: folder.appendingPathComponent("k.npy")) == old)
    }
}
