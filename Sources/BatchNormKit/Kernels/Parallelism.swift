import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many threads the large kernels (statistics, normalize, backward, histograms) may use.
///
/// Work is cut into pieces whose boundaries depend on the data's shape, never on the thread
/// count, and partial results are combined in a fixed order: the same input gives the same bits
/// whether one thread or eight did the work.
public enum Parallelism {
    private static let configured = Atomic<Int>(0)

    /// The processors this process may run on, asked once: glibc's sysconf reads
    /// /sys/devices/system/cpu/online on every call, and every kernel call asks.
    public static let availableCores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Threads to use; all available cores unless `setThreads` said otherwise.
    public static var threads: Int {
        let n = configured.load(ordering: .relaxed)
        return n > 0 ? n : availableCores
    }

    /// Sets the thread count (1 = everything on the calling thread; 0 = all cores again).
    public static func setThreads(_ count: Int) {
        configured.store(max(0, count), ordering: .relaxed)
    }

    /// Below this many elements a kernel runs on the calling thread: handing work to other
    /// threads costs more than it saves.
    static let minimumParallelElements = 1 << 18

    /// Runs `body` for each of `pieces` pieces, spread over the threads when `elements` (the work
    /// as a whole) is large enough. Each piece must write only its own outputs.
    static func forEachPiece(_ pieces: Int, elements: Int, _ body: (Int) -> Void) {
        let threads = min(Self.threads, pieces)
        guard threads > 1, elements >= minimumParallelElements else {
            for piece in 0..<pieces { body(piece) }
            return
        }
        // Each thread takes a contiguous run of pieces; which thread ran a piece never changes its result.
        withoutActuallyEscaping(body) { body in
            let shared = UnsafeSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                let start = pieces * thread / threads, end = pieces * (thread + 1) / threads
                for piece in start..<end { shared.value(piece) }
            }
        }
    }
}

extension Parallelism {
    /// Runs `count` independent jobs (a sweep's trainings, say) on up to `threads` threads and
    /// returns their results in job order. Each job must touch only state of its own; then the
    /// results are exactly what a plain loop would give, only sooner. Threads take the next job
    /// as they finish, so one long job does not hold up the short ones.
    public static func runIndependent<T>(_ count: Int, _ job: (Int) -> T) -> [T] {
        let threads = min(Self.threads, count)
        guard threads > 1 else { return (0..<count).map(job) }
        let next = JobCounter()
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { results in
            withoutActuallyEscaping(job) { job in
                let shared = UnsafeSendable((job, results.baseAddress!))
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    let (job, results) = shared.value
                    while true {
                        let index = next.value.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < count else { return }
                        results[index] = job(index)
                    }
                }
            }
        }
        return results.map { $0! }
    }
}

/// The next job number, shared by the threads of `runIndependent`.
private final class JobCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// Hands a value to worker threads that the compiler cannot prove safe to share. Every use in this
/// module gives each thread disjoint outputs to write (see `Parallelism.forEachPiece`).
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
