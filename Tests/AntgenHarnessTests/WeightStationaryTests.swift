import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenVerilog
import Foundation
import Testing

/// The weight-stationary array (docs/architecture.md §10): golden vector files bit-exact on
/// Verilator and Icarus, every named mutant caught, whole GEMMs through one streaming process
/// equal to the OS array's results, and the documented cycle formulas (computed here by hand
/// from the protocol, not from ``WsTiming``).
@Suite(.serialized) struct WeightStationaryTests {
    static func spec(_ p: ArrayParameters, mutant: NamedMutant? = nil, sims: [SimulatorKind] = [.verilator]) -> VerificationSpec {
        var s = VerificationSpec(parameters: p, mutant: mutant.map(Mutant.named), sources: [(.random, 48), (.quantized, 12)], seed: 11,
                                 chunk: 64, simulators: sims)
        s.dataflow = .ws
        return s
    }

    /// 3 × 4 with every type and int8 (all precision pairs, K from 1 to several chunks), on
    /// both simulators, with the latency of every output row checked against the manifest.
    @Test func vectorFilesAreBitExactOnBothSimulators() throws {
        let report = try verifier().run([Self.spec(try parameters(3, 4, act: AntType.allCases, w: 16), sims: [.verilator, .icarus])])
        expectPassed(report, "ws 3x4")
        #expect(report.results.allSatisfy { $0.latencyChecks > 0 })
    }

    /// pe-sign, acc-narrow (the partial sum `psum_next`), skew and flint-shift, located in the
    /// WS generators, must each fail.
    @Test(arguments: NamedMutant.allCases)
    func namedMutantsFail(_ mutant: NamedMutant) throws {
        let report = try verifier().run([Self.spec(try parameters(3, 3, act: AntType.allCases, w: 16), mutant: mutant)])
        #expect(report.failedCases > 0, "\(mutant) survived on the WS array")
    }

    /// A 5 × 11 × 6 GEMM on a 3 × 4 WS array through one process: the same results as the OS
    /// array; per weight tile M·T + 2R + C + 2 cycles (the first) and M·T + 3R + 2C (the later
    /// ones, which wait R + C − 1 cycles for the mesh to empty before loading); in total
    /// (tiles − 1)·(M·T + 2R + C − 2) + M·T + 2R + C + 2. Also int8 × int8 (T = 4).
    @Test func wholeGemmMatchesTheOutputStationaryArray() throws {
        let p = try parameters(3, 4, act: [.int, .flint, .pot])
        for (act, weight) in [(OperandMode(type: .flint, signed: true), OperandMode(type: .int, signed: true)),
                              (OperandMode(type: .int, signed: true, int8: true), OperandMode(type: .int, signed: false, int8: true))] {
            let (a, w) = try GemmRunTests.operands(m: 5, k: 11, n: 6, act: act, weight: weight, seed: 21)
            let ws = try GemmRunner(parameters: p, cacheDirectory: sharedCache, dataflow: .ws).run(a: a, w: w, simulator: .verilator)
            let os = try GemmRunner(parameters: p, cacheDirectory: sharedCache).run(a: a, w: w, simulator: .verilator)
            #expect(ws.mismatches.isEmpty && os.mismatches.isEmpty, "\(ws.mismatches.prefix(2))")
            #expect(ws.results == os.results)
            let t = act.terms * weight.terms, m = 5, rows = 3, cols = 4
            let tiles = 4 * 2  // ⌈11/3⌉ K chunks × ⌈6/4⌉ N blocks
            #expect(ws.tileCycles.count == tiles)
            #expect(ws.tileCycles.first == m * t + 2 * rows + cols + 2)
            #expect(ws.tileCycles.dropFirst().allSatisfy { $0 == m * t + 3 * rows + 2 * cols }, "\(ws.tileCycles)")
            #expect(ws.cycles == (tiles - 1) * (m * t + 2 * rows + cols - 2) + m * t + 2 * rows + cols + 2)
            let timing = WsTiming(rows: rows, cols: cols)
            #expect(ws.cycles == timing.streamCycles(tiles: tiles, vectors: m, termsPerBeat: t))
            #expect(ws.tileCycles.first == timing.tileCycles(vectors: m, termsPerBeat: t, first: true))
        }
    }

    /// The emitted WS design is lint-clean on all three tools (a 2 × 3 build without int8 and
    /// one with), and the manifest states the dataflow's formulas; the OS manifest has none.
    @Test func emittedDesignIsCleanAndDocumented() throws {
        for int8 in [false, true] {
            let p = try parameters(2, 3, act: [.int, .pot], weight: [.flint], int8: int8)
            let design = try elaborate(WsArray(p))
            let manifest = ArrayManifest(wsParameters: p, top: design.top, modules: design.modules.map(\.name), version: "test")
            #expect(manifest.dataflow?["outputLatency"]?.contains("T + rows + cols + 1") == true)
            #expect(manifest.modes.allSatisfy { $0.firstRowLatency == $0.stepsPerBeat + 2 + 3 + 1 })
            #expect(manifest.ports.contains { $0.name == "in_load" } && !manifest.ports.contains { $0.name == "out_row" })
            let dir = try temporaryDirectory("ws-lint")
            defer { try? FileManager.default.removeItem(at: dir) }
            try VerilogBackend().write(design, to: dir)
            let findings = try VerilogLinter().lint(directory: dir, top: design.top.name)
            #expect(findings.count == LintGate.allCases.count)
            for finding in findings { #expect(finding.clean, "int8 \(int8): \(finding)") }
        }
        let os = try parameters(2, 3, act: [.int])
        let osDesign = try elaborate(AntArray(os))
        #expect(ArrayManifest(parameters: os, top: osDesign.top, modules: osDesign.modules.map(\.name), version: "test").dataflow == nil)
    }
}
