import Synchronization

/// The resource cap that keeps a typo such as `randn(100000, 100000)` from exhausting memory:
/// every tensor's element count is checked against it before anything is allocated.
///
/// The default, 2²⁸ elements (1 GiB of Float32), holds every shape a lesson or benchmark uses
/// while refusing sizes that would swap or crash a laptop. `bnlab --max-elements N` or the
/// `BNLAB_MAX_ELEMENTS` environment variable changes it for a session.
public enum TensorLimits {
    public static let defaultMaxElements = 1 << 28

    private static let storage = Atomic<Int>(defaultMaxElements)

    /// The largest element count a tensor may have.
    public static var maxElements: Int {
        get { storage.load(ordering: .relaxed) }
        set { storage.store(max(1, newValue), ordering: .relaxed) }
    }
}
