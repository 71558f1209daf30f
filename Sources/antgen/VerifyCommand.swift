import AntgenGolden
import AntgenHardware
import AntgenHarness
import ArgumentParser
import Foundation

/// `antgen verify`: golden vectors from the Swift reference, run on Verilator (and/or
/// Icarus) builds of the array; every output compared bit for bit.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the ANT array against golden vectors from the Swift reference (Verilator and/or Icarus).")

    @Option(help: "PE rows (1…128).") var rows: Int = 8
    @Option(help: "PE columns (1…128).") var cols: Int = 8
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
    @Option(help: "Inject a hardware defect the run must catch: \(HardwareMutation.defects.map(\.description).joined(separator: ", ")).") var mutation: String = "none"
    @Option(help: "Run these vector files instead of generating (repeatable).") var vectors: [String] = []
    @Option(help: "Keep the generated vector files in this folder.") var keepVectors: String?
    @Option(help: "Run only the vector file with this name (e.g. random-3), as printed on failure.") var only: String?
    @Flag(help: "Run the nightly-size regression sweep (ignores the configuration options).") var regress: Bool = false
    @Option(help: "Seconds any one tool or simulator run may take before it is killed (default: 1800 for Verilator builds, 600 for the rest).") var toolTimeout: Double?

    func parseSources() throws -> [CaseSource] {
        if sources == "all" { return CaseSource.allCases }
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

    /// The spec the options describe.
    func spec() throws -> VerificationSpec {
        guard cases >= 0 else { throw HarnessError("invalid cases: \(cases) is negative") }
        guard chunk >= 1 else { throw HarnessError("invalid chunk: \(chunk) must be at least 1") }
        guard let defect = HardwareMutation(rawValue: mutation) else {
            throw HarnessError("invalid mutation: '\(mutation)' (use none, \(HardwareMutation.defects.map(\.description).joined(separator: ", ")))")
        }
        let p = try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth,
                                    activationTypes: try ArrayOptions.parseTypes(actTypes ?? types, option: actTypes == nil ? "types" : "act-types"),
                                    weightTypes: try ArrayOptions.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types"),
                                    accumulatorWidth: accWidth, int8: int8)
        let xs = try xSeeds.split(separator: ",").map {
            guard let v = Int($0) else { throw HarnessError("invalid x-seeds: '\($0)' is not an integer") }
            return v
        }
        let list = try parseSources().map { source -> (source: CaseSource, count: Int) in
            (source, source == .quantized ? max(1, cases / 4) : cases)
        }
        let spec = VerificationSpec(parameters: p, mutation: defect, sources: list, seed: seed, chunk: chunk,
                                    simulators: try simulators(), xSeeds: xs, bubbleSeed: bubbles)
        _ = try spec.goldenConfiguration()
        return spec
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
        if spec.mutation != .none { s += " --mutation \(spec.mutation)" }
        if cacheDir != ".antgen-cache" { s += " --cache-dir \(cacheDir)" }
        return s
    }

    func run() throws {
        try reportingErrors(execute)
    }

    func execute() throws {
        guard jobs >= 1 else { throw HarnessError("invalid jobs: \(jobs) must be at least 1") }
        let timeout = try checkedToolTimeout(toolTimeout)
        let shardValue = try Shard(parsing: shard)
        guard !regress || (vectors.isEmpty && only == nil) else {
            throw HarnessError("--regress generates its own vector files for many configurations; it cannot take --vectors or --only (use the reproduce line a failure prints)")
        }
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
                if let problem = try reference.inconsistency(in: file) {
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
        print("\(report.passedCases) passed, \(report.failedCases) failed")
        if !report.passed { throw ExitCode(1) }
    }
}
