import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// `antgen verify --psum-preload|--psum-codec` on the ANT array, and the replay-testbench
/// part of `--regress` (PWLQ and partial-sum configurations, their mutants).
extension VerifyCommand {
    /// `antgen verify --psum-preload` or `--psum-codec` (the default ANT array).
    func runAntPartialSums() throws {
        guard dataflow == "os", !sdpOptions.sdp, try mx.parameters(rows: rows, cols: cols) == nil, mutants == nil, vectors.isEmpty, only == nil else {
            throw HarnessError("--psum-preload/--psum-codec verify the output-stationary ANT or PWLQ array; they cannot take --dataflow ws, --sdp, --mx, --mutants, --vectors or --only")
        }
        guard cases >= 1 else { throw HarnessError("invalid cases: \(cases) must be at least 1 with --psum-preload") }
        let parameters = try antParameters().withPartialSums(preload: psumPreload, codec: psumCodec)
        let mutant = try namedMutant(PartialSumMutant.self, context: "with --psum-preload")
        let counts = try runPartialSumConfiguration(parameters, cases: cases, mutant: mutant, simulators: simulators())
        print("\(counts.passed) passed, \(counts.failed) failed")
        if counts.failed > 0 { throw ExitCode(1) }
    }

    /// Runs one ANT partial-sum configuration; one line per simulator.
    func runPartialSumConfiguration(_ p: ArrayParameters, cases: Int, mutant: PartialSumMutant?, simulators: [SimulatorKind]) throws -> CaseCounts {
        let start = Date()
        let results = try PartialSumVerification(parameters: p, cases: cases, seed: seed, mutant: mutant)
            .run(on: simulators, in: FileManager.default.temporaryDirectory)
        let psum = p.codec ? "psum-codec" : "psum-preload"
        let name = "ant \(p.rows)x\(p.cols) \(p.activation.typeList)/\(p.weight.typeList) W=\(p.accumulatorWidth)\(p.int8 ? " int8" : "") \(psum)\(mutant.map { " mutant \($0)" } ?? "")"
        let options = "--rows \(p.rows) --cols \(p.cols) --code-width \(p.codeWidth) --act-types \(p.activation.typeList) --weight-types \(p.weight.typeList) --acc-width \(p.accumulatorWidth) \(p.int8 ? "--int8" : "--no-int8") --\(psum)"
        let counts = report(results, name: name, reproduce: "antgen verify \(options) --cases \(cases) --seed \(seed)\(mutant.map { " --mutation \($0)" } ?? "")")
        print(String(format: "psum: %.1f s", Date().timeIntervalSince(start)))
        return counts
    }

    /// Runs this shard's replay jobs; configurations count their cases, a mutant counts one
    /// (passed when it is killed).
    func runReplayRegression(shard: Shard) throws -> CaseCounts {
        var counts = CaseCounts()
        for job in try ReplayRegression.jobs(in: shard) {
            switch job {
            case .pwlq(let p, let n, nil):
                counts = counts + (try runPwlqConfiguration(p, cases: n, mutant: nil, simulators: [.verilator, .icarus]))
            case .pwlq(let p, let n, let mutant?):
                let killed = try runPwlqConfiguration(p, cases: n, mutant: mutant, simulators: [.verilator]).failed > 0
                print("\(killed ? "KILLED" : "SURVIVED") pwlq mutant \(mutant)")
                counts = counts + CaseCounts(passed: killed ? 1 : 0, failed: killed ? 0 : 1)
            case .partialSums(let p, let n, nil):
                counts = counts + (try runPartialSumConfiguration(p, cases: n, mutant: nil, simulators: [.verilator, .icarus]))
            case .partialSums(let p, let n, let mutant?):
                let killed = try runPartialSumConfiguration(p, cases: n, mutant: mutant, simulators: [.verilator]).failed > 0
                print("\(killed ? "KILLED" : "SURVIVED") ant mutant \(mutant)")
                counts = counts + CaseCounts(passed: killed ? 1 : 0, failed: killed ? 0 : 1)
            }
        }
        return counts
    }
}
