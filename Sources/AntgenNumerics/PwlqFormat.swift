/// Which piecewise-linear quantizer (spec §7.2). All three use one breakpoint p on [−m, m].
public enum PwlqVariant: String, Sendable, Codable, CaseIterable {
    /// The paper's eq. 3 (the default): centre |x| ≤ p and tail p < |x| ≤ m, each a
    /// (b−1)-bit uniform magnitude plus a sign; centre step p/(2^(b−1)−1).
    case paper
    /// The released code's `pw-2`: centre −p < x < p is a b-bit symmetric quantizer with the
    /// finer step 2p/(2^b−1); tails |x| ≥ p as in eq. 3 (negative tail rounds on (x+m)/step).
    case nonoverlap
    /// The released code's `pw-1`: the same centre as `nonoverlap`; |x| ≥ p uses a b-bit
    /// symmetric quantizer on the whole range, step 2m/(2^b−1), whose levels overlap the centre.
    case overlap
}

/// One PWLQ code (spec §7.1): a region bit, a sign and a (b−1)-bit magnitude, packed as
/// `region << b | sign << (b−1) | magnitude` into b+1 bits.
///
/// In the `overlap` variant a region-1 (tail) code instead carries a b-bit two's-complement
/// integer in its low b bits (its top bit is still the sign).
public struct PwlqCode: Hashable, Sendable, Comparable {
    /// The packed b+1 bits.
    public let packed: UInt16
    /// The code width b (the code is b+1 bits with the region bit).
    public let bits: Int

    /// Wraps packed bits (only the low b+1 bits are kept).
    public init(packed: UInt16, bits: Int) {
        self.bits = bits
        self.packed = packed & UInt16((1 << (bits + 1)) - 1)
    }

    /// Builds a code from its fields (`magnitude` is masked to b−1 bits).
    public init(region: Int, sign: Int, magnitude: Int, bits: Int) {
        let mask = (1 << (bits - 1)) - 1
        self.init(packed: UInt16((region & 1) << bits | (sign & 1) << (bits - 1) | (magnitude & mask)), bits: bits)
    }

    /// 0 = centre (region 1 of the paper, R1), 1 = tail (R2).
    public var region: Int { Int(packed >> bits) & 1 }
    /// 1 = negative.
    public var sign: Int { Int(packed >> (bits - 1)) & 1 }
    /// The (b−1)-bit magnitude field.
    public var magnitude: Int { Int(packed) & ((1 << (bits - 1)) - 1) }
    /// The low b bits read as two's complement (the overlap variant's tail integer).
    public var twosComplement: Int {
        let raw = Int(packed) & ((1 << bits) - 1)
        return raw >= 1 << (bits - 1) ? raw - (1 << bits) : raw
    }

    public static func < (lhs: PwlqCode, rhs: PwlqCode) -> Bool { lhs.packed < rhs.packed }
}

/// The parameters of one channel (spec §7.1): width, variant, range m = max |x|, breakpoint p,
/// and the optional bias correction (Δμ, ρ): a corrected value is (v + Δμ)·ρ.
public struct PwlqChannel: Sendable, Equatable {
    /// Code width b, 2…8.
    public let bits: Int
    /// The quantizer.
    public let variant: PwlqVariant
    /// m: the channel's max |x| (0 for an all-zero channel).
    public let range: Double
    /// p, in (0, m) (0 for an all-zero channel).
    public let breakpoint: Double
    /// Δμ of the bias correction (0 without it).
    public var biasShift: Double = 0
    /// ρ of the bias correction (1 without it).
    public var biasScale: Double = 1

    /// Checks and stores the parameters.
    ///
    /// - Throws: `PwlqError` when b is outside 2…8, m is not finite and > 0, or p is NaN or
    ///   outside the open interval (0, m).
    public init(bits: Int, variant: PwlqVariant, range: Double, breakpoint: Double) throws(PwlqError) {
        guard (2 ... 8).contains(bits) else { throw .unsupportedBitWidth(bits) }
        guard range.isFinite, range > 0 else { throw .invalidRange(range) }
        guard breakpoint.isFinite, breakpoint > 0, breakpoint < range else {
            throw .breakpointOutOfRange(breakpoint: breakpoint, range: range)
        }
        self.bits = bits
        self.variant = variant
        self.range = range
        self.breakpoint = breakpoint
        (centreStep, tailStep) = Self.steps(bits: bits, variant: variant, range: range, breakpoint: breakpoint)
    }

    /// (s1, s2) of the variant (spec §7.2).
    private static func steps(bits: Int, variant: PwlqVariant, range m: Double, breakpoint p: Double) -> (Double, Double) {
        let n = Double((1 << (bits - 1)) - 1), full = Double((1 << bits) - 1)
        let centre = variant == .paper ? p / n : 2 * p / full
        let tail = variant == .overlap ? 2 * m / full : (m - p) / n
        return (centre, tail)
    }

    /// The all-zero channel: every value encodes to code 0 and decodes to 0.
    public static func zero(bits: Int, variant: PwlqVariant) -> PwlqChannel {
        PwlqChannel(uncheckedBits: bits, variant: variant)
    }

    private init(uncheckedBits bits: Int, variant: PwlqVariant) {
        self.bits = bits
        self.variant = variant
        self.range = 0
        self.breakpoint = 0
        centreStep = 0
        tailStep = 0
    }

    /// N = 2^(b−1) − 1, the largest magnitude field.
    public var maxMagnitude: Int { (1 << (bits - 1)) - 1 }
    /// The centre step: p/N (paper) or 2p/(2^b−1) (nonoverlap, overlap).
    public let centreStep: Double
    /// The tail step: (m − p)/N (paper, nonoverlap) or 2m/(2^b−1) (overlap).
    public let tailStep: Double
    /// The tail offset magnitude: p (paper, nonoverlap), 0 (overlap: no offset).
    public var tailOffset: Double { variant == .overlap ? 0 : breakpoint }

    /// The code of x (round half to even, saturating; spec §7.2).
    public func encode(_ x: Double) -> PwlqCode { PwlqCode(packed: packedCode(x), bits: bits) }

    /// The packed bits of `encode(x)`, computed directly (the quantizer's inner loop).
    @inline(__always) func packedCode(_ x: Double) -> UInt16 {
        guard range > 0 else { return 0 }
        let n = Double(maxMagnitude)
        let magnitude = abs(x)
        let signBit = 1 << (bits - 1), regionBit = 1 << bits
        switch variant {
        case .paper:
            if magnitude <= breakpoint {
                let q = Int(min(roundHalfEven(magnitude / centreStep), n))
                return UInt16(x < 0 && q > 0 ? signBit | q : q)
            }
            let q = Int(max(0, min(roundHalfEven((magnitude - breakpoint) / tailStep), n)))
            return UInt16(regionBit | (x < 0 ? signBit : 0) | q)
        case .nonoverlap, .overlap:
            if magnitude < breakpoint {
                let k = Int(max(-n, min(roundHalfEven(x / centreStep), n)))
                return UInt16(k < 0 ? signBit | -k : k)
            }
            if variant == .overlap {
                let half = Double(1 << (bits - 1))
                let k = Int(max(-half, min(roundHalfEven(x / tailStep), half - 1)))
                return UInt16(regionBit | (k & ((1 << bits) - 1)))
            }
            if x >= breakpoint {
                return UInt16(regionBit | Int(max(0, min(roundHalfEven((x - breakpoint) / tailStep), n))))
            }
            // The released code's negative tail: levels −m + k·step, k = 0…N, i.e. magnitude N − k.
            let k = Int(max(0, min(roundHalfEven((x + range) / tailStep), n)))
            return UInt16(regionBit | signBit | (maxMagnitude - k))
        }
    }

    /// The value of a code before bias correction: centre sign·q·s1, tail sign·(p + q·s2)
    /// (overlap tail: k·s2 with k the two's-complement field).
    public func value(of code: PwlqCode) -> Double {
        guard range > 0 else { return 0 }
        let sign: Double = code.sign == 1 ? -1 : 1
        if code.region == 0 { return sign * (Double(code.magnitude) * centreStep) }
        if variant == .overlap { return Double(code.twosComplement) * tailStep }
        return sign * (breakpoint + Double(code.magnitude) * tailStep)
    }

    /// The dequantised value of a code: `value(of:)` with the bias correction applied.
    public func dequantize(_ code: PwlqCode) -> Double {
        let raw = value(of: code)
        return biasShift == 0 && biasScale == 1 ? raw : (raw + biasShift) * biasScale
    }

    /// Every code of width b (2^(b+1) of them), in packed order.
    public func allCodes() -> [PwlqCode] {
        (0 ..< (1 << (bits + 1))).map { PwlqCode(packed: UInt16($0), bits: bits) }
    }
}

/// Why PWLQ parameters or a PWLQ run were rejected (one line each).
public enum PwlqError: Error, Hashable, Sendable, CustomStringConvertible {
    /// b outside 2…8.
    case unsupportedBitWidth(Int)
    /// The range m is not finite and positive.
    case invalidRange(Double)
    /// p is NaN or outside (0, m).
    case breakpointOutOfRange(breakpoint: Double, range: Double)
    /// A fixed breakpoint ratio p/m outside (0, 1).
    case invalidRatio(Double)
    /// The fitted closed forms exist for the eq. 4 error model only (not the overlap variant).
    case closedFormNeedsTwoRegionModel
    /// The tensor has no elements.
    case emptyTensor
    /// A NaN or infinite element at this flat index.
    case nonFiniteValue(index: Int, value: Double)

    /// A one-line human-readable description.
    public var description: String {
        switch self {
        case .unsupportedBitWidth(let bits): return "unsupported PWLQ bit width \(bits) (supported: 2…8)"
        case .invalidRange(let range): return "PWLQ range m = \(range) must be finite and positive"
        case .breakpointOutOfRange(let p, let m): return "PWLQ breakpoint p = \(p) must lie in the open interval (0, m = \(m))"
        case .invalidRatio(let ratio): return "PWLQ breakpoint ratio p/m = \(ratio) must lie in the open interval (0, 1)"
        case .closedFormNeedsTwoRegionModel:
            return "the fitted closed-form breakpoints model the paper/nonoverlap quantizer; use --breakpoint gaussian, laplace or search with the overlap variant"
        case .emptyTensor: return "the tensor is empty"
        case .nonFiniteValue(let index, let value): return "element \(index) is \(value) (NaN and infinite values cannot be quantized)"
        }
    }
}

/// `v.rounded(.toNearestOrEven)` without a libm call: for |v| < 2^51, v + 1.5·2^52 lands where
/// the spacing of doubles is 1, so the addition itself rounds half to even and the
/// subtraction is exact (a zero result may lose its sign, which no caller sees: each converts
/// to Int). Larger, infinite and NaN values take `rounded(.toNearestOrEven)`.
@inline(__always) func roundHalfEven(_ v: Double) -> Double {
    let magic = 6_755_399_441_055_744.0  // 1.5 · 2^52
    return abs(v) < 0x1p51 ? (v + magic) - magic : v.rounded(.toNearestOrEven)
}
