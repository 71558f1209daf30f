import AntgenHardware
import AntgenNumerics
import Testing

@Suite struct ParameterTests {
    /// A parameter set with one bad value, and the parameter the error must name.
    struct BadCase: Sendable, CustomStringConvertible {
        let parameter: String
        var rows = 4, cols = 4, codeWidth = 4, accumulatorWidth = 32, int8 = false
        var act: [AntType] = [.int], weight: [AntType] = [.int]
        var description: String { parameter }
    }

    static let badCases: [BadCase] = [
        BadCase(parameter: "rows", rows: 0), BadCase(parameter: "rows", rows: 257),
        BadCase(parameter: "cols", cols: 0), BadCase(parameter: "cols", cols: 257),
        BadCase(parameter: "code-width", codeWidth: 1), BadCase(parameter: "code-width", codeWidth: 9),
        BadCase(parameter: "acc-width", accumulatorWidth: 1), BadCase(parameter: "acc-width", accumulatorWidth: 257),
        BadCase(parameter: "act-types", act: []), BadCase(parameter: "weight-types", weight: []),
        BadCase(parameter: "act-types", codeWidth: 2, act: [.flint]),
        BadCase(parameter: "weight-types", codeWidth: 2, weight: [.float]),
        BadCase(parameter: "act-types", codeWidth: 8, act: [.pot]),
        BadCase(parameter: "int8", codeWidth: 8, int8: true),
    ]

    /// Each bad value is rejected with an error that names its parameter.
    @Test(arguments: badCases)
    func badValuesNameTheirParameter(_ bad: BadCase) {
        #expect {
            _ = try ArrayParameters(rows: bad.rows, cols: bad.cols, codeWidth: bad.codeWidth, activationTypes: bad.act,
                                    weightTypes: bad.weight, accumulatorWidth: bad.accumulatorWidth, int8: bad.int8)
        } throws: { error in
            guard let e = error as? ParameterError else { return false }
            return e.parameter == bad.parameter && e.description.hasPrefix("invalid \(bad.parameter): ")
        }
    }

    @Test func maxKIsValidated() {
        #expect(throws: ParameterError(parameter: "max-k", message: "0 is outside 1…1099511627776")) {
            _ = try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int],
                                    accumulatorWidth: 32, int8: false, maxReduction: 0)
        }
    }

    @Test func theExtremesAreAccepted() throws {
        let p = try arrayParameters(256, 1, act: [.int], int8: false, codeWidth: 2)
        #expect(p.rows == 256 && p.cols == 1)
        let q = try arrayParameters(1, 256, act: [.int, .flint, .float], int8: false, codeWidth: 8)
        #expect(q.activation.mantissaWidth == 8)
    }

    /// Spec §3's worked examples, K = 4608: int4s×uint4 → 21, flint4s×flint4u → 24, pot4s×pot4u → 34.
    @Test func minimumWidthMatchesTheSpecExamples() {
        #expect(ArrayParameters.minimumAccumulatorWidth(maxProduct: Magnitude(mantissa: 120, exponent: 0), reduction: 4608) == 21)
        #expect(ArrayParameters.minimumAccumulatorWidth(maxProduct: Magnitude(mantissa: 1024, exponent: 0), reduction: 4608) == 24)
        #expect(ArrayParameters.minimumAccumulatorWidth(maxProduct: Magnitude(mantissa: 1, exponent: 20), reduction: 4608) == 34)
        // The same numbers from the decode tables: P_max is the product of the two
        // streams' largest magnitudes, here with single-type arrays.
        let pot = try? arrayParameters(4, 4, act: [.pot], accumulatorWidth: 32, int8: false)
        // Unsigned pot4 reaches 2^14 on both sides at run time: 2^28, K = 4608 → 13 + 28 + 1.
        #expect(pot?.minimumAccumulatorWidth == 42)
        let int4 = try? arrayParameters(4, 4, act: [.int], accumulatorWidth: 32, int8: false)
        // uint4 × uint4: 225 · 4608 = 1,036,800 < 2^20 → 21 bits.
        #expect(int4?.minimumAccumulatorWidth == 21)
    }

    @Test func theTypeSelectorIsTheDocumentedContract() {
        // docs/architecture.md: cfg_*_type / type_sel are 2 bits, 0 int, 1 flint, 2 pot, 3 float.
        #expect(AntType.selectorWidth == 2)
        let codes: [AntType: Int] = [.int: 0, .flint: 1, .pot: 2, .float: 3]
        for type in AntType.allCases {
            #expect(type.rawValue == codes[type], "\(type)")
            #expect(type.rawValue < 1 << AntType.selectorWidth, "\(type)")
        }
    }

    @Test func theDecodedWidthsAreTheSpecTable() throws {
        // Spec §2, "Decoded widths": 4-bit int 4 b/E 0, flint 3 b/0…4, pot 1 b/0…14, float 2 b/0…6.
        let cases: [(AntType, Int, Int)] = [(.int, 4, 0), (.flint, 3, 4), (.pot, 1, 14), (.float, 2, 6)]
        for (type, mant, maxExp) in cases {
            let f = OperandFormat(codeWidth: 4, types: [type], int8: false)
            #expect(f.mantissaWidth == mant, "\(type)")
            #expect(f.maxExponent == maxExp, "\(type)")
        }
        // Every 4-bit type fits one unified operand s, M[3:0], E[3:0]; int8 needs nothing wider.
        let all = OperandFormat(codeWidth: 4, types: AntType.allCases, int8: true)
        #expect(all.mantissaWidth == 4 && all.exponentWidth == 4 && all.codeInputWidth == 8)
        // int alone with int8: E holds the nibble shift 4 → 3 bits.
        #expect(OperandFormat(codeWidth: 4, types: [.int], int8: true).exponentWidth == 3)
    }

    @Test func warnsWhenWIsBelowTheMinimum() throws {
        let narrow = try arrayParameters(4, 4, act: [.int], accumulatorWidth: 20, int8: false)
        #expect(narrow.minimumAccumulatorWidth == 21)
        let warning = try #require(narrow.accumulatorWarning)
        #expect(warning.contains("20") && warning.contains("21"))
        #expect(try arrayParameters(4, 4, act: [.int], accumulatorWidth: 21, int8: false).accumulatorWarning == nil)
    }

    @Test func throughputOfThePrecisionPairs() {
        let pairs: [(OperandPrecision, OperandPrecision, String, Double)] = [
            (.native, .native, "4x4", 1024), (.int8, .native, "8x4", 512), (.native, .int8, "4x8", 512), (.int8, .int8, "8x8", 256)]
        for (a, w, label, macs) in pairs {
            let pair = PrecisionPairThroughput(activation: a, weight: w)
            #expect(pair.label(codeWidth: 4) == label)
            #expect(pair.macsPerCycle(rows: 32, cols: 32) == macs)
        }
    }
}
