import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import AntgenSupport
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
    /// WS generators, and the WS-only ws-weight-row (a weight preloaded into the wrong row)
    /// and ws-psum-drop (the partial sum not passed down) must each fail.
    @Test(arguments: NamedMutant.allCases)
    func namedMutantsFail(_ mutant: NamedMutant) throws {
        let report = try verifier().run([Self.spec(try parameters(3, 3, act: AntType.allCases, w: 16), mutant: mutant)])
        #expect(report.failedCases > 0, "\(mutant) survived on the WS array")
    }

    /// The WS-only mutants have no site in the OS array (one clear error), and a drawn
    /// campaign on a WS spec draws from the WS design's own modules.
    @Test func weightStationaryMutationSites() throws {
        let p = try parameters(2, 2, act: [.int, .pot], w: 16)
        let os = try elaborate(AntArray(p)), ws = try elaborate(WsArray(p))
        for mutant in [NamedMutant.wsWeightRow, .wsPsumDrop] {
            #expect(mutant.weightStationaryOnly && !NamedMutant.outputStationaryCases.contains(mutant))
            #expect(throws: HarnessError.self) { try Mutant.named(mutant).apply(to: os) }
            let applied = try Mutant.named(mutant).apply(to: ws)
            #expect(applied.modules.contains { $0.circuitName == "WsProcessingElement" && $0.name.hasSuffix("_mutant_" + mutant.rawValue.replacingOccurrences(of: "-", with: "_")) })
        }
        let campaign = try MutationCampaign(spec: Self.spec(p), count: 12, seed: 3)
        let wsModules = Set(ws.modules.map(\.name))
        #expect(campaign.mutations.allSatisfy { wsModules.contains($0.site.module) }, "\(campaign.mutations.map(\.site.module))")
        #expect(campaign.mutations.contains { $0.site.circuitName == "WsProcessingElement" || $0.site.circuitName == "WsArray" })
    }

    /// A reset half-way through a case of the stream (`--reset-case N`): the rows in flight
    /// are dropped, that case and every later one are driven again, and every case is
    /// bit-exact afterwards; the replay costs cycles.
    @Test func resetInTheMiddleOfAStreamRecovers() throws {
        let p = try parameters(3, 4, act: AntType.allCases, w: 16)
        let configuration = try GemmRunner(parameters: p, cacheDirectory: sharedCache).goldenModel().configuration
        let cases = try GoldenGenerator(configuration: configuration).cases(.random, count: 6, seed: 19)
        let dir = try temporaryDirectory("ws-reset")
        defer { try? FileManager.default.removeItem(at: dir) }
        let vectors = dir.appendingPathComponent("reset.hex")
        try VectorFile(configuration: configuration, seed: 19, source: .random, cases: cases).write(to: vectors)
        let builder = VerilatorBuilder(cacheDirectory: sharedCache, testbenches: try TestbenchSources.locate())
        let binary = try builder.binary(for: BuildRequest(parameters: p, dataflow: .ws))
        func run(_ arguments: [String]) throws -> (outcome: SimulationOutcome, output: String) {
            let result = try ExternalTool.run(program: binary.executable, [vectors.path] + binary.latencyArguments + arguments,
                                              timeout: binary.timeout, name: "ws harness")
            return (try SimulationOutcome.parse(result.output, status: result.status, seconds: 0, expectedCases: 6, simulator: "verilator"),
                    result.output)
        }
        let plain = try run(["--no-reset"])
        #expect(plain.outcome.casePassed == Array(repeating: true, count: 6) && !plain.output.contains("RESET"))
        for resetCase in [0, 3, 5] {
            let reset = try run(["--reset-case", "\(resetCase)"])
            #expect(reset.output.contains("RESET case=\(resetCase) restart_case="), "\(reset.output.suffix(300))")
            #expect(reset.outcome.casePassed == Array(repeating: true, count: 6), "reset in case \(resetCase): \(reset.outcome.problems.prefix(3))")
            #expect(reset.outcome.problems.isEmpty, "\(reset.outcome.problems.prefix(3))")
            #expect(reset.outcome.cycles > plain.outcome.cycles, "reset in case \(resetCase)")
        }
        // Icarus (ws_tb.v) resets in the middle case by default, as the Verilator harness
        // does: the same passes and the same cycle count.
        try SimulatorTools.standard.require(.icarus)
        let icarus = try IcarusRunner(testbenches: try TestbenchSources.locate())
            .run(design: try GeneratedDesign(BuildRequest(parameters: p, dataflow: .ws)), vectors: vectors,
                 file: try VectorFile.read(from: vectors), work: dir.appendingPathComponent("icarus"))
        let middle = try run([])
        #expect(middle.output.contains("RESET case=3"))
        #expect(icarus.casePassed == Array(repeating: true, count: 6) && icarus.problems.isEmpty, "\(icarus.problems.prefix(3))")
        #expect(icarus.cycles == middle.outcome.cycles && icarus.cycles > plain.outcome.cycles, "\(icarus.cycles) \(middle.outcome.cycles)")
    }

    /// `antgen run --dataflow ws --sim icarus`: the Icarus weight-tile stream gives the same
    /// partial sums (checked against the Swift reference) and the same cycle counts as the
    /// Verilator harness, int8 activations included.
    @Test func icarusStreamAgreesWithVerilator() throws {
        try SimulatorTools.standard.require(.icarus)
        let p = try parameters(3, 4, act: [.int, .flint, .pot])
        let runner = GemmRunner(parameters: p, cacheDirectory: sharedCache, dataflow: .ws)
        let (a, w) = try GemmRunTests.operands(m: 4, k: 7, n: 5, act: OperandMode(type: .int, signed: true, int8: true),
                                               weight: OperandMode(type: .flint, signed: true), seed: 23)
        let v = try runner.run(a: a, w: w, simulator: .verilator)
        let i = try runner.run(a: a, w: w, simulator: .icarus)
        #expect(v.mismatches.isEmpty && i.mismatches.isEmpty, "\(i.mismatches.prefix(2))")
        #expect(i.protocolErrors.isEmpty, "\(i.protocolErrors)")
        let reference = GemmReference.expected(try runner.goldenModel(), a: a, w: w)
        #expect(v.results == i.results && v.results == reference)
        #expect(v.tileCycles == i.tileCycles && v.cycles == i.cycles, "\(v.tileCycles) \(i.tileCycles)")
        #expect(i.tileCycles.count == 3 * 2)  // ⌈7/3⌉ K chunks × ⌈5/4⌉ N blocks
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
