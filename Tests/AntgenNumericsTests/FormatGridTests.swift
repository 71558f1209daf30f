import Testing
@testable import AntgenNumerics

/// Real magnitudes written straight from the closed forms of spec §1 (not from the code).
private func specMagnitudes(_ kind: NumberKind, magnitudeBits b: Int) -> [Double] {
    func p(_ e: Int) -> Double { Double(sign: .plus, exponent: e, significand: 1) }
    switch kind.type {
    case .int?:
        return (0 ..< (1 << b)).map(Double.init)
    case .pot?:
        return [0] + (0 ... (1 << b) - 2).map(p)
    case .flint?:
        let n = b
        var values: [Double] = [0]
        for k in 1 ... n - 1 {
            for j in 0 ..< (1 << (n - 1 - k)) { values.append(p(-k) * (1 + Double(j) / p(n - 1 - k))) }
        }
        for j in 0 ..< (1 << (n - 2)) { values.append(1 + Double(j) / p(n - 2)) }
        if n >= 3 {
            for k in 1 ... n - 2 {
                for j in 0 ..< (1 << (n - 2 - k)) { values.append(p(k) * (1 + Double(j) / p(n - 2 - k))) }
            }
        }
        values.append(p(n - 1))
        return values.sorted()
    case .float?:
        let eb = kind.exponentBits!
        let (eBits, mBits) = b == 2 ? (2, 0) : (eb, b - eb)
        var values: [Double] = []
        for e in 0 ..< (1 << eBits) {
            for m in 0 ..< (1 << mBits) {
                values.append(e == 0 ? Double(m) * p(-mBits) : p(e - 1) * (1 + Double(m) / p(mBits)))
            }
        }
        return values.sorted()
    case nil:  // apot
        let sets: [[Double]]
        switch b {
        case 2: sets = [[0, 0.5, 0.25, 0.125]]
        case 3: sets = [[0, 0.5, 0.25, 0.0625], [0, 0.125]]
        case 4: sets = [[0, 0.5, 0.125, 0.03125], [0, 0.25, 0.0625, 0.015625]]
        case 5: sets = [[0, 0.5, 0.125, 0.015625], [0, 0.25, 0.0625, 0.0078125], [0, 0.03125]]
        default: sets = [[0, 0.5, 0.0625, 0.0078125], [0, 0.25, 0.03125, 0.00390625], [0, 0.125, 0.015625, 0.001953125]]
        }
        var sums: [Double] = [0]
        for set in sets { sums = sums.flatMap { sum in set.map { sum + $0 } } }
        return sums.sorted()
    }
}

@Suite("Every code of every valid format, 2…8 bits")
struct FormatGridTests {
    @Test("the valid set is what the spec allows")
    func validFormatCount() {
        // int: 7 widths × 2; pot: less unsigned pot8; flint: less signed 2-bit (B = 1);
        // apot: B = 2…6 is unsigned 2…6 and signed 3…7; float eb3: m_b ≥ 0 or B == 2, so only
        // signed 2-bit (B = 1) is out; float eb1: m_b = B − 1 ≥ 0 always.
        let counts = Dictionary(grouping: allValidFormats) { $0.kind.name }.mapValues(\.count)
        #expect(counts["int"] == 14)
        #expect(counts["pot"] == 13)
        #expect(counts["flint"] == 13)
        #expect(counts["apot"] == 10)
        #expect(counts["float3"] == 13)
        #expect(counts["float1"] == 14)
    }

    @Test("grids equal the spec's closed forms")
    func gridsMatchClosedForms() {
        for format in allValidFormats {
            let real = format.values.map { $0 * format.unit }
            let magnitudes = specMagnitudes(format.kind, magnitudeBits: format.magnitudeBits)
            let expected: [Double]
            switch (format.kind.type, format.isSigned) {
            case (.int, true):
                expected = (-(1 << format.magnitudeBits) ... (1 << format.magnitudeBits) - 1).map(Double.init)
            case (.int, false):
                expected = (0 ..< (1 << format.bits)).map(Double.init)
            case (_, true):
                expected = magnitudes.dropFirst().reversed().map { -$0 } + [0, 0] + magnitudes.dropFirst()
            case (_, false):
                expected = magnitudes
            }
            #expect(real == expected, "\(format)")
            #expect(format.values.count == format.codeCount, "\(format)")
            #expect(format.values.allSatisfy { $0 == $0.rounded() }, "\(format) units are integers")
        }
    }

    @Test("decode∘encode is the identity on grid values; code order is value order")
    func codesRoundTrip() throws {
        for format in allValidFormats {
            var seen = Set<Double>()
            for code in 0 ..< format.codeCount {
                let units = try format.decodeUnits(code: code)
                let encoded = try format.encode(units * format.unit, scale: format.unit)
                let isNegativeZero = format.kind != .int && format.isSigned && code == 1 << format.magnitudeBits
                #expect(encoded == (isNegativeZero ? 0 : code), "\(format) code \(code)")
                #expect(format.code(ofUnits: units) == (isNegativeZero ? 0 : code))
                seen.insert(units)
            }
            #expect(seen.count == format.distinctValues.count, "\(format)")
            let magnitudeCodes = 1 << format.magnitudeBits
            if format.kind == .int {
                for code in 0 ..< format.codeCount {
                    let signedCode = format.isSigned && code >= magnitudeCodes ? code - format.codeCount : code
                    #expect(try format.decodeUnits(code: code) == Double(signedCode))
                }
            } else {
                let positives = try (0 ..< magnitudeCodes).map { try format.decodeUnits(code: $0) }
                #expect(zip(positives, positives.dropFirst()).allSatisfy { $0 < $1 }, "\(format) magnitudes ascend with the code")
                if format.isSigned {
                    let negatives = try (0 ..< magnitudeCodes).map { try format.decodeUnits(code: magnitudeCodes | $0) }
                    #expect(negatives == positives.map { -$0 }, "\(format) sign-magnitude")
                }
            }
        }
    }

    @Test("(s, M, E) reproduces every value and fits the declared widths")
    func hardwareDecodeReproducesValues() throws {
        for format in allValidFormats where format.kind != .apot {
            let width = try #require(format.mantissaWidth)
            let shifts = try #require(format.shiftRange)
            var maxMantissa = 0
            var maxShift = 0
            for code in 0 ..< format.codeCount {
                let operand = try format.hardwareDecode(code: code)
                #expect(operand.units == (try format.decodeUnits(code: code)), "\(format) code \(code)")
                #expect(operand.mantissa >= 0 && operand.mantissa < 1 << width, "\(format) code \(code) M")
                #expect(shifts.contains(operand.shift), "\(format) code \(code) E")
                maxMantissa = max(maxMantissa, operand.mantissa)
                maxShift = max(maxShift, operand.shift)
            }
            #expect(maxMantissa >= 1 << (width - 1), "\(format): M width is tight")
            #expect(maxShift == shifts.upperBound, "\(format): E range is tight")
        }
    }

    @Test("apot has no hardware decode; out-of-range codes and NaN are rejected")
    func decodeErrors() throws {
        let apot = try format(.apot, 4, signed: true)
        #expect(throws: NumberFormatError.noHardwareDecode(format: "apot4s")) { try apot.hardwareDecode(code: 1) }
        let int4 = try format(.int, 4, signed: true)
        #expect(throws: NumberFormatError.codeOutOfRange(code: 16, format: "int4s")) { try int4.decode(code: 16) }
        #expect(throws: NumberFormatError.codeOutOfRange(code: -1, format: "int4s")) { try int4.hardwareDecode(code: -1) }
        #expect(throws: NumberFormatError.notANumber(format: "int4s")) { try int4.encode(.nan, scale: 1) }
        #expect(throws: NumberFormatError.invalidScale(0)) { try int4.encode(1, scale: 0) }
        let pot8 = try format(.pot, 8, signed: true)
        #expect(throws: NumberFormatError.valueExceedsInt(code: 127, format: "pot8s")) { try pot8.decode(code: 127) }
        #expect(try pot8.decodeUnits(code: 127) == 0x1p126)
    }

    @Test("encode rounds to nearest, ties to the larger value, and clamps")
    func encodeRounding() throws {
        let int4 = try format(.int, 4, signed: true)
        #expect(try int4.encode(2.5, scale: 1) == 3)
        #expect(try int4.encode(-2.5, scale: 1) == 0b1110) // −2
        #expect(try int4.encode(100, scale: 1) == 7)
        #expect(try int4.encode(-100, scale: 1) == 0b1000) // −8
        let flint4 = try format(.flint, 4, signed: false)
        #expect(try flint4.encode(20.0 / 8, scale: 1.0 / 8) == 0b1101) // 20 between 16 and 24 → 24
        #expect(try flint4.encode(48.0 / 8, scale: 1.0 / 8) == 0b1111) // 48 between 32 and 64 → 64
        #expect(try flint4.encode(.infinity, scale: 1) == 0b1111)
    }

    @Test("invalid formats are rejected with a clear error", arguments: [
        (NumberKind.float(exponentBits: 3), 4, false, true),
        (NumberKind.float(exponentBits: 4), 4, true, false),
        (NumberKind.float(exponentBits: 3), 2, true, false),
        (NumberKind.float(exponentBits: 0), 6, true, false),
        (NumberKind.apot, 8, false, false),
        (NumberKind.apot, 8, true, false),
        (NumberKind.apot, 2, true, false),
        (NumberKind.apot, 7, false, false),
        (NumberKind.pot, 8, false, false),
        (NumberKind.flint, 2, true, false),
        (NumberKind.float(exponentBits: 8), 8, false, false),
    ])
    func invalidFormats(kind: NumberKind, bits: Int, signed: Bool, valid: Bool) {
        let result = Result { () throws(NumberFormatError) in try NumberFormat(kind: kind, bits: bits, signed: signed) }
        switch result {
        case .success: #expect(valid, "\(kind) \(bits) signed=\(signed) should be invalid")
        case .failure(let error):
            #expect(!valid)
            #expect(!error.description.isEmpty)
        }
    }

    @Test("specific rejections name the rule")
    func rejectionMessages() {
        #expect(throws: NumberFormatError.exceedsFloat32Range(format: "pot8u")) { try NumberFormat(kind: .pot, bits: 8, signed: false) }
        #expect(throws: NumberFormatError.apotOutOfRange(bits: 8, signed: true)) { try NumberFormat(kind: .apot, bits: 8, signed: true) }
        #expect(throws: NumberFormatError.invalidFloatExponentBits(exponentBits: 4, bits: 4, signed: true)) {
            try NumberFormat(kind: .float(exponentBits: 4), bits: 4, signed: true)
        }
        #expect(throws: NumberFormatError.unsupportedBitWidth(9)) { try NumberFormat(kind: .int, bits: 9, signed: true) }
        #expect(throws: NumberFormatError.unsupportedBitWidth(1)) { try NumberFormat(kind: .int, bits: 1, signed: false) }
    }
}
