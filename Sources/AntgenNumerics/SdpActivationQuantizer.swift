/// A tensor quantized to b-bit uniform integers with one per-tensor scale (spec §8.1):
/// value ≈ code · scale.
public struct UniformQuantization: Sendable {
    /// The integer codes, in the input's order.
    public let codes: [Int]
    /// The scale (real units per integer step).
    public let scale: Double
    /// b.
    public let bits: Int
    /// Signed (symmetric, −(2^(b−1) − 1) … 2^(b−1) − 1) or unsigned (0 … 2^b − 1).
    public let signed: Bool
    /// The clip value the search chose (|x| above it saturates).
    public let clip: Double
}

/// Quantizes `values` to `bits`-bit uniform integers with a per-tensor scale found by a
/// clip search: for clip ratios r = 1, 1 − 1/(2n), …, 1/2 of max |x| (n = `candidates`),
/// scale = r·max|x| / q_max, and the ratio with the smallest squared error wins (the larger
/// clip on a tie). Codes round half away from zero and saturate. `signed: nil` picks
/// unsigned for data with no negative value (post-ReLU/GELU-free inputs), else signed.
///
/// The error is measured on at most 2^18 evenly strided samples, so large tensors cost
/// one pass per candidate over the sample only.
public func uniformQuantize(_ values: [Double], bits: Int, signed: Bool? = nil, candidates: Int = 64) -> UniformQuantization {
    let isSigned = signed ?? values.contains { $0 < 0 }
    let qMax = isSigned ? Double((1 << (bits - 1)) - 1) : Double((1 << bits) - 1)
    let qMin = isSigned ? -qMax : 0
    let maxAbs = values.reduce(0.0) { max($0, $1.magnitude) }
    guard maxAbs > 0, maxAbs.isFinite else {
        return UniformQuantization(codes: Array(repeating: 0, count: values.count), scale: 1, bits: bits, signed: isSigned, clip: 0)
    }
    let stride = max(1, values.count >> 18)
    var bestScale = maxAbs / qMax, bestError = Double.infinity, bestClip = maxAbs
    for k in 0...candidates {
        let clip = maxAbs * (1 - Double(k) / Double(2 * candidates))
        let scale = clip / qMax
        var error = 0.0
        var i = 0
        while i < values.count {
            let q = min(max((values[i] / scale).rounded(.toNearestOrAwayFromZero), qMin), qMax)
            let d = q * scale - values[i]
            error += d * d
            i += stride
        }
        if error < bestError { bestError = error; bestScale = scale; bestClip = clip }
    }
    let codes = values.map { Int(min(max(($0 / bestScale).rounded(.toNearestOrAwayFromZero), qMin), qMax)) }
    return UniformQuantization(codes: codes, scale: bestScale, bits: bits, signed: isSigned, clip: bestClip)
}
