import AntgenArrays
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// `--array fpint` through the registry: specials bit-exact on both simulators, the named
/// defects caught by verify, bad input as one line, the golden layer path.
@Suite struct FpIntVariantTests {
    static let small = FpIntVariant.Configuration(rows: 2, cols: 2, lanes: 3, shiftCapacity: 4)

    /// Hand-picked FP16 and E4M3 tiles: NaN, ±Inf, +Inf with −Inf, ∞ × 0, signed zeros
    /// (an all −0 tile gives −0), subnormals, products exactly S, 2S and 2S + 1 binades apart,
    /// overflow to Inf, and an idle-lane group (K = 4 on N = 3).
    static func specialTiles() -> [FpIntTile] {
        let h = { (v: Double) in try! FpIntFloatFormat.fp16.encode(v, cast: false) }
        let e = { (v: Double) in try! FpIntFloatFormat.fp8e4m3.encode(v, cast: false) }
        let nan16 = 0x7E00, inf16 = 0x7C00, ninf16 = 0xFC00, sub16 = 0x0001
        let one = h(1), mz = h(-0.0)
        let rows: [[[Int]]] = [
            [[nan16, one, one, one], [one, one, one, one]],
            [[inf16, one, one, one], [ninf16, h(2), one, one]],
            [[inf16, ninf16, one, one], [inf16, one, one, one]],
            [[mz, mz, mz, mz], [h(0.0), mz, mz, mz]],
            [[sub16, sub16, 0x0400, one], [h(-1), sub16, 0x03FF, one]],
            [[one, h(1.0 / 16), h(1.0 / 256), h(1.0 / 512)], [h(65504), h(65504), h(-3), h(0.5)]],
        ]
        let cols: [[[Int]]] = [
            [[one, one, one, one], [one, h(-1), one, one]],
            [[one, one, one, one], [h(0.0), one, one, one]],
            [[one, one, one, one], [one, one, one, one]],
            [[h(0.0), h(0.0), h(0.0), h(0.0)], [h(0.0), h(0.0), h(0.0), mz]],
            [[sub16, one, sub16, h(-2)], [0x03FF, 0x1400, one, one]],
            [[one, one, one, one], [h(65504), h(1.0 / 256), one, h(-1)]],
        ]
        var tiles = zip(rows, cols).map { FpIntTile(format: .fp16, a: $0.0, w: $0.1) }
        tiles.append(FpIntTile(format: .fp8e4m3, a: [[0x7F, e(1), e(448), e(-0.0)], [e(448), e(448), e(0.001953125), e(1)]],
                               w: [[e(1), e(1), e(448), e(-0.0)], [e(-0.0), e(448), e(0.001953125), e(2)]]))
        return tiles
    }

    @Test func specialValuesAreBitExactOnBothSimulators() throws {
        let variant = try FpIntVariant(Self.small, dataflow: .os)
        // The expectations themselves come from the reference; pin a few by hand first.
        let unit = variant.parameters.unit
        let tiles = Self.specialTiles()
        #expect(try tiles[0].expected(row: 0, col: 0, unit: unit) == 0x7FC0_0000)   // NaN operand
        #expect(try tiles[1].expected(row: 1, col: 1, unit: unit) == 0x7FC0_0000)   // −Inf × 0
        #expect(try tiles[1].expected(row: 0, col: 0, unit: unit) == 0x7F80_0000)   // +Inf
        #expect(try tiles[2].expected(row: 0, col: 0, unit: unit) == 0x7FC0_0000)   // +Inf and −Inf
        #expect(try tiles[3].expected(row: 0, col: 0, unit: unit) == 0x8000_0000)   // every product −0
        #expect(try tiles[3].expected(row: 1, col: 1, unit: unit) == 0x0000_0000)   // +0 products among them
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-fpint-sp-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for r in try FpIntVerification(parameters: variant.parameters, tiles: tiles).run(on: [.verilator, .icarus], in: dir) {
            #expect(r.passed, "\(r.simulator): \(r.problems.prefix(3))")
        }
    }

    @Test(arguments: FpIntMutant.allCases)
    func namedDefectIsCaughtByVerify(_ mutant: FpIntMutant) throws {
        let variant = try FpIntVariant(Self.small, dataflow: .os)
        let request = VerifyRequest(cases: 60, seed: 1, simulators: [.icarus])
        #expect(try variant.verify(request, defect: nil).passed)
        let outcome = try variant.verify(request, defect: mutant)
        #expect(!outcome.passed, "\(mutant) survived")
    }

    @Test func badInputIsOneLine() throws {
        func message(_ c: FpIntVariant.Configuration) -> String? {
            do { _ = try FpIntVariant(c, dataflow: .os); return nil } catch { return "\(error)" }
        }
        #expect(message(.init(lanes: 0)) == "invalid fpint configuration: N = 0 lanes is out of range (1…64)")
        #expect(message(.init(shiftCapacity: 0)) == "invalid fpint configuration: S = 0 is out of range (1…24)")
        #expect(message(.init(formats: [.int8], layerFormat: .fp16))?.contains("is not carried by this build") == true)
        #expect(throws: VariantError.self) { try FpIntVariant(Self.small, dataflow: .ws) }
        // run refuses values the format cannot hold when told they are representable.
        var exact = Self.small
        exact.cast = false
        let layer = try FloatLayer(m: 1, k: 2, n: 1, a: [0.1, 1], w: [1, 1])
        #expect(throws: VariantError.self) { try FpIntVariant(exact, dataflow: .os).computeLayer(layer, precision: .standard, weights: nil) }
        #expect(throws: VariantError.self) { try FpIntVariant(Self.small, dataflow: .os).computeLayer(layer, precision: .uniform(activationBits: 8, weightBits: 8), weights: nil) }
    }

    @Test func computeLayerCastsAndMatchesTheReference() throws {
        let variant = try FpIntVariant(Self.small, dataflow: .os)
        let a = [0.1, -2.5, 3.0, 1e-6, 7.0], w = [1.0, 0.5, -0.25, 1000, 2.0, 0.1, -3, 0.3, 1, -1]
        let layer = try FloatLayer(m: 1, k: 5, n: 2, a: a, w: w)
        let out = try variant.computeLayer(layer, precision: .standard, weights: nil).output
        let codes = { (x: [Double]) in try FpIntDotProduct.codes(x, format: .fp16, cast: true) }
        for j in 0 ..< 2 {
            let column = (0 ..< 5).map { w[$0 * 2 + j] }
            let want = try FpIntDotProduct.dot(a: try codes(a), b: try codes(column), format: .fp16, unit: variant.parameters.unit)
            #expect(out[j] == Double(want))
        }
    }
}
