import Foundation
import Testing
@testable import AntgenNumerics

/// Expected results of the reference's float32 sequence, computed by the numpy emulation in
/// Fixtures/make_compat_fixture.py (independent of this package).
private struct CompatExpectation: Decodable {
    let file: String
    let scores: [String: Double]
    let chosen: String
    let alphas: [Double]
}

private func fixturePath(_ name: String) throws -> String {
    let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return folder.appendingPathComponent(name).path
}

@Suite("Compat mode: the reference's float32 sequence")
struct CompatTests {
    @Test("type, scores and α agree with the numpy emulation of the reference")
    func matchesReferenceEmulation() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try fixturePath("compat_expected.json")))
        let cases = try JSONDecoder().decode([CompatExpectation].self, from: data)
        #expect(cases.count == 2)
        for expectation in cases {
            let tensor = try NpyFile.read(atPath: try fixturePath(expectation.file)).tensor
            let isWeights = expectation.file.contains("weights")
            let types = TypeCandidate.all.filter { expectation.scores[$0.name] != nil }
            let mode = "ant-" + types.map(\.name).joined(separator: "-")
            let options = QuantizerOptions(mode: mode, role: isWeights ? .weight : .activation, arithmetic: .compat)
            let result = try AntQuantizer(options: options).quantize(tensor)
            #expect(result.chosenType.name == expectation.chosen, "\(expectation.file)")
            for candidate in result.candidates {
                #expect(candidate.score == expectation.scores[candidate.type.name], "\(expectation.file) \(candidate.type)")
            }
            #expect(result.alphas == expectation.alphas, "\(expectation.file)")
        }
    }

    @Test("float2/3/4 are scored with the eb = 1 grid during selection (decision 1)")
    func floatSelectionBug() throws {
        var generator = SeededGenerator(seed: 17)
        let values = (0 ..< 640).map { _ in Float(generator.gaussian()) }
        let tensor = try Tensor(shape: [10, 64], float32: values)
        let compat = try AntQuantizer(options: QuantizerOptions(mode: "ant-float1-float2-float3", arithmetic: .compat)).quantize(tensor)
        // The reference's substring test also enables float (eb 3). With the bug float1, float2
        // and float3 score identically (the eb = 1 grid), so float2 and float3 never beat float1.
        #expect(compat.candidates.map(\.type.name) == ["float", "float1", "float2", "float3"])
        let scores = compat.candidates.compactMap(\.score)
        #expect(scores[1] == scores[2] && scores[2] == scores[3])
        #expect(compat.chosenType.name == "float1")
        let exact = try AntQuantizer(options: QuantizerOptions(mode: "ant-float1-float2-float3")).quantize(tensor)
        #expect(Set(exact.candidates.compactMap(\.score)).count == 3)
    }

    @Test("a chosen float2 is re-searched with its correct grid")
    func finalGridIsCorrect() throws {
        var generator = SeededGenerator(seed: 18)
        let values = (0 ..< 320).map { _ in Float(generator.gaussian()) }
        let tensor = try Tensor(shape: [5, 64], float32: values)
        let result = try AntQuantizer(options: QuantizerOptions(mode: "float2", arithmetic: .compat)).quantize(tensor)
        #expect(result.chosenFormat == (try format(.float(exponentBits: 2), 4, signed: true)))
        // Every code must be an E2M1 code and decode (through the float32 grid) to the output.
        let grid = CompatGrid(format: result.chosenFormat)
        for index in values.indices {
            let k = result.chosenFormat.distinctValues.firstIndex(of: try result.chosenFormat.decodeUnits(code: Int(result.codes[index])))!
            let scale = Float(result.alphas[index / 64]) / grid.maxValue
            #expect(Float(result.dequantized[index]) == CompatArithmetic.dequantize(values[index], scale: scale, grid: grid).value)
            #expect(grid.values[k] == grid.values[CompatArithmetic.dequantize(values[index], scale: scale, grid: grid).index])
        }
    }

    @Test("an all-zero channel scores 1e10 like the reference, but outputs zeros")
    func allZeroChannel() throws {
        let values: [Float] = [0, 0, 0, 0, 0.5, -1, 0.25, 0.75]
        let result = try AntQuantizer(options: QuantizerOptions(arithmetic: .compat)).quantize(try Tensor(shape: [2, 4], float32: values))
        // 1e10 swamps every candidate's float32 sum, so all tie and int (first) wins.
        #expect(Set(result.candidates.compactMap(\.score)).count == 1)
        #expect(result.chosenType.name == "int")
        #expect(Array(result.dequantized.doubles.prefix(4)) == [0, 0, 0, 0])
        #expect(result.alphas[0] == 0)
    }

    @Test("the kernel's nearest rule: ties up, 0 past 102,400 and for NaN")
    func kernelRule() throws {
        let grid = CompatGrid(format: try format(.int, 4, signed: true))
        // Signed int4 grid normalised to max 10: units × fl(fl(1/7) · 10).
        let step = (1 / Float(7)) * 10
        #expect(grid.values[grid.nearestIndex(step * 0.5)] == step)
        #expect(grid.values[grid.nearestIndex(200_000)] == 0)
        #expect(grid.values[grid.nearestIndex(.nan)] == 0)
        #expect(grid.values[grid.nearestIndex(50)] == grid.maxValue)
    }

    @Test("compat uses the reference's substring mode matching")
    func substringModes() throws {
        let tensor = try Tensor(shape: [1, 4], float32: [1, -0.5, 0.25, 0.125])
        let result = try AntQuantizer(options: QuantizerOptions(mode: "ant-float2", arithmetic: .compat)).quantize(tensor)
        #expect(result.candidates.map(\.type.name) == ["float", "float2"])
        let exact = try AntQuantizer(options: QuantizerOptions(mode: "ant-float2")).quantize(tensor)
        #expect(exact.candidates.map(\.type.name) == ["float2"])
    }
}
