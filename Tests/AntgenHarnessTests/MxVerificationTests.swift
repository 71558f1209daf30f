import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation
import Testing

/// The MX array against the Swift golden model on Verilator and Icarus, and the named MX
/// mutants (spec §5.5–5.6, docs/mx.md). Small arrays and block counts: the full sweep is in
/// `--regress`.
@Suite("MX array verification", .serialized)
struct MxVerificationTests {
    static let formats: [MxElementFormat] = [.fp4e2m1, .fp8e5m2, .int8]

    func run(_ spec: MxVerificationSpec) throws -> [MxRunResult] {
        let work = try temporaryDirectory("mx")
        defer { try? FileManager.default.removeItem(at: work) }
        let verifier = MxVerifier(cacheDirectory: sharedCache, testbenches: try TestbenchSources.locate())
        return try spec.run(verifier, work: work)
    }

    @Test("FP32 accumulator: every pair of FP4, E5M2, INT8, specials included, bit-exact on Verilator (with bubbles) and Icarus")
    func float32BothSimulators() throws {
        let spec = MxVerificationSpec(parameters: MxArrayParameters(rows: 2, cols: 1, formats: Self.formats), maxBlocks: 3,
                                      icarus: true, bubbles: 5)
        let results = try run(spec)
        #expect(results.count == 2)
        for r in results {
            #expect(r.ok, "\(r.simulator): \(r.messages.joined(separator: "; "))")
            // 9 pairs × (3 random + 4 special + 1 quantized).
            #expect(r.cases == 72 && r.passed == 72)
        }
    }

    @Test("window accumulator (S = 4), bit-exact on Icarus")
    func window() throws {
        let p = MxArrayParameters(rows: 2, cols: 1, formats: Self.formats, accumulation: .window(4), maxBlocks: 16)
        let results = try run(MxVerificationSpec(parameters: p, maxBlocks: 4, verilator: false, icarus: true))
        #expect(results.count == 1 && results[0].ok && results[0].passed == 81, "\(results.first?.messages ?? [])")
    }

    @Test("the named MX mutants fail (Icarus, both accumulators)", arguments: MxMutant.allCases)
    func mutantsFail(mutant: MxMutant) throws {
        for accumulation in [MxAccumulatorKind.float32, .window(4)] {
            let p = MxArrayParameters(rows: 1, cols: 1, formats: [.fp4e2m1, .fp8e5m2], accumulation: accumulation)
            let results = try run(MxVerificationSpec(parameters: p, maxBlocks: 3, verilator: false, icarus: true, mutant: mutant))
            #expect(results.count == 1 && results[0].failed > 0, "\(mutant) \(accumulation) survived")
        }
    }
}
