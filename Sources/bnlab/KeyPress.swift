import CReadline

#if canImport(Glibc)
import Glibc
#endif

/// One key read from the terminal at once, without Enter: the pause between `step`'s stages and
/// a lesson's `pause`. The terminal is put in raw mode for the one read and always put back as
/// it was; Ctrl-C is read as a key (signals are off while waiting), so no handler can leave the
/// terminal raw.
enum KeyPress {
    /// What a key at a pause means.
    enum Answer {
        /// Enter, Space or any other key.
        case goOn
        /// `q`, `Q`, or Ctrl-D.
        case stop
        /// Ctrl-C (or a SIGINT sent from outside while waiting).
        case interrupt
    }

    /// Shows `prompt` on stderr and waits for one key; nil when stdin is not a terminal whose
    /// mode can be changed (the caller then reads a line instead).
    static func wait(prompt: String, interrupted: () -> Bool) -> Answer? {
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { return nil }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0 else { return nil }
        defer { _ = tcsetattr(STDIN_FILENO, TCSANOW, &saved) }
        fflush(bnlab_stdout())  // the stage printed so far comes before the prompt
        fputs(prompt, bnlab_stderr())
        fflush(bnlab_stderr())
        // The key's echo, in place of the Enter a line read would have echoed.
        defer { fputs("\n", bnlab_stderr()) }
        while true {
            var byte: UInt8 = 0
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR {
                if interrupted() { return .interrupt }
                continue
            }
            guard count == 1 else { return .stop }  // end of input
            switch byte {
            case 3: return .interrupt
            case 4, UInt8(ascii: "q"), UInt8(ascii: "Q"): return .stop
            case 27:
                // An arrow or function key sends ESC and more bytes: take them all as one key, so
                // they do not answer the next pauses.
                discardPendingBytes()
                return .goOn
            default: return .goOn
            }
        }
    }

    /// Reads and drops whatever bytes have already arrived (the rest of an escape sequence).
    private static func discardPendingBytes() {
        var poller = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        var byte: UInt8 = 0
        while poll(&poller, 1, 30) == 1, read(STDIN_FILENO, &byte, 1) == 1 {}
    }
}
