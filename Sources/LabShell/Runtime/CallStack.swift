#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread stack big enough for user functions. The interpreter is recursive: a call of a user
/// function costs several of its frames, and every level of a nested expression inside it more
/// (tens of kilobytes per call in a debug build), so 200 calls would not fit the 8 MiB a thread
/// usually has. The outermost call of a user function therefore runs on a thread of its own with
/// `size` bytes reserved (pages are only committed when touched), while the calling thread
/// waits; every nested call checks the room left and stops with an error before it runs out.
enum CallStack {
    /// Reserved for the calls; virtual memory, committed only as deep calls touch it.
    static let size = 512 << 20
    /// A call is refused when less than this is left below it: the deepest expression the parser
    /// accepts, evaluated with sanitizers on, fits with room to spare.
    static let reserve = 32 << 20

    /// The address of a local of the caller's frame: how far down the stack it has grown.
    @inline(never)
    static func here() -> Int {
        var marker = 0
        return withUnsafeMutablePointer(to: &marker) { Int(bitPattern: $0) }
    }

    /// Runs `body` on a new thread with a `size`-byte stack and waits for it. `body` gets the
    /// lowest address it may let the stack reach. Falls back to the calling thread, with no
    /// floor, if the thread cannot be made.
    static func run<T>(_ body: (_ floor: Int?) throws(LabError) -> T) throws(LabError) -> T {
        var outcome: Result<T, LabError>?
        withoutActuallyEscaping(body) { body in
            let job = Job {
                // The stack starts just above this frame and grows down by at most `size`.
                let floor = here() - size + reserve
                outcome = Result { () throws(LabError) -> T in try body(floor) }
            }
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            let box = Unmanaged.passRetained(job)
            var thread = pthread_t()
            let started = pthread_create(&thread, &attributes, { raw in
                Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, box.toOpaque())
            if started == 0 {
                pthread_join(thread, nil)
            } else {
                box.release()
                outcome = Result { () throws(LabError) -> T in try body(nil) }
            }
        }
        return try outcome!.get()
    }

    /// A closure handed to the thread through a raw pointer.
    private final class Job {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
