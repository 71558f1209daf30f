import Testing
@testable import AntgenNumerics

/// The 4-bit tables of spec §1 and §2, copied as literals from the spec text.
@Suite("Spec 4-bit tables, verbatim")
struct SpecTableTests {
    /// Positive values (unsigned: all values; signed: magnitudes) in units, and the unit.
    private func magnitudes(_ format: NumberFormat) -> [Double] {
        format.distinctValues.filter { $0 >= 0 }
    }

    @Test("unsigned 4-bit value sets")
    func unsignedTable() throws {
        let int4 = try format(.int, 4, signed: false)
        #expect(int4.unit == 1)
        #expect(magnitudes(int4) == (0 ... 15).map(Double.init))
        #expect(int4.maxPositiveUnits == 15)

        let flint4 = try format(.flint, 4, signed: false)
        #expect(flint4.unit == 1.0 / 8)
        #expect(magnitudes(flint4) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64])
        #expect(flint4.maxPositiveUnits == 64)

        let pot4 = try format(.pot, 4, signed: false)
        #expect(pot4.unit == 1)
        #expect(magnitudes(pot4) == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384])
        #expect(pot4.maxPositiveUnits == 16384)

        let e3m1 = try format(.float(exponentBits: 3), 4, signed: false)
        #expect(e3m1.unit == 1.0 / 2)
        #expect(magnitudes(e3m1) == [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192])
        #expect(e3m1.maxPositiveUnits == 192)

        let e2m2 = try format(.float(exponentBits: 2), 4, signed: false)
        #expect(e2m2.unit == 1.0 / 4)
        #expect(magnitudes(e2m2) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28])
        #expect(e2m2.maxPositiveUnits == 28)
    }

    @Test("signed 4-bit value sets")
    func signedTable() throws {
        let int4 = try format(.int, 4, signed: true)
        #expect(int4.values == [-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7])
        #expect(int4.maxPositiveUnits == 7)

        let flint4 = try format(.flint, 4, signed: true)
        #expect(flint4.unit == 1.0 / 4)
        #expect(magnitudes(flint4) == [0, 1, 2, 3, 4, 6, 8, 16])
        #expect(flint4.maxPositiveUnits == 16)

        let pot4 = try format(.pot, 4, signed: true)
        #expect(pot4.unit == 1)
        #expect(magnitudes(pot4) == [0, 1, 2, 4, 8, 16, 32, 64])
        #expect(pot4.values == [-64, -32, -16, -8, -4, -2, -1, 0, 0, 1, 2, 4, 8, 16, 32, 64])

        let e3 = try format(.float(exponentBits: 3), 4, signed: true)
        #expect(e3.unit == 1)
        #expect(magnitudes(e3) == [0, 1, 2, 4, 8, 16, 32, 64])
        #expect(e3.maxPositiveUnits == 64)

        let e2m1 = try format(.float(exponentBits: 2), 4, signed: true)
        #expect(e2m1.unit == 1.0 / 2)
        #expect(magnitudes(e2m1) == [0, 1, 2, 3, 4, 6, 8, 12])
        #expect(e2m1.maxPositiveUnits == 12)
    }

    @Test("8-bit int ranges")
    func eightBitInt() throws {
        #expect(try format(.int, 8, signed: false).values == (0 ... 255).map(Double.init))
        #expect(try format(.int, 8, signed: true).values == (-128 ... 127).map(Double.init))
    }

    @Test("unsigned flint4: every code's (M, E) and value")
    func unsignedFlintCodes() throws {
        let flint4 = try format(.flint, 4, signed: false)
        let mantissas = [0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 4, 6, 4, 4]
        let shifts = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 4]
        let units: [Double] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64]
        for code in 0 ..< 16 {
            let operand = try flint4.hardwareDecode(code: code)
            #expect(operand == HardwareOperand(sign: false, mantissa: mantissas[code], shift: shifts[code]), "code \(code)")
            #expect(try flint4.decodeUnits(code: code) == units[code])
        }
    }

    @Test("signed flint4 magnitude codes and −0")
    func signedFlintCodes() throws {
        let flint4 = try format(.flint, 4, signed: true)
        let expected: [(Int, Int, Double)] = [(0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3), (2, 1, 4), (3, 1, 6), (2, 2, 8), (2, 3, 16)]
        for (code, (mantissa, shift, units)) in expected.enumerated() {
            #expect(try flint4.hardwareDecode(code: code) == HardwareOperand(sign: false, mantissa: mantissa, shift: shift))
            #expect(try flint4.decodeUnits(code: code) == units)
            #expect(try flint4.hardwareDecode(code: 0b1000 | code) == HardwareOperand(sign: true, mantissa: mantissa, shift: shift))
        }
        #expect(try flint4.decodeUnits(code: 0b1000) == 0)
    }

    @Test("pot, float and int encodings")
    func otherEncodings() throws {
        let pot4 = try format(.pot, 4, signed: true)
        #expect(try pot4.hardwareDecode(code: 0b0000) == HardwareOperand(sign: false, mantissa: 0, shift: 0))
        #expect(try pot4.hardwareDecode(code: 0b0011) == HardwareOperand(sign: false, mantissa: 1, shift: 2))
        #expect(try pot4.hardwareDecode(code: 0b1111) == HardwareOperand(sign: true, mantissa: 1, shift: 6))
        let e3m1 = try format(.float(exponentBits: 3), 4, signed: false)
        #expect(try e3m1.hardwareDecode(code: 0b0001) == HardwareOperand(sign: false, mantissa: 1, shift: 0))
        #expect(try e3m1.hardwareDecode(code: 0b0011) == HardwareOperand(sign: false, mantissa: 3, shift: 0))
        #expect(try e3m1.hardwareDecode(code: 0b1111) == HardwareOperand(sign: false, mantissa: 3, shift: 6))
        let int4 = try format(.int, 4, signed: true)
        #expect(try int4.hardwareDecode(code: 0b1000) == HardwareOperand(sign: true, mantissa: 8, shift: 0))
        #expect(try int4.decode(code: 0b1111) == -1)
    }

    @Test("decoded widths table")
    func widthTable() throws {
        let rows: [(NumberKind, Int, Bool, Int, ClosedRange<Int>)] = [
            (.int, 4, false, 4, 0 ... 0), (.int, 4, true, 4, 0 ... 0),
            (.flint, 4, false, 3, 0 ... 4), (.flint, 4, true, 2, 0 ... 3),
            (.pot, 4, false, 1, 0 ... 14), (.pot, 4, true, 1, 0 ... 6),
            (.float(exponentBits: 3), 4, false, 2, 0 ... 6), (.float(exponentBits: 3), 4, true, 1, 0 ... 6),
            (.int, 8, false, 8, 0 ... 0), (.int, 8, true, 8, 0 ... 0),
            (.flint, 8, false, 7, 0 ... 8), (.flint, 8, true, 6, 0 ... 7),
        ]
        for (kind, bits, signed, width, shifts) in rows {
            let format = try format(kind, bits, signed: signed)
            #expect(format.mantissaWidth == width, "\(format)")
            #expect(format.shiftRange == shifts, "\(format)")
        }
        // Every 4-bit type fits s, M[3:0], E[3:0].
        for format in allValidFormats where format.bits == 4 && format.kind != .apot {
            #expect(format.mantissaWidth! <= 4 && format.shiftRange!.upperBound <= 15, "\(format)")
        }
    }

    @Test("q_max examples of spec §3")
    func qMax() throws {
        #expect(try format(.int, 4, signed: true).maxPositiveUnits == 7)
        #expect(try format(.int, 4, signed: false).maxPositiveUnits == 15)
        #expect(try format(.flint, 4, signed: false).maxPositiveUnits == 64)
        #expect(try format(.flint, 4, signed: true).maxPositiveUnits == 16)
    }
}

@Suite("int8 nibble split")
struct NibbleSplitTests {
    @Test("x·y is the sum of the four term products, all 65,536 pairs", arguments: [false, true])
    func exhaustive(signed: Bool) throws {
        let range = signed ? -128 ... 127 : 0 ... 255
        let terms = try range.map { try nibbleTerms(of: $0, signed: signed) }
        for (xIndex, x) in range.enumerated() {
            let (xHigh, xLow) = terms[xIndex]
            #expect(xHigh.shift == 4 && xLow.shift == 0)
            #expect((signed ? -8 ... 7 : 0 ... 15).contains(xHigh.value))
            #expect((0 ... 15).contains(xLow.value))
            for (yIndex, y) in range.enumerated() {
                let (yHigh, yLow) = terms[yIndex]
                var sum = 0
                for a in [xHigh, xLow] {
                    for b in [yHigh, yLow] { sum += (a.value * b.value) << (a.shift + b.shift) }
                }
                if sum != x * y { Issue.record("\(x) × \(y): \(sum)") }
            }
        }
    }

    @Test("spot values and range errors")
    func spotValues() throws {
        let (high, low) = try nibbleTerms(of: -128, signed: true)
        #expect(high == NibbleTerm(value: -8, shift: 4))
        #expect(low == NibbleTerm(value: 0, shift: 0))
        let (high2, low2) = try nibbleTerms(of: -1, signed: true)
        #expect(high2.value == -1 && low2.value == 15)
        #expect(throws: NibbleSplitError.outOfRange(value: 128, signed: true)) { try nibbleTerms(of: 128, signed: true) }
        #expect(throws: NibbleSplitError.outOfRange(value: -1, signed: false)) { try nibbleTerms(of: -1, signed: false) }
    }
}
