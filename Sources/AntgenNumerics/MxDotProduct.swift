/// The exact value of one MX block product Σ P_A,i · P_B,i with both scales (spec §5.5):
/// `sum` · 2^`exponent`, plus the special-value flags. Elements and scales are decoded
/// exactly; the sum is an integer in units unit_A · unit_B, so nothing is rounded here.
public struct MxBlockSum: Sendable, Hashable {
    /// Σ ±M_a·M_b·2^(E_a+E_b) over the block's finite products.
    public let sum: Int128
    /// (x_A − 127) + (x_B − 127) + log2 unit_A + log2 unit_B.
    public let exponent: Int
    /// A NaN scale, a NaN element or an ∞ × 0 product.
    public let isNaN: Bool
    /// Some product is +∞.
    public let hasPositiveInfinity: Bool
    /// Some product is −∞.
    public let hasNegativeInfinity: Bool

    /// Reduces one block. `a` and `b` are codes of equal length (at most one block).
    public init(a: [Int], formatA: MxElementFormat, scaleA: MxScale, b: [Int], formatB: MxElementFormat, scaleB: MxScale) {
        precondition(a.count == b.count, "MX block operands differ in length")
        var sum: Int128 = 0
        var nan = scaleA.isNaN || scaleB.isNaN
        var positive = false
        var negative = false
        for (codeA, codeB) in zip(a, b) {
            let x = formatA.decode(codeA)
            let y = formatB.decode(codeB)
            let negativeProduct = x.sign != y.sign
            switch (x.kind, y.kind) {
            case (.nan, _), (_, .nan):
                nan = true
            case (.infinity, .infinity):
                if negativeProduct { negative = true } else { positive = true }
            case (.infinity, .finite), (.finite, .infinity):
                let other = x.kind == .finite ? x : y
                if other.mantissa == 0 {
                    nan = true
                } else if negativeProduct {
                    negative = true
                } else {
                    positive = true
                }
            case (.finite, .finite):
                let product = Int128(x.mantissa * y.mantissa) << (x.shift + y.shift)
                sum += negativeProduct ? -product : product
            }
        }
        self.sum = sum
        exponent = scaleA.exponent + scaleB.exponent + formatA.unitExponent + formatB.unitExponent
        isNaN = nan
        hasPositiveInfinity = positive
        hasNegativeInfinity = negative
    }

    /// The block's value as an IEEE binary32, rounded once (RNE) from the exact value:
    /// NaN for NaN or +∞ and −∞ together, ±∞ for an infinite product, else `sum` · 2^`exponent`.
    public var float: Float {
        if isNaN || (hasPositiveInfinity && hasNegativeInfinity) { return .nan }
        if hasPositiveInfinity { return .infinity }
        if hasNegativeInfinity { return -.infinity }
        return MxFloat32.rounded(sum, exponent: exponent)
    }
}

/// Exact-to-binary32 rounding and the canonical bit patterns the MX hardware produces.
public enum MxFloat32 {
    /// The one NaN the hardware emits (quiet, positive, payload 0).
    public static let canonicalNaN: UInt32 = 0x7FC0_0000

    /// `value` · 2^`exponent` rounded to nearest-even binary32, once, with subnormals and
    /// overflow to ±∞. An exact zero is +0; a negative value that rounds to 0 is −0.
    public static func rounded(_ value: Int128, exponent: Int) -> Float {
        guard value != 0 else { return 0 }
        let negative = value < 0
        let magnitude = value.magnitude
        let top = 127 - magnitude.leadingZeroBitCount
        let leading = exponent + top
        if leading > 127 { return negative ? -.infinity : .infinity }
        let lsb = max(leading - 23, -149)
        let shift = lsb - exponent
        var significand: UInt128
        if shift <= 0 {
            significand = magnitude << -shift
        } else if shift > 127 {
            significand = 0
        } else {
            significand = magnitude >> shift
            let remainder = magnitude & ((1 << shift) - 1)
            let half: UInt128 = 1 << (shift - 1)
            if remainder > half || (remainder == half && significand & 1 == 1) { significand += 1 }
        }
        let result = Float(sign: negative ? .minus : .plus, exponent: lsb, significand: Float(significand))
        return result
    }

    /// The bit pattern the hardware shows for `value`: NaNs are canonical.
    public static func bits(_ value: Float) -> UInt32 { value.isNaN ? canonicalNaN : value.bitPattern }
}

/// How the MX PE folds block values into its result (spec §5.6).
public enum MxAccumulation: Sendable, Hashable, Codable {
    /// An FP32 accumulator: acc ← acc + block, starting from −0, RNE, block order.
    case float32
    /// A fixed-point accumulator with an alignment window of `window` bits (0…32) and
    /// `width` bits (two's complement, wraps), converted to FP32 once at the end.
    case window(window: Int, width: Int)
}

/// The reference MX dot product over blocks (spec §5.6), for both accumulators.
public enum MxDotProduct {
    /// FP32 accumulation: ((−0 + b_1) + b_2) + … with IEEE binary32 additions.
    public static func float32(_ blocks: [MxBlockSum]) -> Float {
        var accumulator = -Float.zero
        for block in blocks { accumulator += block.float }
        return accumulator
    }

    /// Fixed-point accumulation with a bounded alignment window, then one rounding to FP32.
    ///
    /// The accumulator holds A · 2^(r − window), where r is the largest block exponent seen
    /// so far among blocks with a nonzero sum. A block (s, e) with e ≤ r is added as
    /// s · 2^(window − (r − e)) when r − e ≤ window and dropped otherwise; a block with
    /// e > r first shifts A right by e − r (arithmetic, toward −∞) and becomes the new r.
    /// A wraps modulo 2^width. Specials are sticky flags, as in `MxBlockSum.float`.
    public static func windowed(_ blocks: [MxBlockSum], window: Int, width: Int) -> Float {
        var accumulator: Int128 = 0
        var reference = 0
        var empty = true
        var nan = false
        var positive = false
        var negative = false
        for block in blocks {
            nan = nan || block.isNaN
            positive = positive || block.hasPositiveInfinity
            negative = negative || block.hasNegativeInfinity
            guard block.sum != 0 else { continue }
            if empty {
                accumulator = block.sum << window
                reference = block.exponent
                empty = false
            } else if block.exponent <= reference {
                let distance = reference - block.exponent
                if distance <= window { accumulator += block.sum << (window - distance) }
            } else {
                accumulator >>= block.exponent - reference
                reference = block.exponent
                accumulator += block.sum << window
            }
            accumulator = wrapped(accumulator, width: width)
        }
        if nan || (positive && negative) { return .nan }
        if positive { return .infinity }
        if negative { return -.infinity }
        return MxFloat32.rounded(accumulator, exponent: reference - window)
    }

    /// `value` modulo 2^width as a two's-complement number of `width` bits.
    static func wrapped(_ value: Int128, width: Int) -> Int128 {
        guard width < 128 else { return value }
        let shift = 128 - width
        return (value << shift) >> shift
    }

    /// The exact signed width of a block sum for these formats and block size k
    /// (spec §5.5): ⌈log2(k · max_A · max_B + 1)⌉ + 1, with INT8's −2.0 counted.
    public static func blockSumWidth(_ a: MxElementFormat, _ b: MxElementFormat, blockSize: Int = 32) -> Int {
        let bound = UInt128(blockSize) * UInt128(a.maxMagnitudeUnits) * UInt128(b.maxMagnitudeUnits)
        return 128 - bound.leadingZeroBitCount + 1
    }
}
