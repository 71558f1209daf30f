import AntgenGolden
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation

/// The result of one job.
public struct JobResult: Sendable {
    /// The spec's name.
    public let specName: String
    /// The job.
    public let job: VerificationJob
    /// Cases in the file.
    public let cases: Int
    /// Cases that failed.
    public let failedCases: [Int]
    /// The simulator's problem lines (mismatches, latency, protocol errors).
    public let problems: [String]
    /// Seconds of simulation.
    public let seconds: Double
    /// Simulated cycles.
    public let cycles: Int
    /// Multiply-accumulates the file checks (Σ K·rows·cols).
    public let macs: Int
    /// Tiles whose latency the simulator compared for equality with the manifest.
    public let latencyChecks: Int
    /// A harness error that stopped the run (crash, unreadable file), if any.
    public let error: String?
    /// The one-line command that reproduces a failure.
    public let reproduce: String?
    /// The waveform of the first failing case (Verilator), if written.
    public internal(set) var waveform: URL?
    /// The failing case to trace after the simulation phase (Verilator), if any.
    var pendingTrace: Int?

    /// True when every case passed and nothing went wrong.
    public var passed: Bool { failedCases.isEmpty && problems.isEmpty && error == nil }
}

/// Everything a verification run did.
public struct VerificationReport: Sendable {
    /// Per job, in plan order.
    public var results: [JobResult] = []
    /// Seconds generating golden vectors.
    public var generationSeconds = 0.0
    /// Seconds building simulators (cache hits cost nothing).
    public var buildSeconds = 0.0
    /// Builds taken from the cache / built.
    public var cachedBuilds = 0, freshBuilds = 0
    /// Wall-clock seconds of the simulation phase.
    public var simulationSeconds = 0.0
    /// Relative float errors of the quantized cases whose accumulators did not wrap
    /// (dequantised vs FP32 GEMM).
    public var floatErrors: [Double] = []
    /// Quantized cases whose accumulators wrapped (W too narrow for the data).
    public var wrappedQuantizedCases = 0

    /// Cases that passed, over all jobs.
    public var passedCases: Int { results.reduce(0) { $0 + ($1.error == nil ? $1.cases - $1.failedCases.count : 0) } }
    /// Cases that failed (a job that could not run counts all its cases).
    public var failedCases: Int { results.reduce(0) { $0 + ($1.error == nil ? $1.failedCases.count : $1.cases) } + protocolOnlyFailures }
    /// Jobs that failed only through protocol errors count one failure each.
    var protocolOnlyFailures: Int { results.filter { $0.error == nil && $0.failedCases.isEmpty && !$0.problems.isEmpty }.count }
    /// Multiply-accumulates checked.
    public var macs: Int { results.reduce(0) { $0 + $1.macs } }
    /// True when nothing failed.
    public var passed: Bool { results.allSatisfy(\.passed) }
    /// Simulated cycles, over all jobs.
    public var cycles: Int { results.reduce(0) { $0 + $1.cycles } }

    /// MAC utilization of an R × C array: checked MACs ÷ (cycles · R · C), the fraction of
    /// the PEs' cycles that did a 4-bit-equivalent MAC of a checked output (an int8 MAC
    /// takes 2 or 4 of them); nil when nothing was simulated.
    public func utilization(rows: Int, cols: Int) -> Double? {
        cycles > 0 ? Double(macs) / (Double(cycles) * Double(rows * cols)) : nil
    }

    /// `utilization 57.0 % of 1024 PEs; 12.3 M checked MACs/s (simulation wall)`, or nil
    /// when nothing was simulated.
    public func throughputLine(rows: Int, cols: Int) -> String? {
        guard let u = utilization(rows: rows, cols: cols) else { return nil }
        let rate = simulationSeconds > 0 ? Double(macs) / simulationSeconds / 1e6 : 0
        return String(format: "utilization %.1f %% of %d PEs (MACs / (cycles × PEs)); %.1f M checked MACs/s of simulation wall",
                      u * 100, rows * cols, rate)
    }
}

/// Thread-safe collection of job results for the parallel phase.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: JobResult] = [:]
    private var done = 0
    func put(_ index: Int, _ r: JobResult) -> Int {
        lock.lock(); defer { lock.unlock() }
        results[index] = r; done += 1
        return done
    }
    private var traced: Set<String> = []
    func sorted() -> [JobResult] { lock.lock(); defer { lock.unlock() }; return results.keys.sorted().compactMap { results[$0] } }
    /// True the first time `key` is claimed: one failure waveform (and traced build) per spec.
    func claimTrace(_ key: String) -> Bool { lock.lock(); defer { lock.unlock() }; return traced.insert(key).inserted }
}

/// Runs verification specs: generates golden vectors, builds (or reuses) simulators,
/// runs the shard's jobs `jobs` at a time, and on a failure writes a waveform.
public struct Verifier: Sendable {
    /// Build cache folder.
    public var cacheDirectory: URL
    /// Where failing vector files and waveforms go.
    public var failureDirectory: URL
    /// Parallel simulator runs.
    public var jobs: Int = 1
    /// Which slice of the jobs to run.
    public var shard: Shard = .all
    /// Write the waveform of the first failing case of each failing Verilator job.
    public var traceFailures = true
    /// Trace every Verilator run (FST files in the failure folder).
    public var traceAll = false
    /// Keep the generated vector files here (else they live in a temporary folder).
    public var vectorDirectory: URL?
    /// The simulators' programs.
    public var tools: SimulatorTools = .standard
    /// Progress lines go here (stderr in the CLI).
    public var progress: @Sendable (String) -> Void = { _ in }
    /// Reproduce command prefix for a spec and job.
    public var reproduce: @Sendable (VerificationSpec, VerificationJob) -> String = { _, _ in "" }

    /// Creates a verifier.
    public init(cacheDirectory: URL, failureDirectory: URL? = nil) {
        self.cacheDirectory = cacheDirectory
        self.failureDirectory = failureDirectory ?? cacheDirectory.appendingPathComponent("failures")
    }

    /// The harness options of a Verilator job (X-hunting seed, or the spec's bubbles), with
    /// an optional waveform: the same for the job's run and its traced re-run.
    static func runOptions(_ spec: VerificationSpec, _ job: VerificationJob, trace: URL? = nil, traceCase: Int? = nil) -> VerilatorRunOptions {
        VerilatorRunOptions(randomSeed: job.xSeed, bubbleSeed: job.xSeed == nil ? spec.bubbleSeed : 0, tracePath: trace, traceCase: traceCase)
    }

    /// Key of a spec's binary (`x`: the X-hunting build).
    static func key(_ s: Int, x: Bool) -> String { "\(s)-\(x)" }

    /// The jobs of `spec` for `fileCount` vector files, in a fixed order.
    static func jobs(specIndex: Int, spec: VerificationSpec, fileNames: [String]) -> [VerificationJob] {
        var jobs: [VerificationJob] = []
        for (f, name) in fileNames.enumerated() {
            for sim in spec.simulators {
                if sim == .icarus, let limit = spec.icarusFileLimit, f >= limit { continue }
                jobs.append(VerificationJob(specIndex: specIndex, fileName: name, fileIndex: f, simulator: sim, xSeed: nil))
            }
            for x in spec.xSeeds {
                jobs.append(VerificationJob(specIndex: specIndex, fileName: name, fileIndex: f, simulator: .verilator, xSeed: x))
            }
        }
        return jobs
    }

    /// Runs `specs` (vector files may be given directly with `vectors`, bypassing generation).
    public func run(_ specs: [VerificationSpec], vectors: [URL: VectorFile]? = nil) throws -> VerificationReport {
        let testbenches = try TestbenchSources.locate()
        for sim in SimulatorKind.allCases where specs.contains(where: { $0.simulators.contains(sim) || (sim == .verilator && !$0.xSeeds.isEmpty) }) {
            try tools.require(sim)
        }
        var report = VerificationReport()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-verify-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        InterruptCleanup.track(work)
        defer { try? FileManager.default.removeItem(at: work); InterruptCleanup.untrack(work) }

        // Kept vectors are staged and moved into place after generation: whole or absent.
        let kept = try vectorDirectory.map { try KeptVectorFolder(target: $0) }
        defer { kept?.discard() }
        // Phase 1: golden vectors.
        var specFiles: [[(name: String, url: URL, file: VectorFile)]] = []
        var allJobs: [VerificationJob] = []
        var jobCounter = 0
        let generationStart = Date()
        for (s, spec) in specs.enumerated() {
            var files: [(name: String, url: URL, file: VectorFile)] = []
            if let vectors {
                for (url, file) in vectors.sorted(by: { $0.key.path < $1.key.path }) { files.append((url.deletingPathExtension().lastPathComponent, url, file)) }
            } else {
                progress("generate \(spec.name): \(spec.sources.map { "\($0.source)" + ($0.source == .exhaustive ? "" : " \($0.count)") }.joined(separator: ", ")) …")
                let generator = try GoldenGenerator(configuration: spec.goldenConfiguration())
                for (source, count) in spec.sources {
                    let cases = try generator.cases(source, count: count, seed: spec.seed)
                    report.floatErrors += cases.filter { !$0.accumulatorWrapped }.compactMap(\.floatError)
                    report.wrappedQuantizedCases += cases.filter { $0.floatError != nil && $0.accumulatorWrapped }.count
                    for (i, file) in generator.files(cases, source: source, seed: spec.seed, chunk: spec.chunk).enumerated() {
                        let name = "\(source)-\(i)"
                        let url: URL
                        if let kept {
                            url = try kept.write(file, named: "\(spec.name)-\(name).hex")
                        } else {
                            url = work.appendingPathComponent("\(s)-\(name).hex")
                            try file.write(to: url)
                        }
                        files.append((name, url, file))
                    }
                }
            }
            let specJobs = Self.jobs(specIndex: s, spec: spec, fileNames: files.map(\.name))
                .filter { spec.onlyFile == nil || $0.fileName == spec.onlyFile }
            if let only = spec.onlyFile, specJobs.isEmpty {
                throw HarnessError("no vector file named '\(only)' in \(spec.name) (names are <source>-<chunk>, e.g. random-0)")
            }
            for job in specJobs {
                if shard.contains(jobCounter) { allJobs.append(job) }
                jobCounter += 1
            }
            specFiles.append(files)
        }
        if let kept {
            let moved = try kept.commit()
            specFiles = specFiles.map { files in files.map { ($0.name, moved[$0.url] ?? $0.url, $0.file) } }
        }
        report.generationSeconds = Date().timeIntervalSince(generationStart)

        // Phase 2: builds, one at a time.
        let builder = VerilatorBuilder(cacheDirectory: cacheDirectory, testbenches: testbenches, verilator: tools.verilator,
                                       simulationTimeout: tools.simulationTimeout)
        var binaries: [String: SimulatorBinary] = [:]
        var designs: [Int: GeneratedDesign] = [:]
        for s in Set(allJobs.map(\.specIndex)).sorted() {
            let spec = specs[s]
            let needs = Set(allJobs.filter { $0.specIndex == s }.map { "\($0.simulator)-\($0.xSeed != nil)" })
            for variant in [false, true] where needs.contains("verilator-\(variant)") {
                progress("build \(spec.name)\(variant ? " (X hunting)" : "") …")
                let binary = try builder.binary(for: BuildRequest(parameters: spec.parameters, mutant: spec.mutant,
                                                                  trace: traceAll && spec.dataflow == .os, xHunt: variant,
                                                                  dataflow: spec.dataflow))
                report.buildSeconds += binary.buildSeconds
                if binary.cached { report.cachedBuilds += 1 } else { report.freshBuilds += 1 }
                progress(binary.cached ? "  cached \(binary.directory.lastPathComponent)" : String(format: "  built in %.1f s", binary.buildSeconds))
                binaries[Self.key(s, x: variant)] = binary
            }
            if needs.contains("icarus-false") {
                designs[s] = try GeneratedDesign(BuildRequest(parameters: spec.parameters, mutant: spec.mutant, dataflow: spec.dataflow))
            }
        }

        // Phase 3: simulation, `jobs` at a time.
        let box = ResultBox()
        let simulationStart = Date()
        let total = allJobs.count
        let lanes = max(1, min(jobs, total))
        let progress = self.progress
        let frozenBinaries = binaries, frozenDesigns = designs, frozenFiles = specFiles, frozenJobs = allJobs
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in
            for index in stride(from: lane, to: total, by: lanes) {
                let job = frozenJobs[index]
                let spec = specs[job.specIndex]
                let entry = frozenFiles[job.specIndex][job.fileIndex]
                let result = runJob(job, spec: spec, entry: entry, work: work, binary: frozenBinaries[Self.key(job.specIndex, x: job.xSeed != nil)],
                                    design: frozenDesigns[job.specIndex], testbenches: testbenches, box: box)
                let done = box.put(index, result)
                let status = result.passed ? "ok" : (result.error != nil ? "ERROR" : "FAIL \(result.failedCases.count)/\(result.cases)")
                progress(String(format: "[%d/%d] %@ %@: %d cases %@ (%.2f s)", done, total, spec.name, job.name, result.cases, status, result.seconds))
            }
        }
        report.simulationSeconds = Date().timeIntervalSince(simulationStart)
        report.results = box.sorted()

        // Phase 4: waveforms of the first failing case per spec, from traced builds.
        for index in report.results.indices {
            guard let failing = report.results[index].pendingTrace else { continue }
            let job = report.results[index].job
            let spec = specs[job.specIndex]
            let entry = specFiles[job.specIndex][job.fileIndex]
            let fst = failureDirectory.appendingPathComponent("\(spec.name)-\(entry.name)-case\(failing).fst")
            progress("trace \(spec.name) \(job.name) case \(failing) …")
            let start = Date()
            if spec.dataflow == .os,
               let traced = try? builder.binary(for: BuildRequest(parameters: spec.parameters, mutant: spec.mutant, trace: true,
                                                                  xHunt: job.xSeed != nil)),
               (try? traced.run(vectors: entry.url, cases: entry.file.cases.count,
                                options: Self.runOptions(spec, job, trace: fst, traceCase: failing))) != nil,
               FileManager.default.fileExists(atPath: fst.path) {
                report.results[index].waveform = fst
            }
            report.buildSeconds += Date().timeIntervalSince(start)
        }
        return report
    }

    /// Runs one job and, on failure, saves the vector file and (Verilator) the waveform.
    func runJob(_ job: VerificationJob, spec: VerificationSpec, entry: (name: String, url: URL, file: VectorFile), work: URL,
                binary: SimulatorBinary?, design: GeneratedDesign?, testbenches: TestbenchSources, box: ResultBox) -> JobResult {
        let file = entry.file
        let macs = file.cases.reduce(0) { $0 + $1.reduction * file.configuration.rows * file.configuration.cols }
        var outcome: SimulationOutcome?
        var error: String?
        do {
            switch job.simulator {
            case .verilator:
                var trace: URL?
                if traceAll {
                    try? FileManager.default.createDirectory(at: failureDirectory, withIntermediateDirectories: true)
                    trace = failureDirectory.appendingPathComponent("\(spec.name)-\(job.name).fst")
                }
                guard let binary else { throw HarnessError("no Verilator build of \(spec.name) for job \(job.name)") }
                outcome = try binary.run(vectors: entry.url, cases: file.cases.count, options: Self.runOptions(spec, job, trace: trace))
            case .icarus:
                guard let design else { throw HarnessError("no generated design of \(spec.name) for job \(job.name)") }
                outcome = try IcarusRunner(testbenches: testbenches, tools: tools).run(design: design, vectors: entry.url, file: file,
                                                                          work: work.appendingPathComponent("icarus-\(job.specIndex)-\(entry.name)"))
            }
        } catch let e {
            error = "\(e)"
        }
        let failed = outcome.map { o in o.casePassed.enumerated().filter { !$0.element }.map(\.offset) } ?? []
        let problems = outcome?.problems ?? []
        var pendingTrace: Int?
        var reproduce: String?
        if error != nil || !failed.isEmpty || !problems.isEmpty {
            reproduce = self.reproduce(spec, job)
            let fm = FileManager.default
            try? fm.createDirectory(at: failureDirectory, withIntermediateDirectories: true)
            let saved = failureDirectory.appendingPathComponent("\(spec.name)-\(entry.name).hex")
            try? fm.removeItem(at: saved)
            try? fm.copyItem(at: entry.url, to: saved)
            // The traced build and run happen after the simulation phase, so their time
            // counts as build time and never as simulation.
            if traceFailures, !traceAll, job.simulator == .verilator, let first = failed.first, box.claimTrace("\(spec.name)-\(job.xSeed != nil)") {
                pendingTrace = first
            }
        }
        return JobResult(specName: spec.name, job: job, cases: file.cases.count, failedCases: failed, problems: problems,
                         seconds: outcome?.seconds ?? 0, cycles: outcome?.cycles ?? 0, macs: macs,
                         latencyChecks: outcome?.exactLatencyChecks ?? 0, error: error,
                         reproduce: reproduce, waveform: nil, pendingTrace: pendingTrace)
    }
}
