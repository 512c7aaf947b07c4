import CKernels

/// The one normalize-scale-shift computation every norm layer shares:
/// y = γ · (x − μ) / √(σ² + ε) + β, done in Float64 per element so that subtracting a large mean
/// does not cancel away the signal, then rounded once to Float32.
///
/// Layers differ only in *which* statistic and which γ/β an element uses, described by
/// `StatisticIndex` and `AffineIndex`. The output is written in one pass over x, in pieces spread
/// over the threads; every element is computed the same way whichever thread computes it.
struct NormalizeKernel {
    /// Which statistic an element at a flat index uses.
    enum StatisticIndex {
        /// Axis-1 channel: BatchNorm.
        case channel
        /// `flat / blockSize`: LayerNorm, InstanceNorm, GroupNorm.
        case block(size: Int)
    }

    /// Which γ and β an element uses.
    enum AffineIndex {
        case none
        /// One γ/β per axis-1 channel (BatchNorm, InstanceNorm, GroupNorm).
        case channel(gamma: [Float], beta: [Float])
        /// One γ/β per position in the normalized block (LayerNorm's elementwise affine).
        case elementwise(gamma: [Float], beta: [Float])
    }

    let statistic: StatisticIndex
    let mean: [Double]
    /// 1/√(σ² + ε) per statistic.
    let inverseStd: [Double]

    init(statistic: StatisticIndex, mean: [Double], variance: [Double], eps: Double) {
        self.statistic = statistic
        self.mean = mean
        self.inverseStd = variance.map { 1 / ($0 + eps).squareRoot() }
    }

    /// x̂ and optionally γ·x̂ and γ·x̂ + β, each as its own tensor (the stepping view wants all three).
    func stages(_ x: Tensor, affine: AffineIndex) -> (normalized: Tensor, scaled: Tensor, shifted: Tensor) {
        let normalized = apply(x, affine: .none)
        switch affine {
        case .none:
            return (normalized, normalized, normalized)
        case .channel(let gamma, _), .elementwise(let gamma, _):
            let zeros = [Float](repeating: 0, count: gamma.count)
            let scaledOnly: AffineIndex = if case .channel = affine {
                .channel(gamma: gamma, beta: zeros)
            } else {
                .elementwise(gamma: gamma, beta: zeros)
            }
            return (normalized, apply(x, affine: scaledOnly), apply(x, affine: affine))
        }
    }

    /// y = γ · (x − μ)/√(σ² + ε) + β in one pass.
    func apply(_ x: Tensor, affine: AffineIndex) -> Tensor {
        let count = x.count
        let output = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            x.scalars.withUnsafeBufferPointer { values in
                if count > 0 { write(values.baseAddress!, to: out.baseAddress!, shape: x, affine: affine) }
            }
            initialized = count
        }
        return Tensor(uncheckedShape: x.shape, scalars: output)
    }

    /// Splits the tensor into runs where the statistic and γ/β are constant (or vary by column)
    /// and hands each run to the matching loop of `NormalizeLoops`.
    private func write(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, shape: Tensor, affine: AffineIndex) {
        let channels = shape.channels, inner = shape.rank >= 2 ? shape.spatialSize : shape.count
        let rows = shape.count / inner
        let (gamma, beta): ([Double]?, [Double]?) = switch affine {
        case .none: (nil, nil)
        case .channel(let g, let b), .elementwise(let g, let b): (g.map(Double.init), b.map(Double.init))
        }
        let shared = UnsafeSendable((x, y))
        switch (statistic, affine) {
        case (.block(let size), .elementwise):
            // LayerNorm: γ and β follow the position inside the block.
            let blocks = shape.count / size
            let (g, b) = (gamma!, beta!)
            Parallelism.forEachPiece(blocks, elements: shape.count) { block in
                let (x, y) = shared.value
                let start = block * size
                g.withUnsafeBufferPointer { g in
                    b.withUnsafeBufferPointer { b in
                        NormalizeLoops.elementwise(x + start, y + start, count: size, mean: mean[block],
                                                   inverseStd: inverseStd[block], gamma: g.baseAddress!, beta: b.baseAddress!)
                    }
                }
            }
        case (.channel, _) where inner < 8 && shape.rank >= 2:
            // (N, C): vectorize across the columns of a sample, each with its own μ, scale and shift.
            let width = channels * inner
            let columnMean = (0..<width).map { mean[$0 / inner] }
            let columnScale = (0..<width).map { inverseStd[$0 / inner] * (gamma?[$0 / inner] ?? 1) }
            let columnShift = (0..<width).map { beta?[$0 / inner] ?? 0 }
            let samples = shape.count / width, piecesRows = 16
            let pieces = (samples + piecesRows - 1) / piecesRows
            Parallelism.forEachPiece(pieces, elements: shape.count) { piece in
                let (x, y) = shared.value
                columnMean.withUnsafeBufferPointer { m in
                    columnScale.withUnsafeBufferPointer { k in
                        columnShift.withUnsafeBufferPointer { b in
                            for row in (piece * piecesRows)..<min(samples, (piece + 1) * piecesRows) {
                                NormalizeLoops.columns(x + row * width, y + row * width, count: width,
                                                       mean: m.baseAddress!, scale: k.baseAddress!, shift: b.baseAddress!)
                            }
                        }
                    }
                }
            }
        default:
            // Rows of `inner` values share one statistic and one channel (BatchNorm on (N, C, L…),
            // InstanceNorm, GroupNorm, and any rank-1 input).
            Parallelism.forEachPiece(rows, elements: shape.count) { row in
                let (x, y) = shared.value
                let channel = shape.rank >= 2 ? row % channels : 0
                let s: Int = switch statistic {
                case .channel: channel
                case .block(let size): row * inner / size
                }
                NormalizeLoops.constant(x + row * inner, y + row * inner, count: inner, mean: mean[s],
                                        scale: inverseStd[s] * (gamma?[channel] ?? 1), shift: beta?[channel] ?? 0)
            }
        }
    }
}

/// The inner loops of `NormalizeKernel`, in C at the CPU's vector width (`VectorExtensions`),
/// each element in Float64 and rounded once, the same bits at every level.
/// Unsafe pointers are confined to these loops; the caller passes in-bounds counts.
enum NormalizeLoops {
    /// Eight Float64 results rounded to Float32 and stored (the backward loops' store).
    @inline(__always)
    static func store(_ lo: SIMD4<Double>, _ hi: SIMD4<Double>, to y: UnsafeMutablePointer<Float>) {
        let v = SIMD8<Float>(Float(lo[0]), Float(lo[1]), Float(lo[2]), Float(lo[3]),
                             Float(hi[0]), Float(hi[1]), Float(hi[2]), Float(hi[3]))
        UnsafeMutableRawPointer(y).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// y = (x − mean)·scale + shift.
    static func constant(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                         mean: Double, scale: Double, shift: Double) {
        bnlab_normalize_constant(x, y, Int64(count), mean, scale, shift)
    }

    /// y[j] = (x[j] − mean[j])·scale[j] + shift[j].
    static func columns(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                        mean: UnsafePointer<Double>, scale: UnsafePointer<Double>, shift: UnsafePointer<Double>) {
        bnlab_normalize_columns(x, y, Int64(count), mean, scale, shift)
    }

    /// y[j] = ((x[j] − mean)·inverseStd)·γ[j] + β[j]: LayerNorm's elementwise affine.
    static func elementwise(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
                            mean: Double, inverseStd: Double, gamma: UnsafePointer<Double>, beta: UnsafePointer<Double>) {
        bnlab_normalize_elementwise(x, y, Int64(count), mean, inverseStd, gamma, beta)
    }
}
