/// The closed forms of spec §1, in integer units.
///
/// Non-int kinds are sign-magnitude, so this returns their 2^B magnitudes in ascending
/// order (the magnitude code is the index). int is two's complement, so for int this
/// returns the whole ascending value list instead.
enum ValueGrid {
    struct Magnitudes {
        var units: [Double]
        var unitExponent: Int
    }

    static func magnitudes(kind: NumberKind, bits: Int, signed: Bool) throws(NumberFormatError) -> Magnitudes {
        let magnitudeBits = signed ? bits - 1 : bits
        switch kind.type {
        case .int?:
            return Magnitudes(units: intValues(bits: bits, signed: signed), unitExponent: 0)
        case .pot?:
            return Magnitudes(units: potMagnitudes(magnitudeBits: magnitudeBits), unitExponent: 0)
        case .flint?:
            guard magnitudeBits >= 2 else { throw .flintNeedsTwoMagnitudeBits(bits: bits, signed: signed) }
            return Magnitudes(units: flintMagnitudes(n: magnitudeBits), unitExponent: -(magnitudeBits - 1))
        case .float?:
            let exponentBits = kind.exponentBits!  // set for every float kind
            guard let shape = FloatShape(exponentBits: exponentBits, magnitudeBits: magnitudeBits) else {
                throw .invalidFloatExponentBits(exponentBits: exponentBits, bits: bits, signed: signed)
            }
            return Magnitudes(units: floatMagnitudes(shape), unitExponent: -shape.mantissaBits)
        case nil:  // apot
            guard let sets = ApotSets(magnitudeBits: magnitudeBits) else {
                throw .apotOutOfRange(bits: bits, signed: signed)
            }
            return Magnitudes(units: sets.magnitudes(), unitExponent: -sets.smallestExponent)
        }
    }

    static func power(_ exponent: Int) -> Double {
        Double(sign: .plus, exponent: exponent, significand: 1)
    }

    /// Signed: −2^B … 2^B − 1; unsigned: 0 … 2^bits − 1.
    static func intValues(bits: Int, signed: Bool) -> [Double] {
        let range = signed ? -(1 << (bits - 1)) ... (1 << (bits - 1)) - 1 : 0 ... (1 << bits) - 1
        return range.map(Double.init)
    }

    /// 0 and 2^i for 0 ≤ i ≤ 2^B − 2.
    static func potMagnitudes(magnitudeBits: Int) -> [Double] {
        [0] + (0 ... (1 << magnitudeBits) - 2).map(power)
    }

    /// flint with n magnitude bits in units of 2^−(n−1): 0; for k = 1…n−1 the values
    /// 2^−k (1 + j/2^(n−1−k)); exponent 0: 1 + j/2^(n−2); for k = 1…n−2: 2^k (1 + j/2^(n−2−k));
    /// top 2^(n−1). Multiplying by 2^(n−1) turns each into an integer.
    static func flintMagnitudes(n: Int) -> [Double] {
        var units: [Double] = [0]
        for k in stride(from: n - 1, through: 1, by: -1) {
            let mantissaCount = 1 << (n - 1 - k)
            for j in 0 ..< mantissaCount { units.append(power(n - 1 - k) + Double(j)) }
        }
        for j in 0 ..< (1 << (n - 2)) { units.append(power(n - 1) + Double(2 * j)) }
        if n >= 3 {
            for k in 1 ... n - 2 {
                let mantissaCount = 1 << (n - 2 - k)
                for j in 0 ..< mantissaCount { units.append(power(n - 1 + k) + Double(j) * power(2 * k + 1)) }
            }
        }
        units.append(power(2 * n - 2))
        return units
    }

    /// e = 0: m units; e ≥ 1: (2^m_b + m) · 2^(e−1) units, with units 2^−m_b.
    static func floatMagnitudes(_ shape: FloatShape) -> [Double] {
        var units: [Double] = []
        for e in 0 ..< (1 << shape.exponentBits) {
            for m in 0 ..< (1 << shape.mantissaBits) {
                if e == 0 {
                    units.append(Double(m))
                } else {
                    units.append(Double((1 << shape.mantissaBits) + m) * power(e - 1))
                }
            }
        }
        return units
    }
}

/// Exponent and mantissa widths of a float(eb) format after the spec's B == 2 override.
struct FloatShape: Hashable, Sendable {
    let exponentBits: Int
    let mantissaBits: Int

    /// nil when the configuration is invalid (eb < 1 or m_b < 0).
    init?(exponentBits: Int, magnitudeBits: Int) {
        if magnitudeBits == 2 {
            self.exponentBits = 2
            self.mantissaBits = 0
            return
        }
        guard exponentBits >= 1, magnitudeBits - exponentBits >= 0 else { return nil }
        self.exponentBits = exponentBits
        self.mantissaBits = magnitudeBits - exponentBits
    }
}

/// The three small power-of-two sets whose sums make an apot grid (the reference's
/// `apot_value`), as negative exponents: the set {0} ∪ {2^−e : e in the list}.
struct ApotSets: Sendable {
    let first: [Int]
    let second: [Int]
    let third: [Int]

    init?(magnitudeBits: Int) {
        switch magnitudeBits {
        case 2: (first, second, third) = ([1, 2, 3], [], [])
        case 3: (first, second, third) = ([1, 2, 4], [3], [])
        case 4: (first, second, third) = ([1, 3, 5], [2, 4, 6], [])
        case 5: (first, second, third) = ([1, 3, 6], [2, 4, 7], [5])
        case 6: (first, second, third) = ([1, 4, 7], [2, 5, 8], [3, 6, 9])
        default: return nil
        }
    }

    /// The finest power of two used: the unit is 2^−smallestExponent.
    var smallestExponent: Int { (first + second + third).max() ?? 0 }

    /// Every sum a + b + c in units, ascending (all 2^B sums are distinct).
    func magnitudes() -> [Double] {
        let unitShift = smallestExponent
        func units(_ exponents: [Int]) -> [Double] {
            [0] + exponents.map { ValueGrid.power(unitShift - $0) }
        }
        var sums: [Double] = []
        for a in units(first) {
            for b in units(second) {
                for c in units(third) { sums.append(a + b + c) }
            }
        }
        return sums.sorted()
    }
}

/// How codes map to grid values for one format.
struct CodeLayout {
    var sortedValues: [Double]
    var distinctValues: [Double]
    var codeForDistinctIndex: [Int]

    init(kind: NumberKind, bits: Int, signed: Bool, magnitudes: [Double]) {
        if kind == .int {
            sortedValues = magnitudes
            distinctValues = magnitudes
            let mask = (1 << bits) - 1
            codeForDistinctIndex = magnitudes.map { Int($0) & mask }
            return
        }
        guard signed else {
            sortedValues = magnitudes
            distinctValues = magnitudes
            codeForDistinctIndex = Array(magnitudes.indices)
            return
        }
        let signBit = 1 << (bits - 1)
        let negatives = magnitudes.dropFirst().reversed().map { -$0 }
        sortedValues = negatives + [0, 0] + magnitudes.dropFirst()
        distinctValues = negatives + magnitudes
        codeForDistinctIndex = magnitudes.indices.dropFirst().reversed().map { signBit | $0 } + Array(magnitudes.indices)
    }
}
