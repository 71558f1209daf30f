import AntgenNumerics
import Foundation
import Testing
@testable import AntgenGolden

/// The `antgen pwlq-report` studies on small self-made layers (docs/pwlq.md).
@Suite("PWLQ report studies")
struct PwlqLayerStudyTests {
    /// A seeded Gaussian tensor.
    private func gaussian(_ shape: [Int], seed: UInt64, scale: Double = 1) throws -> Tensor {
        var generator = SplitMix64(seed: seed)
        return try Tensor(shape: shape, float64: (0 ..< shape.reduce(1, *)).map { _ in scale * generator.gaussian() })
    }

    @Test("one K = 2 split by hand: A1 = 381 leaves pass 1 as the 12-bit code of 380")
    func handComputedSplit() throws {
        // m = 1, p = 0.5 (ratio 0.5): w0 = 3·s1 (centre, q 3), w1 = m (tail, q 7).
        let s1 = 0.5 / 7
        let weight = try Tensor(shape: [1, 2], float64: [3 * s1, 1])
        let x = try Tensor(shape: [1, 2], float64: [67, 0])
        let layer = try PwlqLayer(activations: x, weight: weight, activationBits: 8)
        #expect(layer.integerActivations == [[127, 0]] && abs(layer.activationScale - 67.0 / 127) < 1e-15)
        let result = try PwlqQuantizer(options: PwlqOptions(bits: 4, breakpoint: .fixedRatio(0.5))).quantize(weight)
        #expect(result.codes == [3, 1 << 4 | 7])
        let splits = try PwlqLayerStudy.passSplits(layer, result: result, passCounts: [1, 2])
        // One pass: no encoding, no traffic, exact.
        #expect(splits[0].encodings == 0 && splits[0].relativeError == 0 && splits[0].bytesExact == 0)
        // Two passes: pass 1 ends with A1 = 127·3 = 381 = 0b1_0111_1101; 7 significant bits
        // keep 0b1011111 (95) · 4 = 380 (the dropped 01 is below half). A2 = A3 = 0.
        let two = splits[1]
        #expect(two.encodings == 3 && two.exactEncodings == 2)
        #expect(abs(two.relativeError - 1.0 / 381) < 1e-12)
        #expect(abs(two.maxRelativeCodecError - 1.0 / 381) < 1e-12)
        #expect(two.maxBoundFraction == 0.5 && two.boundViolations == 0 && two.largestEncodedMagnitude == 381)
        // 1 boundary × 1 output × 3 fields × (out + in): 24 bytes at 32 bits, 9 at 12 bits.
        #expect(two.bytesExact == 24 && two.bytesCoded == 9)
    }

    @Test("small sums (|S| ≤ 127) cross the passes exactly")
    func smallSumsAreExact() throws {
        let weight = try gaussian([3, 8], seed: 11)
        // s_x = 7/7 = 1, so X = x: |A1|, |A2| ≤ 7·7 + 7·1·7 = 98 and |A3| ≤ 14 in any pass.
        let x = try Tensor(shape: [2, 8], float64: [7, -1, 1, 0, 1, 1, -1, 1, 0, 1, 1, -1, 1, 1, 0, -1])
        let layer = try PwlqLayer(activations: x, weight: weight, activationBits: 4)
        let result = try PwlqQuantizer().quantize(weight)
        for split in try PwlqLayerStudy.passSplits(layer, result: result, passCounts: [2, 4, 8]) {
            #expect(split.relativeError == 0 && split.finalEncodedRelativeError == 0)
            #expect(split.exactEncodings == split.encodings && split.encodings == (split.passes - 1) * 2 * 3 * 3)
        }
    }

    @Test("large sums stay within the codec's bound, and traffic is 12/32")
    func boundHoldsOnLargeSums() throws {
        let weight = try gaussian([16, 96], seed: 5)
        let x = try gaussian([12, 96], seed: 6)
        let layer = try PwlqLayer(activations: x, weight: weight)
        let result = try PwlqQuantizer(options: PwlqOptions(breakpoint: .gridSearch)).quantize(weight)
        let splits = try PwlqLayerStudy.passSplits(layer, result: result, passCounts: [2, 4, 8])
        for split in splits {
            #expect(split.boundViolations == 0 && split.maxBoundFraction <= 1)
            #expect(split.maxRelativeCodecError <= 1.0 / 128)
            #expect(split.largestEncodedMagnitude > 127 && split.exactEncodings < split.encodings)
            #expect(split.relativeError > 0 && split.relativeError < 0.05)
            #expect(split.bytesCoded * 32 == split.bytesExact * 12)
        }
        #expect(throws: PwlqStudyError.passes(97, reduction: 96)) { try PwlqLayerStudy.passSplits(layer, result: result, passCounts: [97]) }
    }

    @Test("the K split is the array's golden preload/codec chain (PwlqGoldenCase.outputRow)")
    func splitMatchesGoldenPreloadChain() throws {
        let weight = try gaussian([4, 24], seed: 41), x = try gaussian([3, 24], seed: 42)
        let layer = try PwlqLayer(activations: x, weight: weight)
        let result = try PwlqQuantizer().quantize(weight)
        let columns = layer.codeColumns(result)
        // Three passes of K = 8 through the golden model of the array's preload and codec:
        // each pass preloads the previous pass's 12-bit output codes.
        var preload: [[UInt64]]?
        var totals: [[UInt64]] = []
        for pass in 0 ..< 3 {
            let range = 8 * pass ..< 8 * pass + 8
            let codes = range.map { k in (0 ..< 3).map { i in layer.integerActivations[i][k] & 0xFF } }
            var tile = PwlqGoldenCase(activationCodes: codes, weightCodes: Array(columns[range]), signed: true, int8: true, accumulatorWidth: 32)
            tile.preload = preload
            let model = try PartialSumModel(sumWidth: 32, codec: true)
            let rows = (0 ..< 3).map { tile.outputRow($0, cols: 4, model: model) }
            preload = rows.map { $0.codes.map(UInt64.init) }
            totals = rows.map(\.totals)
        }
        var sums = PwlqTileSums(activations: layer.integerActivations, weights: columns, accumulatorWidth: 32)
        let exact = sums.combine(channels: result.channels, activationScale: layer.activationScale, width: 32).flatMap { $0 }
        sums.centre = totals.map { row in (0 ..< 4).map { row[3 * $0] } }
        sums.tail = totals.map { row in (0 ..< 4).map { row[3 * $0 + 1] } }
        sums.offset = totals.map { row in (0 ..< 4).map { row[3 * $0 + 2] } }
        let chained = sums.combine(channels: result.channels, activationScale: layer.activationScale, width: 32).flatMap { $0 }
        let split = try PwlqLayerStudy.passSplits(layer, result: result, passCounts: [3])[0]
        #expect(split.relativeError > 0)
        #expect(split.relativeError == PwlqLayerStudy.relativeError(chained, to: exact))
    }

    @Test("the integer path equals the float product of the dequantised operands")
    func integerPathMatchesFloat() throws {
        let weight = try gaussian([5, 24], seed: 21, scale: 0.05)
        let x = try gaussian([4, 24], seed: 22, scale: 3)
        let layer = try PwlqLayer(activations: x, weight: weight)
        let (result, output) = try PwlqLayerStudy.pwlq(layer, rule: .closedForm(.gaussian))
        let xs = layer.integerActivations.flatMap { $0.map { Double($0) * layer.activationScale } }
        let w = result.dequantized.doubles
        for t in 0 ..< 4 {
            for n in 0 ..< 5 {
                let y = (0 ..< 24).reduce(0.0) { $0 + xs[t * 24 + $1] * w[n * 24 + $1] }
                #expect(abs(output[t * 5 + n] - y) <= 1e-12 * max(1, abs(y)))
            }
        }
        let schemes = try PwlqLayerStudy.schemes(layer)
        #expect(schemes.map(\.scheme).prefix(3) == ["pwlq4 closed-form", "pwlq4 search", "uniform4"])
        #expect(schemes.allSatisfy { $0.sqnr.isFinite && $0.sqnr > 0 && $0.sqnrFloatActivations.isFinite })
    }

    @Test("the tensor table: PWLQ against uniform on Gaussian weights, and its summary line")
    func tensorTable() throws {
        let weight = try gaussian([8, 256], seed: 3)
        let row = try PwlqLayerStudy.compare(name: "w", weight: weight)
        // Lemma 2: at its optimum PWLQ's error is well below uniform's on Gaussian data.
        #expect(row.closedFormMSE < 0.6 * row.uniformMSE && row.searchMSE < 0.6 * row.uniformMSE)
        #expect(row.closedFormMaxRatio < 0.5 && row.closedFormCentreFraction > 0.5)
        let table = PwlqReportTables.tensors([row], bits: 4)
        #expect(table.contains("| w | 8×256 |") && table.contains("closed form 1 of 1 tensors"))
    }

    @Test("bad layers are one clear error")
    func badLayers() throws {
        let w = try Tensor(shape: [2, 3], float64: [1, 2, 3, 4, 5, 6])
        #expect(throws: PwlqStudyError.shapes(weight: "[2, 3]", activation: "[1, 4]")) {
            try PwlqLayer(activations: try Tensor(shape: [1, 4], float64: [1, 2, 3, 4]), weight: w)
        }
        #expect(throws: PwlqStudyError.activationBits(6)) {
            try PwlqLayer(activations: try Tensor(shape: [1, 3], float64: [1, 2, 3]), weight: w, activationBits: 6)
        }
    }
}
