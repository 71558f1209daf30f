import AntgenGolden
import AntgenHardware
import AntgenNumerics
import Foundation
import Testing
@testable import AntgenHarness

/// The ANT array with the partial-sum stage (`--psum-preload`, `--psum-codec`) on both
/// simulators, a K split over two passes, and the stage's named mutants.
@Suite struct PartialSumVerificationTests {
    static let temporary = FileManager.default.temporaryDirectory

    static func parameters(rows: Int = 2, cols: Int = 3, width: Int = 16, int8: Bool = true, codec: Bool) throws -> ArrayParameters {
        try ArrayParameters(rows: rows, cols: cols, activationTypes: [.int, .flint, .pot], weightTypes: [.int, .pot, .float],
                            accumulatorWidth: width, int8: int8, preload: true, codec: codec)
    }

    @Test(arguments: [false, true])
    func antStageIsBitExactOnBothSimulators(codec: Bool) throws {
        let p = try Self.parameters(codec: codec)
        let results = try PartialSumVerification(parameters: p, cases: 12, seed: 5).run(on: [.verilator, .icarus], in: Self.temporary)
        #expect(results.count == 2)
        for r in results {
            #expect(r.passed, "\(r.simulator): \(r.problems.first ?? "")")
            #expect(r.cases == 15 && r.expectedRows == 30 && r.failedCases == 0)  // 12 random + 3 quantized tiles
        }
    }

    /// Signed int4 codes of small integers, with A (rows × K) and W (K × cols) as plain values.
    struct SplitGemm {
        let a: [[Int]], w: [[Int]]

        /// C over the reduction steps `steps`, plain integer arithmetic.
        func product(_ steps: Range<Int>) -> [[Int]] {
            a.map { row in w[0].indices.map { j in steps.reduce(0) { $0 + row[$1] * w[$1][j] } } }
        }

        /// The tile of steps `steps` with `expected` as given, codes as the int4 ports take them.
        func tile(_ steps: Range<Int>, width: Int) -> GoldenCase {
            let mode = OperandMode(type: .int, signed: true)
            let mask: UInt64 = (1 << UInt64(width)) - 1
            return GoldenCase(id: 0, source: "split", activation: mode, weight: mode,
                              a: steps.map { k in a.map { UInt64($0[k] & 0xF) } }, w: steps.map { k in w[k].map { UInt64($0 & 0xF) } },
                              expected: product(steps).map { $0.map { UInt64(bitPattern: Int64($0)) & mask } })
        }
    }

    /// Passes 1 and 2 of one GEMM (K = 16 as 8 + 8): pass 2 starts from pass 1's outputs.
    /// With W-bit partial sums the final output is the full product exactly; with 12-bit
    /// codes it is within the codec's bound of it (pass 1's rounding), and the RTL agrees
    /// with the model bit for bit either way.
    @Test(arguments: [false, true])
    func kSplitOverTwoPassesAccumulates(codec: Bool) throws {
        let p = try Self.parameters(rows: 2, cols: 3, width: 16, int8: false, codec: codec)
        var rng = SplitMix64(seed: 11)
        // Large same-signed operands (column 0 negative), so pass 1's sums reach 128 … 392 in
        // magnitude, where the 12-bit code has to round.
        let gemm = SplitGemm(a: (0 ..< 2).map { _ in (0 ..< 16).map { _ in Int.random(in: 4 ... 7, using: &rng) } },
                             w: (0 ..< 16).map { _ in (0 ..< 3).map { j in Int.random(in: j == 0 ? -8 ... -4 : 4 ... 7, using: &rng) } })
        let model = try PartialSumModel(sumWidth: 16, codec: codec)
        let first = PartialSumCase(tile: gemm.tile(0 ..< 8, width: 16), preload: [[0, 0, 0], [0, 0, 0]])
        let carried = (0 ..< 2).map { model.carried(first.outputRow($0, model: model)) }
        let second = PartialSumCase(tile: gemm.tile(8 ..< 16, width: 16), preload: carried)
        let full = gemm.product(0 ..< 16), partial = gemm.product(0 ..< 8)
        for i in 0 ..< 2 {
            let totals = second.outputRow(i, model: model).totals.map { PwlqTileSums.signed($0, width: 16) }
            for j in 0 ..< 3 {
                let bound = codec ? PartialSumCodec.errorBound(magnitude: abs(partial[i][j])) : 0
                #expect(abs(totals[j] - full[i][j]) <= bound, "C[\(i)][\(j)] = \(totals[j]), exact \(full[i][j])")
            }
        }
        if codec {
            // Pass 1 rounds somewhere, so the codec case is not exact by accident.
            #expect(partial.joined().contains { model.preloadValue(UInt64(model.codec!.encode($0))) != UInt64(bitPattern: Int64($0)) & 0xFFFF })
        }
        let results = try PartialSumVerification(parameters: p, cases: 1, seed: 0).run([first, second], on: [.icarus], in: Self.temporary)
        #expect(results.allSatisfy { $0.passed }, "\(results.first?.problems.first ?? "")")
    }

    @Test(arguments: [(PartialSumMutant.preloadIgnored, false), (.codecRounding, true)])
    func namedMutantsFail(mutant: PartialSumMutant, codec: Bool) throws {
        let p = try Self.parameters(rows: 2, cols: 2, width: 24, int8: false, codec: codec)
        let results = try PartialSumVerification(parameters: p, cases: 12, seed: 6, mutant: mutant).run(on: [.icarus], in: Self.temporary)
        #expect(results.allSatisfy { !$0.passed && $0.mismatches > 0 && $0.failedCases > 0 })
    }

    @Test func codecMutantNeedsACodecBuild() throws {
        let p = try Self.parameters(rows: 1, cols: 1, codec: false)
        #expect {
            try PartialSumVerification(parameters: p, cases: 1, seed: 1, mutant: PartialSumMutant.codecRounding).run(on: [.icarus], in: Self.temporary)
        } throws: { "\($0)".contains("needs --psum-codec") }
        let plain = try ArrayParameters(rows: 1, cols: 1, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 16, int8: false)
        #expect { try PartialSumVerification(parameters: plain, cases: 1, seed: 1).goldenCases() } throws: { "\($0)".contains("--psum-preload") }
    }
}
