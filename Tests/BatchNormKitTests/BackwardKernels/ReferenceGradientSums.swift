@testable import BatchNormKit

/// `ColumnPlan` as it was: the per-channel plan spread over one (N, C) sample's columns.
struct ReferenceColumnPlan {
    let mean: UnsafePointer<Double>
    let scale: UnsafePointer<Double>
    let dyMean: UnsafePointer<Double>
    let slope: UnsafePointer<Double>
    let count: Int
}

/// The Swift code BatchNorm backward had before its loops moved to C (backward.c), kept verbatim
/// (only renamed) as the reference the C kernels must match bit for bit.
/// BatchNorm backward's two passes over (x, dy): the per-channel sums Σdy and Σdy·(x − μ), then dx.
/// Like `ChannelReduction`, the data is cut into pieces of a fixed size and the pieces' sums are
/// added in a fixed order, so the bits do not depend on the thread count.
struct ReferenceGradientSums {
    var dy: [Double]
    var dyCentered: [Double]

    static func of(_ x: Tensor, _ dy: Tensor, mean: [Double]) -> ReferenceGradientSums {
        let (samples, channels, inner) = (x.batchSize, x.channels, x.spatialSize)
        let blocks = (samples + ChannelReduction.samplesPerPiece - 1) / ChannelReduction.samplesPerPiece
        let rows = inner >= 8
        let width = rows ? 1 : channels * inner
        // One (Σdy, Σdy(x − μ)) per (block, channel) for rows, per (block, column) for columns.
        let pieces = blocks
        var first = [Double](repeating: 0, count: blocks * (rows ? channels : width))
        var second = first
        if x.count > 0 {
            let columnMean = rows ? [] : (0..<width).map { mean[$0 / inner] }
            x.scalars.withUnsafeBufferPointer { xs in
                dy.scalars.withUnsafeBufferPointer { dys in
                    first.withUnsafeMutableBufferPointer { first in
                        second.withUnsafeMutableBufferPointer { second in
                            let shared = UnsafeSendable((xs.baseAddress!, dys.baseAddress!, first.baseAddress!, second.baseAddress!))
                            Parallelism.forEachPiece(pieces, elements: 2 * x.count) { piece in
                                let (x, dy, first, second) = shared.value
                                let per = ChannelReduction.samplesPerPiece
                                if rows {
                                    for sample in (piece * per)..<min(samples, (piece + 1) * per) {
                                        for channel in 0..<channels {
                                            let offset = (sample * channels + channel) * inner
                                            let (a, b) = ReferenceGradientLoops.rowSums(x + offset, dy + offset, count: inner, mean: mean[channel])
                                            first[piece * channels + channel] += a
                                            second[piece * channels + channel] += b
                                        }
                                    }
                                } else {
                                    columnMean.withUnsafeBufferPointer { m in
                                        for sample in (piece * per)..<min(samples, (piece + 1) * per) {
                                            ReferenceGradientLoops.columnSums(x + sample * width, dy + sample * width, count: width,
                                                                     mean: m.baseAddress!, sums: first + piece * width,
                                                                     centered: second + piece * width)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var sums = ReferenceGradientSums(dy: .init(repeating: 0, count: channels), dyCentered: .init(repeating: 0, count: channels))
        for c in 0..<channels {
            if rows {
                for block in 0..<blocks { sums.dy[c] += first[block * channels + c]; sums.dyCentered[c] += second[block * channels + c] }
            } else {
                for block in 0..<blocks {
                    for p in 0..<inner {
                        sums.dy[c] += first[block * width + c * inner + p]
                        sums.dyCentered[c] += second[block * width + c * inner + p]
                    }
                }
            }
        }
        return sums
    }

    /// dx from the per-channel plan, in one pass over x and dy.
    static func inputGradient(_ x: Tensor, _ dy: Tensor, plan: [ChannelGradientPlan], usesBatchStatistics: Bool) -> Tensor {
        let (channels, inner, count) = (x.channels, x.spatialSize, x.count)
        // Short rows ((N, C)): one sample at a time, with the plan spread over its columns.
        let byColumns = inner < 8
        let width = byColumns ? channels * inner : inner
        let columns = byColumns ? (0..<width).map { plan[$0 / inner] } : []
        let (means, scales, dyMeans, slopes) = (columns.map(\.mean), columns.map(\.scale), columns.map(\.dyMean), columns.map(\.slope))
        let scalars = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            initialized = count
            guard count > 0 else { return }
            let rows = count / width
            x.scalars.withUnsafeBufferPointer { xs in
                dy.scalars.withUnsafeBufferPointer { dys in
                    let shared = UnsafeSendable((xs.baseAddress!, dys.baseAddress!, out.baseAddress!))
                    Parallelism.forEachPiece(rows, elements: count) { row in
                        let (x, dy, dx) = shared.value
                        let offset = row * width
                        if byColumns {
                            means.withUnsafeBufferPointer { m in scales.withUnsafeBufferPointer { k in
                                dyMeans.withUnsafeBufferPointer { a in slopes.withUnsafeBufferPointer { b in
                                    let plan = ReferenceColumnPlan(mean: m.baseAddress!, scale: k.baseAddress!, dyMean: a.baseAddress!,
                                                          slope: b.baseAddress!, count: width)
                                    ReferenceGradientLoops.columnsInputGradient(x + offset, dy + offset, dx + offset, plan: plan,
                                                                       usesBatchStatistics: usesBatchStatistics)
                                } }
                            } }
                        } else if usesBatchStatistics {
                            ReferenceGradientLoops.inputGradient(x + offset, dy + offset, dx + offset, count: inner, plan: plan[row % channels])
                        } else {
                            ReferenceGradientLoops.scaled(dy + offset, dx + offset, count: inner, by: plan[row % channels].scale)
                        }
                    }
                }
            }
        }
        return Tensor(uncheckedShape: x.shape, scalars: scalars)
    }
}

/// The inner loops of BatchNorm backward, eight values at a time in Float64.
enum ReferenceGradientLoops {
    /// (Σ dy, Σ dy·(x − mean)) over a row.
    static func rowSums(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int, mean: Double) -> (Double, Double) {
        var a0 = SIMD4<Double>(), a1 = a0, b0 = a0, b1 = a0
        var i = 0
        while i + 8 <= count {
            let (xl, xh) = ReferenceGradientLoops.widen(x + i), (gl, gh) = ReferenceGradientLoops.widen(dy + i)
            a0 += gl; a1 += gh
            b0 += gl * (xl - mean); b1 += gh * (xh - mean)
            i += 8
        }
        var a = (a0 + a1).sum(), b = (b0 + b1).sum()
        while i < count { let g = Double(dy[i]); a += g; b += g * (Double(x[i]) - mean); i += 1 }
        return (a, b)
    }

    /// sums[j] += dy[j]; centered[j] += dy[j]·(x[j] − mean[j]), for one sample's columns.
    static func columnSums(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, count: Int, mean: UnsafePointer<Double>,
                           sums: UnsafeMutablePointer<Double>, centered: UnsafeMutablePointer<Double>) {
        var j = 0
        while j + 8 <= count {
            let (xl, xh) = ReferenceGradientLoops.widen(x + j), (gl, gh) = ReferenceGradientLoops.widen(dy + j)
            let (ml, mh) = load(mean + j)
            add(gl, gh, to: sums + j)
            add(gl * (xl - ml), gh * (xh - mh), to: centered + j)
            j += 8
        }
        while j < count {
            let g = Double(dy[j])
            sums[j] += g
            centered[j] += g * (Double(x[j]) - mean[j])
            j += 1
        }
    }

    @inline(__always) static func load(_ p: UnsafePointer<Double>) -> (SIMD4<Double>, SIMD4<Double>) {
        let r = UnsafeRawPointer(p)
        return (r.loadUnaligned(as: SIMD4<Double>.self), r.loadUnaligned(fromByteOffset: 32, as: SIMD4<Double>.self))
    }

    @inline(__always) static func add(_ lo: SIMD4<Double>, _ hi: SIMD4<Double>, to p: UnsafeMutablePointer<Double>) {
        let (a, b) = load(p)
        let r = UnsafeMutableRawPointer(p)
        r.storeBytes(of: a + lo, as: SIMD4<Double>.self)
        r.storeBytes(of: b + hi, toByteOffset: 32, as: SIMD4<Double>.self)
    }

    /// dx = scale·(dy − dyMean − (x − mean)·slope).
    static func inputGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                              count: Int, plan p: ChannelGradientPlan) {
        var i = 0
        while i + 8 <= count {
            let (xl, xh) = ReferenceGradientLoops.widen(x + i), (gl, gh) = ReferenceGradientLoops.widen(dy + i)
            ReferenceGradientLoops.store(p.scale * (gl - p.dyMean - (xl - p.mean) * p.slope),
                                 p.scale * (gh - p.dyMean - (xh - p.mean) * p.slope), to: dx + i)
            i += 8
        }
        while i < count {
            dx[i] = Float(p.scale * (Double(dy[i]) - p.dyMean - (Double(x[i]) - p.mean) * p.slope))
            i += 1
        }
    }

    /// One sample of an (N, C) input, each column with its own plan (as columns of numbers).
    static func columnsInputGradient(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>,
                                     plan: ReferenceColumnPlan, usesBatchStatistics: Bool) {
        let count = plan.count
        var j = 0
        while j + 8 <= count {
            let (xl, xh) = ReferenceGradientLoops.widen(x + j), (gl, gh) = ReferenceGradientLoops.widen(dy + j)
            let (kl, kh) = load(plan.scale + j)
            if usesBatchStatistics {
                let (ml, mh) = load(plan.mean + j), (al, ah) = load(plan.dyMean + j), (sl, sh) = load(plan.slope + j)
                ReferenceGradientLoops.store(kl * (gl - al - (xl - ml) * sl), kh * (gh - ah - (xh - mh) * sh), to: dx + j)
            } else {
                ReferenceGradientLoops.store(gl * kl, gh * kh, to: dx + j)
            }
            j += 8
        }
        while j < count {
            dx[j] = usesBatchStatistics
                ? Float(plan.scale[j] * (Double(dy[j]) - plan.dyMean[j] - (Double(x[j]) - plan.mean[j]) * plan.slope[j]))
                : Float(Double(dy[j]) * plan.scale[j])
            j += 1
        }
    }

    /// dx = dy·scale (eval mode: the statistics are constants).
    static func scaled(_ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, count: Int, by scale: Double) {
        var i = 0
        while i + 8 <= count {
            let (gl, gh) = ReferenceGradientLoops.widen(dy + i)
            ReferenceGradientLoops.store(gl * scale, gh * scale, to: dx + i)
            i += 8
        }
        while i < count { dx[i] = Float(Double(dy[i]) * scale); i += 1 }
    }
}

extension ReferenceGradientLoops {
    /// SIMDSum.widen as it was: eight floats as two halves in Float64.
    @inline(__always)
    static func widen(_ p: UnsafePointer<Float>) -> (SIMD4<Double>, SIMD4<Double>) {
        let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        return (SIMD4(Double(v[0]), Double(v[1]), Double(v[2]), Double(v[3])),
                SIMD4(Double(v[4]), Double(v[5]), Double(v[6]), Double(v[7])))
    }

    /// NormalizeLoops.store as it was: eight Float64 results rounded to Float32 and stored.
    @inline(__always)
    static func store(_ lo: SIMD4<Double>, _ hi: SIMD4<Double>, to y: UnsafeMutablePointer<Float>) {
        let v = SIMD8<Float>(Float(lo[0]), Float(lo[1]), Float(lo[2]), Float(lo[3]),
                             Float(hi[0]), Float(hi[1]), Float(hi[2]), Float(hi[3]))
        UnsafeMutableRawPointer(y).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}

/// `BatchNorm.backward` as it was, on the reference passes: what the new kernels must reproduce.
enum ReferenceBackward {
    static func gradients(_ bn: BatchNorm, _ x: Tensor, _ dy: Tensor) throws -> NormGradients {
        let mean: [Double], variance: [Double]
        if bn.usesBatchStatistics {
            let moments = Moments.perChannel(of: x)
            (mean, variance) = (moments.mean, moments.variance)
        } else {
            (mean, variance) = (bn.runningMean.scalars.map(Double.init), bn.runningVar.scalars.map(Double.init))
        }
        let inverseStd = variance.map { 1 / ($0 + bn.eps).squareRoot() }
        let sums = ReferenceGradientSums.of(x, dy, mean: mean)
        let n = Double(x.batchSize * x.spatialSize)
        let plan = (0..<bn.numFeatures).map { c -> ChannelGradientPlan in
            let scale = Double(bn.gamma.scalars[c]) * inverseStd[c]
            guard bn.usesBatchStatistics else { return ChannelGradientPlan(mean: 0, scale: scale, dyMean: 0, slope: 0) }
            return ChannelGradientPlan(mean: mean[c], scale: scale, dyMean: sums.dy[c] / n,
                                       slope: inverseStd[c] * inverseStd[c] * sums.dyCentered[c] / n)
        }
        let dx = ReferenceGradientSums.inputGradient(x, dy, plan: plan, usesBatchStatistics: bn.usesBatchStatistics)
        return NormGradients(
            dx: dx,
            dgamma: Tensor(vector: (0..<bn.numFeatures).map { Float(sums.dyCentered[$0] * inverseStd[$0]) }),
            dbeta: Tensor(vector: sums.dy.map { Float($0) }))
    }
}
