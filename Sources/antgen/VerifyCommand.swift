import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import ArgumentParser
import Foundation

/// `antgen verify`: golden vectors from the Swift reference, run on Verilator (and/or
/// Icarus) builds of the array; every output compared bit for bit.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the ANT array against golden vectors from the Swift reference (Verilator and/or Icarus).")

    @Option(help: "PE rows (1…256).") var rows: Int = 8
    @Option(help: "PE columns (1…256).") var cols: Int = 8
    @Option(help: "Native code width in bits (2…8).") var codeWidth: Int = 4
    @Option(help: "ANT types both streams decode (comma-separated: int, flint, pot, float).") var types: String = "int,flint,pot"
    @Option(help: "Activation types (overrides --types).") var actTypes: String?
    @Option(help: "Weight types (overrides --types).") var weightTypes: String?
    @Option(help: "Accumulator width W in bits (2…64 for verification).") var accWidth: Int = 32
    @Flag(inversion: .prefixedNo, help: "int8 operands through 4-bit nibble terms.") var int8: Bool = true
    @Option(help: "Random GEMM cases (the quantized source gets a quarter as many).") var cases: Int = 200
    @Option(help: "Case sources: any of exhaustive, random, quantized, or all.") var sources: String = "random,quantized"
    @Option(help: "Seed of the golden generator.") var seed: UInt64 = 1
    @Option(help: "Simulator: verilator, icarus or both.") var sim: String = "verilator"
    @Flag(help: "Write an FST waveform of every Verilator run (failing cases are always traced).") var trace: Bool = false
    @Option(help: "Write JUnit XML here.") var junit: String?
    @Option(help: "Parallel simulator runs.") var jobs: Int = 1
    @Option(help: "Run the deterministic slice i of N (1-based), e.g. 2/4.") var shard: String = "1/1"
    @Option(help: "Cases per vector file (the unit of scheduling and reporting).") var chunk: Int = 256
    @Option(help: "Build cache folder.") var cacheDir: String = ".antgen-cache"
    @Option(help: "X hunting: also run every file on an --x-assign/--x-initial unique build with these +verilator+seed values (comma-separated).") var xSeeds: String = ""
    @Option(help: "Seed for random in_valid bubbles (0: back-to-back beats).") var bubbles: Int = 0
    @Option(help: "Inject a named hardware defect the run must catch: \(NamedMutant.allCases.map(\.description).joined(separator: ", ")).") var mutation: String = "none"
    @Option(help: "Mutation testing: verify N random IR mutations of the array (drawn with --seed), one build each, and report the kill rate.") var mutants: Int?
    @Option(help: "With --mutants N: verify only mutant K (1…N) of that draw, as a survivor's reproduce line prints.") var mutantNumber: Int?
    @Option(help: "Run these vector files instead of generating (repeatable).") var vectors: [String] = []
    @Option(help: "Keep the generated vector files in this folder.") var keepVectors: String?
    @Option(help: "Run only the vector file with this name (e.g. random-3), as printed on failure.") var only: String?
    @Flag(help: "Run the nightly-size regression sweep (ignores the configuration options).") var regress: Bool = false
    @Option(help: "Seconds any one tool or simulator run may take before it is killed (default: 1800 for Verilator builds, 600 for the rest).") var toolTimeout: Double?
    @Option(help: "Dataflow: os (output-stationary, the default) or ws (weight-stationary: docs/architecture.md §12).") var dataflow: String = "os"
    @OptionGroup var sdpOptions: SdpOptions
    @Flag(name: .customLong("psum-preload"), help: "Verify the ANT (or, with --weight-format pwlq, the PWLQ) array with the partial-sum preload stage (--mutation also takes \(PartialSumMutant.allCases.map(\.description).joined(separator: ", "))).") var psumPreload = false
    @Flag(name: .customLong("psum-codec"), help: "Verify the array with the 12-bit partial-sum codec (implies --psum-preload).") var psumCodec = false
    @Option(name: .customLong("weight-format"), help: "ant, or pwlq: the PWLQ array (--code-width is the weight's b; --mutation also takes \(PwlqMutant.allCases.map(\.description).joined(separator: ", "))).") var weightFormat: String = "ant"
    @OptionGroup(title: "OCP MX array (--mx FORMATS verifies the MX array instead)") var mx: MxArrayOptions
    @Option(name: .customLong("mx-blocks"), help: "MX: random tiles of 1 … N blocks for every format pair.") var mxBlocks: Int = 8
    @Option(name: .customLong("mx-mutation"), help: "MX: inject a named defect the run must catch: \(MxMutant.allCases.map(\.description).joined(separator: ", ")).") var mxMutation: String = "none"

    func parseSources() throws -> [CaseSource] {
        if sources == "all" { return CaseSource.allCases }
        guard sources.contains(where: { $0 != "," && $0 != " " }) else {
            throw HarnessError("invalid sources: '\(sources)' names no source, so nothing would be checked (use exhaustive, random, quantized, all)")
        }
        return try sources.split(separator: ",").map {
            guard let s = CaseSource(rawValue: String($0)) else { throw HarnessError("invalid sources: unknown source '\($0)' (use exhaustive, random, quantized, all)") }
            return s
        }
    }

    func simulators() throws -> [SimulatorKind] {
        switch sim {
        case "verilator": return [.verilator]
        case "icarus": return [.icarus]
        case "both": return [.verilator, .icarus]
        default: throw HarnessError("invalid sim: '\(sim)' (use verilator, icarus or both)")
        }
    }

    /// `--mutation` as one of `M`'s named mutants (nil for `none`).
    /// - Throws: ``HarnessError`` listing the names the mode `context` (`for --weight-format pwlq`) takes.
    func namedMutant<M: RawRepresentable & CaseIterable & CustomStringConvertible>(_ type: M.Type, context: String?) throws -> M?
    where M.RawValue == String {
        if mutation == "none" { return nil }
        guard let named = M(rawValue: mutation) else {
            throw HarnessError("invalid mutation: '\(mutation)'\(context.map { " " + $0 } ?? "") (use none, \(M.allCases.map(\.description).joined(separator: ", ")))")
        }
        return named
    }

    /// The ANT array the options describe (without the partial-sum stage).
    func antParameters() throws -> ArrayParameters {
        try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth,
                            activationTypes: try ArrayOptions.parseTypes(actTypes ?? types, option: actTypes == nil ? "types" : "act-types"),
                            weightTypes: try ArrayOptions.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types"),
                            accumulatorWidth: accWidth, int8: int8)
    }

    /// The spec the options describe.
    func spec() throws -> VerificationSpec {
        guard cases >= 0 else { throw HarnessError("invalid cases: \(cases) is negative") }
        guard chunk >= 1 else { throw HarnessError("invalid chunk: \(chunk) must be at least 1") }
        let defect = try namedMutant(NamedMutant.self, context: nil)
        let p = try antParameters()
        let xs = try xSeeds.split(separator: ",").map {
            guard let v = Int($0) else { throw HarnessError("invalid x-seeds: '\($0)' is not an integer") }
            return v
        }
        try checkCaseMemory(p)
        let list = try parseSources().map { source -> (source: CaseSource, count: Int) in
            (source, source == .quantized ? max(1, cases / 4) : cases)
        }
        var spec = VerificationSpec(parameters: p, mutant: defect.map(Mutant.named), sources: list, seed: seed, chunk: chunk,
                                    simulators: try simulators(), xSeeds: xs, bubbleSeed: bubbles)
        guard let flow = ArrayDataflow(rawValue: dataflow) else { throw HarnessError("invalid dataflow: '\(dataflow)' (use os or ws)") }
        spec.dataflow = flow
        _ = try spec.goldenConfiguration()
        return spec
    }

    /// Refuses a case count whose vectors cannot be held: each case keeps at least one beat
    /// of codes and the expected tile (8 bytes a word, plus its lists), and the cases of a run
    /// are generated before simulation. More than half the machine's memory is refused with
    /// the estimate, before anything is allocated.
    func checkCaseMemory(_ p: ArrayParameters) throws {
        let bytesPerCase = 160.0 + 8 * Double(p.rows + p.cols + p.rows * p.cols)
        let estimate = Double(cases) * bytesPerCase
        let available = Double(ProcessInfo.processInfo.physicalMemory)
        guard estimate <= available / 2 else {
            throw HarnessError("invalid cases: \(cases) cases of a \(p.rows)×\(p.cols) array need at least "
                + String(format: "%.3g GB of vectors in memory, more than half of this machine's %.3g GB", estimate / 1e9, available / 1e9)
                + "; run fewer cases (several seeds or --shard runs)")
        }
    }

    /// The command line that reruns one job of `spec`.
    /// With `vectorsUsed`, the run read vector files (`--vectors`): the line reruns the
    /// failing file as saved in the cache's failures folder.
    static func reproduceLine(_ spec: VerificationSpec, _ job: VerificationJob, cacheDir: String, vectorsUsed: Bool = false) -> String {
        let p = spec.parameters
        var s = "antgen verify --rows \(p.rows) --cols \(p.cols) --code-width \(p.codeWidth) --act-types \(p.activation.typeList) --weight-types \(p.weight.typeList) --acc-width \(p.accumulatorWidth) \(p.int8 ? "--int8" : "--no-int8")"
        let sources = spec.sources.map(\.source.rawValue).joined(separator: ",")
        let count = spec.sources.first { $0.source == .random }?.count ?? (spec.sources.first { $0.source == .quantized }.map { $0.count * 4 } ?? 0)
        if vectorsUsed {
            s += " --vectors \(cacheDir)/failures/\(spec.name)-\(job.fileName).hex --sim \(job.simulator)"
        } else {
            s += " --sources \(sources) --cases \(count) --seed \(spec.seed) --chunk \(spec.chunk) --only \(job.fileName) --sim \(job.simulator)"
        }
        if let x = job.xSeed { s += " --x-seeds \(x)" }
        if spec.bubbleSeed != 0 { s += " --bubbles \(spec.bubbleSeed)" }
        if spec.dataflow == .ws { s += " --dataflow ws" }
        switch spec.mutant {
        case .named(let n)?: s += " --mutation \(n)"
        case .drawn?: break  // a --mutants run prints its own per-mutant reproduce lines
        case nil: break
        }
        if cacheDir != ".antgen-cache" { s += " --cache-dir \(cacheDir)" }
        return s
    }

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        if weightFormat == "pwlq", !regress { return try runPwlq() }
        guard weightFormat == "ant" || regress else { throw HarnessError("invalid weight-format: '\(weightFormat)' (use ant or pwlq)") }
        if psumPreload || psumCodec, !regress { return try runAntPartialSums() }
        guard jobs >= 1 else { throw HarnessError("invalid jobs: \(jobs) must be at least 1") }
        if let junit { try checkWritable(junit, what: "--junit") }
        for (option, folder) in [("--cache-dir", cacheDir), ("--keep-vectors", keepVectors)] {
            if let folder, let problem = folderProblem(folder) { throw CLIError("\(option): \(problem)") }
        }
        let timeout = try checkedToolTimeout(toolTimeout)
        let shardValue = try Shard(parsing: shard)
        guard !regress || (vectors.isEmpty && only == nil) else {
            throw HarnessError("--regress generates its own vector files for many configurations; it cannot take --vectors or --only (use the reproduce line a failure prints)")
        }
        if sdpOptions.sdp && !regress { return try verifySdp([try sdpSpec()], timeout: timeout) }
        if let mutants { return try runMutants(mutants, shard: shardValue) }
        if !regress, try executeMx() { return }
        guard mutantNumber == nil else { throw HarnessError("--mutant-number selects one mutant of a --mutants draw; give --mutants N too") }
        var specs = regress ? try RegressionSuite.nightly(seed: seed) : [try spec()]
        var files: [URL: VectorFile]?
        if !vectors.isEmpty {
            var loaded: [URL: VectorFile] = [:]
            let expected = try specs[0].goldenConfiguration()
            let reference = try GoldenGenerator(configuration: expected)
            for path in vectors {
                let url = URL(fileURLWithPath: path)
                let file = try VectorFile.read(from: url)
                guard file.configuration == expected else {
                    throw HarnessError("\(url.lastPathComponent) is for \(file.configuration), not the requested \(expected)")
                }
                if let problem = reference.inconsistency(in: file) {
                    throw HarnessError("\(url.lastPathComponent) disagrees with the reference: \(problem)")
                }
                loaded[url] = file
            }
            files = loaded
        }
        if let only {
            guard files == nil else { throw HarnessError("--only selects a generated file; it cannot be combined with --vectors") }
            specs = specs.map { var s = $0; s.onlyFile = only; return s }
        }
        let cache = URL(fileURLWithPath: cacheDir)
        var verifier = Verifier(cacheDirectory: cache)
        verifier.jobs = jobs
        verifier.shard = shardValue
        verifier.traceAll = trace
        verifier.tools = SimulatorTools.standard.withTimeout(timeout)
        verifier.vectorDirectory = keepVectors.map { URL(fileURLWithPath: $0) }
        verifier.progress = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let dir = cacheDir
        let vectorsUsed = files != nil
        verifier.reproduce = { spec, job in VerifyCommand.reproduceLine(spec, job, cacheDir: dir, vectorsUsed: vectorsUsed) }
        let report = try verifier.run(specs, vectors: files)
        guard report.passedCases + report.failedCases > 0 || report.results.contains(where: { !$0.passed }) else {
            // A run that checks nothing must not look like a pass (e.g. a shard past the last file).
            throw HarnessError("nothing was checked: shard \(shard) holds no vector file of this run (use fewer shards, more cases or other sources)")
        }
        if let junit { try JUnitReport.write(report, shard: shardValue, to: URL(fileURLWithPath: junit)) }
        for r in report.results where !r.passed {
            print("FAIL \(r.specName) \(r.job.name): \(r.error ?? "\(r.failedCases.count) of \(r.cases) cases failed")")
            for line in r.problems.prefix(10) { print("  \(line)") }
            if r.problems.count > 10 {
                print("  … \(r.problems.count - 10) more problem lines (the simulator prints at most 40 mismatches per file; rerun the file alone to see its first ones)")
            }
            if let cmd = r.reproduce { print("  reproduce: \(cmd)") }
            if let wave = r.waveform { print("  waveform: \(wave.path)") }
        }
        let cycles = report.results.reduce(0) { $0 + $1.cycles }
        print(String(format: "generation %.2f s, build %.1f s (%d built, %d cached), simulation %.2f s, %d cycles, %d MACs verified",
                     report.generationSeconds, report.buildSeconds, report.freshBuilds, report.cachedBuilds, report.simulationSeconds, cycles, report.macs))
        if !report.floatErrors.isEmpty {
            let sorted = report.floatErrors.sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            // The max can be large for tiny GEMMs (1×1, small K) whose FP32 result nearly
            // cancels to 0; the median and 95th percentile describe the typical error.
            print(String(format: "quantized cases: relative float error ‖C_deq − C_fp32‖/‖C_fp32‖: median %.4f, 95th percentile %.4f, mean %.4f, max %.4f (%d cases)",
                         sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 95 / 100)], mean, sorted.last!, sorted.count))
        }
        if report.wrappedQuantizedCases > 0 {
            print("quantized cases whose accumulators wrapped: \(report.wrappedQuantizedCases) (verified bit-exact, left out of the float error)")
        }
        var mxCounts = (passed: 0, failed: 0)
        if regress && shardValue == .all { mxCounts = try runMxVerification(MxRegressionSuite.nightly(seed: seed), cacheDir: cacheDir) }
        var families = CaseCounts(passed: report.passedCases + mxCounts.passed, failed: report.failedCases + mxCounts.failed)
        if regress {
            // The SDP configurations (testbenches/sdp, both simulators), dealt over the shards.
            let sdp = try SdpRegression.specs(seed: seed).enumerated().filter { shardValue.contains($0.offset) }.map(\.element)
            if !sdp.isEmpty {
                let counts = try runSdp(sdp, timeout: timeout)
                families = families + CaseCounts(passed: counts.passed, failed: counts.failed)
            }
            // PWLQ and partial-sum configurations and their mutants, dealt over the shards too.
            families = families + (try runReplayRegression(shard: shardValue))
        }
        // Every family's cases: ANT, MX, SDP, PWLQ and partial sums (a mutant counts one).
        print("\(families.passed) passed, \(families.failed) failed")
        if !report.passed || families.failed > 0 { throw ExitCode(1) }
    }
}

extension VerifyCommand {
    /// `--mutants N`: the control, then N drawn IR mutations (one build each) against the
    /// same golden vectors; one line per mutant, the survivors with their reproduce lines,
    /// and the kill rate. Survivors do not fail the command (each needs a judgement:
    /// equivalent, or a new golden case); a failing control or an unbuildable mutant does.
    func runMutants(_ count: Int, shard: Shard) throws {
        guard !regress, vectors.isEmpty, only == nil, mutation == "none", shard == .all, junit == nil else {
            throw HarnessError("--mutants runs its own plan; it cannot take --regress, --vectors, --only, --mutation, --shard or --junit")
        }
        guard count >= 1 else { throw HarnessError("invalid mutants: \(count) must be at least 1") }
        if let k = mutantNumber, !(1...count).contains(k) {
            throw HarnessError("invalid mutant-number: \(k) (use 1…\(count))")
        }
        let campaign = try MutationCampaign(spec: try spec(), count: count, seed: seed)
        var verifier = Verifier(cacheDirectory: URL(fileURLWithPath: cacheDir))
        verifier.jobs = jobs
        verifier.progress = { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
        let report = try campaign.run(with: verifier, numbers: mutantNumber.map { [$0] }) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        print("mutants of \(campaign.spec.name), seed \(seed), drawn from \(campaign.candidateCount) candidate mutations:")
        for o in report.outcomes {
            let status = o.killed ? "killed  " : (o.error == nil ? "SURVIVED" : "ERROR   ")
            let detail = o.error ?? "\(o.failedCases)/\(o.cases) cases failed"
            let site = o.mutation.site
            print("  \(o.number). \(status) \(site.circuitName).\(site.target) \(o.mutation.operator) at \(site.location) (\(detail))")
        }
        if !report.survivors.isEmpty {
            print("survivors (each is equivalent or needs a new golden case):")
            for o in report.survivors {
                print("  \(o.number). \(o.mutation) in \(o.mutation.site.module)")
                print("     reproduce: \(reproduceMutant(o.number, of: count))")
            }
        }
        let verified = report.outcomes.count - report.errors.count
        print(String(format: "kill rate: %d of %d mutants killed (%.1f %%), %d survived, %d errors",
                     report.killed, verified, report.killRate * 100, report.survivors.count, report.errors.count))
        if !report.errors.isEmpty { throw ExitCode(1) }
    }

    /// The command line that verifies only mutant `number` of this draw.
    func reproduceMutant(_ number: Int, of count: Int) -> String {
        var s = "antgen verify --rows \(rows) --cols \(cols) --code-width \(codeWidth) --types \(types)"
        if let actTypes { s += " --act-types \(actTypes)" }
        if let weightTypes { s += " --weight-types \(weightTypes)" }
        s += " --acc-width \(accWidth) \(int8 ? "--int8" : "--no-int8") --sources \(sources) --cases \(cases) --chunk \(chunk)"
        s += " --seed \(seed) --mutants \(count) --mutant-number \(number)"
        if dataflow != "os" { s += " --dataflow \(dataflow)" }
        if cacheDir != ".antgen-cache" { s += " --cache-dir \(cacheDir)" }
        return s
    }
}
