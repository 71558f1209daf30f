import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// `antgen verify --psum-preload|--psum-codec` on the ANT array, and the replay-testbench
/// part of `--regress` (PWLQ and partial-sum configurations, their mutants).
extension VerifyCommand {
    /// `antgen verify --psum-preload` or `--psum-codec` (the default ANT array).
    func runAntPartialSums() throws {
        guard dataflow == "os", !sdpOptions.sdp, mutants == nil, vectors.isEmpty, only == nil else {
            throw HarnessError("--psum-preload/--psum-codec verify the output-stationary ANT or PWLQ array; they cannot take --dataflow ws, --sdp, --mutants, --vectors or --only")
        }
        guard cases >= 1 else { throw HarnessError("invalid cases: \(cases) must be at least 1 with --psum-preload") }
        let base = try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth,
                                       activationTypes: try ArrayOptions.parseTypes(actTypes ?? types, option: actTypes == nil ? "types" : "act-types"),
                                       weightTypes: try ArrayOptions.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types"),
                                       accumulatorWidth: accWidth, int8: int8)
        let parameters = try base.withPartialSums(preload: psumPreload, codec: psumCodec)
        let mutant: PartialSumMutant?
        if mutation == "none" {
            mutant = nil
        } else if let named = PartialSumMutant(rawValue: mutation) {
            mutant = named
        } else {
            throw HarnessError("invalid mutation: '\(mutation)' with --psum-preload (use none, \(PartialSumMutant.allCases.map(\.description).joined(separator: ", ")))")
        }
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

    /// One run of the replay families in `--regress`.
    enum ReplayJob {
        /// A PWLQ configuration (both simulators), or one of its mutants (Verilator, must fail).
        case pwlq(PwlqArrayParameters, cases: Int, mutant: PwlqMutant?)
        /// An ANT partial-sum configuration (both simulators), or one of its mutants.
        case partialSums(ArrayParameters, cases: Int, mutant: PartialSumMutant?)
    }

    /// The replay jobs of `--regress`, in the order `--shard` deals them: the PWLQ
    /// configurations, the ANT partial-sum configurations, then every named mutant of both
    /// on the smallest configuration that has its site.
    static func replayRegression() throws -> [ReplayJob] {
        let pwlq: [(PwlqArrayParameters, Int)] = [
            (try PwlqArrayParameters(rows: 1, cols: 1, weightBits: 4, accumulatorWidth: 24, int8: true), 300),
            (try PwlqArrayParameters(rows: 3, cols: 5, weightBits: 4, accumulatorWidth: 16, int8: true), 200),
            (try PwlqArrayParameters(rows: 4, cols: 4, weightBits: 8, accumulatorWidth: 32, int8: false), 200),
            (try PwlqArrayParameters(rows: 8, cols: 8, weightBits: 3, accumulatorWidth: 20, int8: true), 100),
            (try PwlqArrayParameters(rows: 3, cols: 4, weightBits: 4, accumulatorWidth: 24, int8: true, preload: true), 150),
            (try PwlqArrayParameters(rows: 4, cols: 3, weightBits: 4, accumulatorWidth: 32, int8: true, codec: true), 150),
        ]
        let ant: [(ArrayParameters, Int)] = [
            (try ArrayParameters(rows: 3, cols: 4, activationTypes: [.int, .flint, .pot], weightTypes: [.int, .flint, .pot],
                                 accumulatorWidth: 24, int8: true, preload: true), 80),
            (try ArrayParameters(rows: 4, cols: 3, activationTypes: [.int, .flint], weightTypes: [.int, .pot, .float],
                                 accumulatorWidth: 32, int8: true, codec: true), 80),
            (try ArrayParameters(rows: 2, cols: 2, codeWidth: 3, activationTypes: [.int, .flint], weightTypes: [.int, .flint],
                                 accumulatorWidth: 12, int8: false, codec: true), 120),
        ]
        var jobs = pwlq.map { ReplayJob.pwlq($0.0, cases: $0.1, mutant: nil) } + ant.map { ReplayJob.partialSums($0.0, cases: $0.1, mutant: nil) }
        for mutant in PwlqMutant.allCases {
            let index = mutant == .codecRounding ? 5 : mutant == .preloadIgnored ? 4 : 1
            jobs.append(.pwlq(pwlq[index].0, cases: pwlq[index].1, mutant: mutant))
        }
        for mutant in PartialSumMutant.allCases {
            let index = mutant == .codecRounding ? 1 : 0
            jobs.append(.partialSums(ant[index].0, cases: ant[index].1, mutant: mutant))
        }
        return jobs
    }

    /// Runs this shard's replay jobs; configurations count their cases, a mutant counts one
    /// (passed when it is killed).
    func runReplayRegression(shard: Shard) throws -> CaseCounts {
        var counts = CaseCounts()
        for (index, job) in try Self.replayRegression().enumerated() where shard.contains(index) {
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
