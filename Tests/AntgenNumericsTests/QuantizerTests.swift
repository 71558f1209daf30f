import Testing
@testable import AntgenNumerics

@Suite("Quantizer behaviour (spec §4)")
struct QuantizerTests {
    private func run(_ values: [Double], shape: [Int], _ options: QuantizerOptions) throws -> QuantizationResult {
        try AntQuantizer(options: options).quantize(try Tensor(shape: shape, float64: values))
    }

    @Test("strict minimum: the first of equal minima wins")
    func firstMinimumWins() throws {
        // Unsigned int4 (q_max 15), base 1: ratios 100 (1 → 15) and 125 (1 → 12, 1.25·12/15 = 1)
        // both give zero error; ratios below 100 clamp and err. The first, 100, must win.
        let result = try run([1, 0, 0, 0], shape: [4], QuantizerOptions(mode: "int", role: .activation))
        #expect(result.alphas == [1.0])
        #expect(result.meanSquaredError == 0)
        #expect(result.codes == [15, 0, 0, 0])
    }

    @Test("ties go to the larger grid value")
    func tiesToLarger() throws {
        // Signed pot4 at α = 64 = q_max: units are the data. −3 lies midway between −4 and −2,
        // 48 between 32 and 64, 0.5 between 0 and 1.
        let options = QuantizerOptions(mode: "pot", ratioPercents: 100 ..< 101)
        let result = try run([64, -3, 48, 0.5], shape: [1, 4], options)
        #expect(result.dequantized.doubles == [64, -2, 64, 1])
        #expect(result.codes == [0b0111, 0b1010, 0b0111, 0b0001])
    }

    @Test("values beyond the ends clamp")
    func clamping() throws {
        // Signed int4, base 4, ratio 75: α = 3; 4 · 7/3 > 7 clamps to 7 (α) and
        // −4 · 7/3 < −8 clamps to −8 (the two's complement end), −24/7.
        let result = try run([4, -4, 1], shape: [1, 3], QuantizerOptions(mode: "int", ratioPercents: 75 ..< 76))
        #expect(result.alphas == [3])
        let values = result.dequantized.doubles
        #expect(values[0] == 3)
        #expect(values[1] == -24.0 / 7)
        #expect(result.codes[0] == 7 && result.codes[1] == 0b1000) // 7 and −8
        #expect(result.codes[2] == 2) // 1 · 7/3 = 2.33 → 2
    }

    @Test("an all-zero channel quantizes to zero with α 0")
    func allZeroChannel() throws {
        let result = try run([0, 0, 0, 1, -1, 0.5], shape: [2, 3], QuantizerOptions())
        #expect(result.alphas[0] == 0)
        #expect(result.channelMaxima == [0, 1])
        #expect(Array(result.dequantized.doubles.prefix(3)) == [0, 0, 0])
        #expect(Array(result.codes.prefix(3)) == [0, 0, 0])
        #expect(result.candidates.allSatisfy { $0.score!.isFinite })
        let zeros = try run([0, 0, 0, 0], shape: [4], QuantizerOptions(role: .activation))
        #expect(zeros.meanSquaredError == 0 && zeros.relativeError == 0 && zeros.chosenType.name == "int")
    }

    @Test("above 6 bits the type is int and ratios start at 95")
    func eightBits() throws {
        var generator = SeededGenerator(seed: 8)
        let values = (0 ..< 512).map { _ in generator.gaussian() }
        let options = QuantizerOptions(bits: 8, mode: "ant-flint-pot")
        #expect(options.effectiveRatioPercents == 95 ..< 150)
        let result = try run(values, shape: [4, 128], options)
        #expect(result.chosenType.name == "int")
        #expect(result.chosenFormat == (try format(.int, 8, signed: true)))
        #expect(result.candidates.map(\.type.name) == ["int"])
        for (alpha, base) in zip(result.alphas, result.channelMaxima) {
            #expect(alpha >= base * 0.95 && alpha <= base * 1.49 + 1e-12)
        }
        #expect(QuantizerOptions(bits: 6).effectiveRatioPercents == 75 ..< 150)
    }

    @Test("signedness: weights always, activations only with a negative value")
    func signedness() throws {
        #expect(try run([1, 2, 3, 4], shape: [2, 2], QuantizerOptions()).isSigned)
        #expect(!(try run([1, 2, 3, 0], shape: [4], QuantizerOptions(role: .activation))).isSigned)
        #expect(try run([1, 2, -3, 0], shape: [4], QuantizerOptions(role: .activation)).isSigned)
    }

    @Test("granularity: α per first-axis channel for weights, one for activations")
    func granularity() throws {
        let values = (0 ..< 24).map { Double($0 % 7) - 3 }
        #expect(try run(values, shape: [4, 3, 2], QuantizerOptions()).alphas.count == 4)
        #expect(try run(values, shape: [4, 3, 2], QuantizerOptions(role: .activation)).alphas.count == 1)
    }

    @Test("equal scores go to the earliest type in the fixed order")
    func typeTieRule() throws {
        var generator = SeededGenerator(seed: 3)
        let values = (0 ..< 256).map { _ in generator.gaussian() }
        // Signed 4-bit float eb3 is the pot grid; float3 is float.
        let potFloat = try run(values, shape: [4, 64], QuantizerOptions(mode: "ant-float-pot"))
        #expect(potFloat.candidates[0].score == potFloat.candidates[1].score)
        #expect(potFloat.chosenType.name == "pot")
        let floats = try run(values, shape: [4, 64], QuantizerOptions(mode: "ant-float3-float"))
        #expect(floats.chosenType.name == "float")
    }

    @Test("the lowest score wins and the report is consistent")
    func selection() throws {
        var generator = SeededGenerator(seed: 5)
        let values = (0 ..< 2048).map { _ in generator.gaussian() }
        let result = try run(values, shape: [16, 128], QuantizerOptions(mode: "ant-int-flint-pot-float-float1-float2-apot"))
        let scores = result.candidates.compactMap(\.score)
        let best = try #require(scores.min())
        #expect(result.candidates.first { $0.score == best }?.type == result.chosenType)
        #expect(abs(result.meanSquaredError - best / 16) <= 1e-15 * best)
        // The reported MSE is the MSE of the dequantised output.
        let output = result.dequantized.doubles
        let direct = zip(values, output).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(values.count)
        #expect(abs(direct - result.meanSquaredError) <= 1e-12 * direct)
    }

    @Test("results do not depend on the thread count")
    func deterministicAcrossThreads() throws {
        var generator = SeededGenerator(seed: 11)
        let values = (0 ..< 3000).map { _ in Float(generator.gaussian()) }
        let tensor = try Tensor(shape: [30, 100], float32: values)
        let one = try AntQuantizer(options: QuantizerOptions(threadCount: 1)).quantize(tensor)
        let many = try AntQuantizer(options: QuantizerOptions(threadCount: 7)).quantize(tensor)
        #expect(one.candidates == many.candidates)
        #expect(one.alphas == many.alphas && one.codes == many.codes && one.dequantized == many.dequantized)
    }

    @Test("codes decode back to the dequantised values")
    func codesMatchValues() throws {
        var generator = SeededGenerator(seed: 12)
        let values = (0 ..< 600).map { _ in generator.gaussian() }
        for mode in ["int", "flint", "pot", "float", "apot"] {
            let result = try run(values, shape: [6, 100], QuantizerOptions(mode: mode))
            let format = result.chosenFormat
            for index in values.indices {
                let alpha = result.alphas[index / 100]
                let units = try format.decodeUnits(code: Int(result.codes[index]))
                #expect(result.dequantized[index] == (alpha * units) / format.maxPositiveUnits, "\(mode) \(index)")
            }
        }
    }

    @Test("mode strings")
    func modes() throws {
        #expect(try candidateTypes(forMode: "ant-int-pot-flint").map(\.name) == ["int", "flint", "pot"])
        #expect(try candidateTypes(forMode: "ant-float2").map(\.name) == ["float2"])
        #expect(try candidateTypes(forMode: "ant-float2", referenceMatching: true).map(\.name) == ["float", "float2"])
        #expect(try candidateTypes(forMode: "flint").map(\.name) == ["flint"])
        #expect(throws: ModeError.self) { try candidateTypes(forMode: "ant-int-posit") }
        #expect(throws: ModeError.self) { try candidateTypes(forMode: "ant-") }
        #expect(throws: ModeError.self) { try candidateTypes(forMode: "int-pot") }
    }

    @Test("invalid input is rejected")
    func errors() throws {
        let quantizer = AntQuantizer()
        #expect(throws: QuantizerError.emptyTensor) { try quantizer.quantize(try Tensor(shape: [0, 3], float32: [])) }
        #expect(throws: QuantizerError.nonFiniteValue(index: 1, value: .infinity)) {
            try quantizer.quantize(try Tensor(shape: [2], float64: [1, .infinity]))
        }
        #expect(throws: QuantizerError.self) { try quantizer.quantize(try Tensor(shape: [2], float64: [.nan, 1])) }
        #expect(throws: QuantizerError.unsupportedBitWidth(9)) {
            try AntQuantizer(options: QuantizerOptions(bits: 9)).quantize(try Tensor(shape: [1], float64: [1]))
        }
        #expect(throws: QuantizerError.invalidRatioRange(0 ..< 10)) {
            try AntQuantizer(options: QuantizerOptions(ratioPercents: 0 ..< 10)).quantize(try Tensor(shape: [1], float64: [1]))
        }
        let noCandidate = Result { try AntQuantizer(options: QuantizerOptions(bits: 2, mode: "ant-flint-apot")).quantize(try Tensor(shape: [1], float64: [1])) }
        guard case .failure(let error as QuantizerError) = noCandidate, case .noValidCandidate = error else {
            Issue.record("expected noValidCandidate, got \(noCandidate)")
            return
        }
        #expect(error.description.contains("flint"))
        #expect(throws: Tensor.ShapeError.self) { try Tensor(shape: [2, 2], float32: [1]) }
    }

    @Test("invalid candidates are skipped when another is valid")
    func skippedCandidates() throws {
        let result = try run([1, -1, 0.5, 0.25], shape: [1, 4], QuantizerOptions(mode: "ant-int-float4"))
        #expect(result.candidates[1].type.name == "float4" && result.candidates[1].score == nil)
        #expect(result.candidates[1].skippedBecause?.contains("exponent bits") == true)
        #expect(result.chosenType.name == "int")
    }
}
