import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
import Foundation
import Testing

/// `antgen run`'s engine on the RTL: a whole GEMM through ONE streaming Verilator process
/// (and Icarus's streaming testbench), bit-exact with the reference, cycles as documented
/// (docs/run.md: an isolated tile takes K·T + 2R + C cycles; back-to-back tiles with
/// K·T ≥ R add K·T each), and a named mutant caught.
@Suite(.serialized) struct GemmRunTests {
    static func operands(m: Int, k: Int, n: Int, act: OperandMode, weight: OperandMode, seed: UInt64) throws -> (QuantizedMatrix, QuantizedMatrix) {
        var rng = SplitMix64(seed: seed)
        let actLimit: UInt64 = act.int8 ? 256 : 16, weightLimit: UInt64 = weight.int8 ? 256 : 16
        let a = try QuantizedMatrix(rows: m, cols: k, codes: (0..<(m * k)).map { _ in UInt8(rng.next() % actLimit) }, mode: act, scales: [1])
        let w = try QuantizedMatrix(rows: k, cols: n, codes: (0..<(k * n)).map { _ in UInt8(rng.next() % weightLimit) }, mode: weight, scales: [1])
        return (a, w)
    }

    /// 3 × 4 array, 7 × 11 × 6 GEMM (padding in M and N: 3 × 2 = 6 tiles) in flint4s × pot4u
    /// on Verilator, then int8s × int4s (T = 2) and int8 × int8 (T = 4) in one process each.
    @Test func wholeGemmIsBitExactWithDocumentedCycles() throws {
        let p = try parameters(3, 4, act: [.int, .flint, .pot])
        let runner = GemmRunner(parameters: p, cacheDirectory: sharedCache)
        let model = try runner.goldenModel()
        let pairs: [(OperandMode, OperandMode)] = [
            (OperandMode(type: .flint, signed: true), OperandMode(type: .pot, signed: false)),
            (OperandMode(type: .int, signed: true, int8: true), OperandMode(type: .int, signed: true)),
            (OperandMode(type: .int, signed: false, int8: true), OperandMode(type: .int, signed: true, int8: true)),
        ]
        for (index, (act, weight)) in pairs.enumerated() {
            let (a, w) = try Self.operands(m: 7, k: 11, n: 6, act: act, weight: weight, seed: UInt64(index + 1))
            var progress: [Int] = []
            let outcome = try runner.run(a: a, w: w, simulator: .verilator) { done, _ in progress.append(done) }
            #expect(outcome.mismatches.isEmpty, "\(act) × \(weight): \(outcome.mismatches.prefix(3))")
            #expect(outcome.protocolErrors.isEmpty)
            #expect(outcome.comparedElements == 6 * 12)
            #expect(progress == Array(1...6))
            // Independent of the simulator: the brute-force GEMM of the decoded values.
            for i in 0..<7 {
                for j in 0..<6 {
                    var sum = 0
                    for kk in 0..<11 {
                        sum += model.value(of: UInt64(a.codes[i * 11 + kk]), mode: act) * model.value(of: UInt64(w.codes[kk * 6 + j]), mode: weight)
                    }
                    #expect(model.signedValue(outcome.results[i * 6 + j]) == Int64(sum))
                }
            }
            let t = act.terms * weight.terms
            #expect(outcome.tileCycles.allSatisfy { $0 == 11 * t + 2 * 3 + 4 }, "\(outcome.tileCycles)")
            #expect(outcome.cycles == 6 * 11 * t + 2 * 3 + 4)
        }
    }

    /// K·T < R: tiles' last steps are R cycles apart, so n tiles take
    /// (n − 1)·R + K·T + 2R + C cycles (3 × 4 array, K = 2, 2 tiles: 3 + 2 + 6 + 4), and a
    /// tile after the first takes 3R + C (it waits R − K·T cycles for the drain).
    @Test func shortReductionsWaitForTheDrain() throws {
        let p = try parameters(3, 4, act: [.int, .flint, .pot])
        let runner = GemmRunner(parameters: p, cacheDirectory: sharedCache)
        let (a, w) = try Self.operands(m: 3, k: 2, n: 8, act: OperandMode(type: .int, signed: true),
                                       weight: OperandMode(type: .int, signed: false), seed: 4)
        let outcome = try runner.run(a: a, w: w, simulator: .verilator)
        #expect(outcome.mismatches.isEmpty)
        #expect(outcome.tileCycles == [2 + 6 + 4, 3 * 3 + 4], "\(outcome.tileCycles)")
        #expect(outcome.cycles == 3 + 2 + 2 * 3 + 4)
    }

    /// Icarus's streaming testbench answers the same results and the same cycle counts.
    @Test func icarusStreamAgreesWithVerilator() throws {
        try SimulatorTools.standard.require(.icarus)
        let p = try parameters(3, 4, act: [.int, .flint, .pot])
        let runner = GemmRunner(parameters: p, cacheDirectory: sharedCache)
        let (a, w) = try Self.operands(m: 4, k: 2, n: 6, act: OperandMode(type: .flint, signed: false),
                                       weight: OperandMode(type: .int, signed: true, int8: true), seed: 9)
        let v = try runner.run(a: a, w: w, simulator: .verilator)
        let i = try runner.run(a: a, w: w, simulator: .icarus)
        #expect(v.mismatches.isEmpty && i.mismatches.isEmpty)
        #expect(v.results == i.results)
        #expect(v.tileCycles == i.tileCycles && v.cycles == i.cycles)
        // K·T = 4 ≥ R = 3: 2 × 2 = 4 tiles back to back.
        #expect(v.cycles == 4 * 4 + 2 * 3 + 4)
    }

    /// The PE that ignores the sign (named mutant pe-sign) disagrees with the reference, and
    /// the reproducer file holds the failing tile with the reference's values.
    @Test func mutantIsCaughtWithAReproducer() throws {
        // The configuration MutationTests builds this mutant for (shared cache entry).
        let p = try parameters(3, 3, act: AntType.allCases, w: 16)
        let runner = GemmRunner(parameters: p, cacheDirectory: sharedCache, mutant: .named(.peSign))
        let (a, w) = try Self.operands(m: 2, k: 5, n: 2, act: OperandMode(type: .int, signed: true),
                                       weight: OperandMode(type: .int, signed: true), seed: 3)
        let outcome = try runner.run(a: a, w: w, simulator: .verilator)
        #expect(!outcome.mismatches.isEmpty)
        let file = try runner.reproducer(tile: 0, a: a, w: w)
        let tile = file.cases[0].expected
        #expect(file.cases.count == 1 && file.cases[0].reduction == 5 && file.cases[0].a[0].count == 3)
        // The 2 × 2 GEMM sits in the top-left of the 3 × 3 tile; padding expects 0.
        let reference = GemmReference.expected(try runner.goldenModel(), a: a, w: w)
        #expect(tile[0][0] == reference[0] && tile[0][1] == reference[1] && tile[1][0] == reference[2] && tile[1][1] == reference[3])
        #expect(tile[2] == [0, 0, 0] && tile[0][2] == 0)
    }
}
