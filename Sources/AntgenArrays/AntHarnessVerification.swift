import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation

/// `antgen verify --array ant` without the partial-sum stage: the ANT array's vector harness,
/// with case sources, vector files, X hunting, traces, sharding and mutation testing
/// (`--mutants`). Every failure prints its reproduce line.
public struct AntHarnessVerification {
    /// The harness's own options, as given (nil: the default).
    public struct Options: Sendable {
        /// Case sources (`random,quantized` by default, or `all`).
        public var sources: String?
        /// Cases per vector file (default 256).
        public var chunk: Int?
        /// Trace every Verilator run.
        public var trace: Bool
        /// `+verilator+seed` values of X-hunting builds, comma-separated.
        public var xSeeds: String?
        /// Vector files to run instead of generating.
        public var vectors: [String]
        /// Keep the generated vector files here.
        public var keepVectors: String?
        /// Run only the vector file of this name.
        public var only: String?

        /// Creates the options.
        public init(sources: String?, chunk: Int?, trace: Bool, xSeeds: String?, vectors: [String], keepVectors: String?, only: String?) {
            self.sources = sources
            self.chunk = chunk
            self.trace = trace
            self.xSeeds = xSeeds
            self.vectors = vectors
            self.keepVectors = keepVectors
            self.only = only
        }
    }

    /// The build.
    public var variant: AntVariant
    /// The harness options.
    public var harness: Options
    /// Cases, seed, simulators, bubbles, cache, tools, parallel jobs and progress.
    public var request: VerifyRequest
    /// The named defect (`none`), the `--mutants` draw and the one mutant of it to run.
    public var mutation: String, mutants: Int?, mutantNumber: Int?
    /// The slice of the vector files to run, and the JUnit file to write.
    public var shard: Shard, junit: String?
    /// The build cache folder as the user named it (for reproduce lines).
    public var cacheDir: String

    /// Creates the verification.
    public init(variant: AntVariant, harness: Options, request: VerifyRequest, mutation: String, mutants: Int?, mutantNumber: Int?,
                shard: Shard, junit: String?, cacheDir: String) {
        self.variant = variant
        self.harness = harness
        self.request = request
        self.mutation = mutation
        self.mutants = mutants
        self.mutantNumber = mutantNumber
        self.shard = shard
        self.junit = junit
        self.cacheDir = cacheDir
    }

    var cases: Int { request.cases }
    var seed: UInt64 { request.seed }
    var jobs: Int { request.jobs }

    func parseSources() throws -> [CaseSource] {
        let text = harness.sources ?? "random,quantized"
        guard text.contains(where: { $0 != "," && $0 != " " }) else {
            throw HarnessError("invalid sources: '\(text)' names no source, so nothing would be checked (use exhaustive, random, quantized, throughput, all)")
        }
        // `all` may stand in a list (`all,throughput`); a source named twice runs once.
        let named = try text.split(separator: ",").flatMap { name -> [CaseSource] in
            if name == "all" { return CaseSource.coverage }
            guard let s = CaseSource(rawValue: String(name)) else {
                throw HarnessError("invalid sources: unknown source '\(name)' (use exhaustive, random, quantized, throughput, all)")
            }
            return [s]
        }
        return named.enumerated().filter { !named.prefix($0.offset).contains($0.element) }.map(\.element)
    }

    /// The harness spec the options describe.
    func antSpec(_ ant: AntVariant) throws -> VerificationSpec {
        let chunk = harness.chunk ?? 256
        guard chunk >= 1 else { throw HarnessError("invalid chunk: \(chunk) must be at least 1") }
        let defect = try AntVariant.defect(named: mutation)
        let xs = try (harness.xSeeds ?? "").split(separator: ",").map {
            guard let v = Int($0) else { throw HarnessError("invalid x-seeds: '\($0)' is not an integer") }
            return v
        }
        try checkCaseMemory(ant.parameters)
        var spec = try ant.verificationSpec(request, defect: defect)
        spec.sources = try parseSources().map { ($0, $0 == .quantized ? max(1, cases / 4) : cases) }
        spec.chunk = chunk
        spec.xSeeds = xs
        _ = try spec.goldenConfiguration()
        return spec
    }

    /// Refuses a case count whose vectors cannot be held (each case keeps its beats and
    /// expected tile; a run's cases are generated before simulation): more than half the
    /// machine's memory is refused with the estimate, before anything is allocated.
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

    /// The command line that reruns one job of `spec`; with `vectorsUsed` it reruns the
    /// failing file as saved in the cache's failures folder.
    public static func reproduceLine(_ spec: VerificationSpec, _ job: VerificationJob, cacheDir: String, vectorsUsed: Bool = false) -> String {
        let selector = (try? AntVariant(spec.parameters, dataflow: spec.dataflow).selectorArguments.joined(separator: " ")) ?? "--array ant"
        var s = "antgen verify \(selector)"
        let sources = spec.sources.map(\.source.rawValue).joined(separator: ",")
        let count = spec.sources.first { $0.source == .random }?.count ?? (spec.sources.first { $0.source == .quantized }.map { $0.count * 4 })
            ?? spec.sources.first { $0.source == .throughput }?.count ?? 0
        if vectorsUsed {
            s += " --vectors \(cacheDir)/failures/\(spec.name)-\(job.fileName).hex --sim \(job.simulator)"
        } else {
            s += " --sources \(sources) --cases \(max(count, 1)) --seed \(spec.seed) --chunk \(spec.chunk) --only \(job.fileName) --sim \(job.simulator)"
        }
        if let x = job.xSeed { s += " --x-seeds \(x)" }
        if spec.bubbleSeed != 0 { s += " --bubbles \(spec.bubbleSeed)" }
        if case .named(let n)? = spec.mutant { s += " --mutation \(n)" }
        if cacheDir != ".antgen-cache" { s += " --cache-dir \(cacheDir)" }
        return s
    }

    /// Runs the harness (or the `--mutants` campaign) and prints its report.
    /// - Returns: false when a check failed (the command then exits 1).
    /// - Throws: ``HarnessError`` for options the harness refuses, or the harness's error.
    public func run() throws -> Bool {
        let ant = variant, base = request
        if let mutants { return try runMutants(mutants, ant: ant, shard: shard) }
        guard mutantNumber == nil else { throw HarnessError("--mutant-number selects one mutant of a --mutants draw; give --mutants N too") }
        var specs = [try antSpec(ant)]
        var files: [URL: VectorFile]?
        if !harness.vectors.isEmpty {
            if let option = [("--sources", harness.sources != nil), ("--chunk", harness.chunk != nil)].first(where: \.1)?.0 {
                throw HarnessError("--vectors runs the given files as they are; it cannot take \(option), which shapes generated files")
            }
            var loaded: [URL: VectorFile] = [:]
            let expected = try specs[0].goldenConfiguration()
            let reference = try GoldenGenerator(configuration: expected)
            for path in harness.vectors {
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
        if let only = harness.only {
            guard files == nil else { throw HarnessError("--only selects a generated file; it cannot be combined with --vectors") }
            specs = specs.map { var s = $0; s.onlyFile = only; return s }
        }
        var verifier = Verifier(cacheDirectory: base.cacheDirectory)
        verifier.jobs = jobs
        verifier.shard = shard
        verifier.traceAll = harness.trace
        verifier.tools = base.tools
        verifier.vectorDirectory = harness.keepVectors.map { URL(fileURLWithPath: $0) }
        verifier.progress = base.progress
        let dir = cacheDir
        let vectorsUsed = files != nil
        verifier.reproduce = { spec, job in Self.reproduceLine(spec, job, cacheDir: dir, vectorsUsed: vectorsUsed) }
        let report = try verifier.run(specs, vectors: files)
        guard report.passedCases + report.failedCases > 0 || report.results.contains(where: { !$0.passed }) else {
            throw HarnessError("nothing was checked: shard \(shard) holds no vector file of this run (use fewer shards, more cases or other sources)")
        }
        if let junit { try JUnitReport.write(report, shard: shard, to: URL(fileURLWithPath: junit)) }
        printAntReport(report)
        print("\(report.passedCases) passed, \(report.failedCases) failed")
        return report.passed
    }

    /// The failures, timings and float errors of an ANT harness report.
    func printAntReport(_ report: VerificationReport) {
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
        let p = variant.parameters
        if let line = report.throughputLine(rows: p.rows, cols: p.cols) { print(line) }
        if !report.floatErrors.isEmpty {
            let sorted = report.floatErrors.sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            // The max can be large for tiny GEMMs whose FP32 result nearly cancels to 0; the
            // median and 95th percentile describe the typical error.
            print(String(format: "quantized cases: relative float error ‖C_deq − C_fp32‖/‖C_fp32‖: median %.4f, 95th percentile %.4f, mean %.4f, max %.4f (%d cases)",
                         sorted[sorted.count / 2], sorted[min(sorted.count - 1, sorted.count * 95 / 100)], mean, sorted.last!, sorted.count))
        }
        if report.wrappedQuantizedCases > 0 {
            print("quantized cases whose accumulators wrapped: \(report.wrappedQuantizedCases) (verified bit-exact, left out of the float error)")
        }
    }

    /// `--mutants N`: the control, then N drawn IR mutations (one build each) against the same
    /// golden vectors; one line per mutant, the survivors with their reproduce lines, and the
    /// kill rate. Survivors do not fail the command (each needs a judgement: equivalent, or a
    /// new golden case); a failing control or an unbuildable mutant does.
    func runMutants(_ count: Int, ant: AntVariant, shard: Shard) throws -> Bool {
        guard harness.vectors.isEmpty, harness.only == nil, mutation == "none", shard == .all, junit == nil else {
            throw HarnessError("--mutants runs its own plan; it cannot take --vectors, --only, --mutation, --shard or --junit")
        }
        guard count >= 1 else { throw HarnessError("invalid mutants: \(count) must be at least 1") }
        if let k = mutantNumber, !(1...count).contains(k) {
            throw HarnessError("invalid mutant-number: \(k) (use 1…\(count))")
        }
        let campaign = try MutationCampaign(spec: try antSpec(ant), count: count, seed: seed)
        var verifier = Verifier(cacheDirectory: request.cacheDirectory)
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
                print("     reproduce: \(reproduceMutant(o.number, of: count, ant: ant))")
            }
        }
        let verified = report.outcomes.count - report.errors.count
        print(String(format: "kill rate: %d of %d mutants killed (%.1f %%), %d survived, %d errors",
                     report.killed, verified, report.killRate * 100, report.survivors.count, report.errors.count))
        return report.errors.isEmpty
    }

    /// The command line that verifies only mutant `number` of this draw.
    func reproduceMutant(_ number: Int, of count: Int, ant: AntVariant) -> String {
        var words = ["antgen", "verify"] + ant.selectorArguments
        if let sources = harness.sources { words += ["--sources", sources] }
        words += ["--cases", "\(cases)", "--chunk", "\(harness.chunk ?? 256)", "--seed", "\(seed)", "--mutants", "\(count)", "--mutant-number", "\(number)"]
        if cacheDir != ".antgen-cache" { words += ["--cache-dir", cacheDir] }
        return words.joined(separator: " ")
    }
}
