import CKernels

/// Which vector instructions the C kernels use — the widest this CPU has, unless
/// `BNLAB_KERNELS=baseline` (or `avx2`) asks for fewer. Every level computes the same bits (no
/// fused multiply-add, the same order within each result); a level only changes the speed. The
/// benchmark names it, and the tests force `.baseline` to show the bits do not change.
public enum VectorExtensions: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case baseline = 0
    case avx2 = 1
    case avx512 = 2

    /// The level the kernels use now.
    public static var current: VectorExtensions { VectorExtensions(rawValue: bnlab_kernel_level()) ?? .baseline }

    /// The widest level this CPU supports.
    public static var supported: VectorExtensions { VectorExtensions(rawValue: bnlab_kernel_level_supported()) ?? .baseline }

    /// Uses `level` (or the widest supported, if this CPU lacks it) until the next call; nil goes
    /// back to the CPU's own choice. Returns the level now in use.
    @discardableResult
    public static func use(_ level: VectorExtensions?) -> VectorExtensions {
        VectorExtensions(rawValue: bnlab_set_kernel_level(level?.rawValue ?? -1)) ?? .baseline
    }

    public var description: String {
        switch self {
        case .baseline: "SSE2 (baseline)"
        case .avx2: "AVX2"
        case .avx512: "AVX-512"
        }
    }
}
