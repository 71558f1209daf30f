import AntgenArrays
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenSupport
import ArgumentParser
import Foundation

/// `antgen verify`: golden vectors from each array's Swift reference, run on Verilator and/or
/// Icarus builds of the array; every output compared bit for bit.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an array against golden vectors from its Swift reference (Verilator and/or Icarus).",
        discussion: """
        --array picks the array (`antgen arrays`). --regress runs the whole regression catalogue of \
        every array instead (deal it over machines with --shard i/N; `make regress`).
        """)

    @OptionGroup var selection: ArraySelection

    @Option(help: "Golden cases (ant: random tiles, plus a quarter as many quantized ones; mx: tiles per format pair = cases ÷ pairs, 1…64 blocks).")
    var cases: Int = 200
    @Option(help: "Seed of the golden generator.") var seed: UInt64 = 1
    @Option(help: "Simulator: verilator, icarus or both.") var sim: String = "verilator"
    @Option(help: "Seed for random in_valid bubbles (0: back-to-back beats).") var bubbles: Int = 0
    @Option(help: "Parallel simulator runs.") var jobs: Int = 1
    @Option(help: "Run the deterministic slice i of N (1-based), e.g. 2/4.") var shard: String = "1/1"
    @Option(help: "Write JUnit XML here.") var junit: String?
    @Option(help: "Build cache folder.") var cacheDir: String = ".antgen-cache"
    @Option(help: "Seconds any one tool or simulator run may take before it is killed (default: 1800 for Verilator builds, 600 for the rest).")
    var toolTimeout: Double?
    @Option(help: "Inject a named hardware defect the run must catch (`antgen arrays` lists each array's).") var mutation: String = "none"
    @Option(help: "Mutation testing: verify N random IR mutations of the array (drawn with --seed), one build each, and report the kill rate.")
    var mutants: Int?
    @Option(help: "With --mutants N: verify only mutant K (1…N) of that draw, as a survivor's reproduce line prints.") var mutantNumber: Int?
    @Flag(help: "Run the regression catalogue of every array (refuses the array and harness options).") var regress: Bool = false

    @OptionGroup(title: "ANT harness options (--array ant)") var harness: AntHarnessOptions

    func validate() throws {
        try selection.refuseOptions(notTakenBy: "verify")
        if selection.array.name != AntVariant.name || !selection.shared.partialSums.isNone, let option = harness.given.first {
            throw ValidationError("\(option) is an option of the ANT array's vector harness (--array ant without the partial-sum stage)")
        }
        if regress, let option = selection.givenOptions.first ?? harness.given.first {
            throw ValidationError("--regress runs its own catalogue of every array; it cannot take \(option)")
        }
    }

    func run() throws {
        try reportingErrors(execute)
    }

    func simulators() throws -> [SimulatorKind] {
        switch sim {
        case "verilator": return [.verilator]
        case "icarus": return [.icarus]
        case "both": return [.verilator, .icarus]
        default: throw HarnessError("invalid sim: '\(sim)' (use verilator, icarus or both)")
        }
    }

    /// The request every array's verification takes.
    func request() throws -> VerifyRequest {
        guard cases >= 1 else { throw HarnessError("invalid cases: \(cases) must be at least 1") }
        guard jobs >= 1 else { throw HarnessError("invalid jobs: \(jobs) must be at least 1") }
        if let problem = folderProblem(cacheDir) { throw CLIError("--cache-dir: \(problem)") }
        let timeout = try checkedToolTimeout(toolTimeout)
        return VerifyRequest(cases: cases, seed: seed, simulators: try simulators(), bubbles: bubbles,
                             cacheDirectory: URL(fileURLWithPath: cacheDir), tools: SimulatorTools.standard.withTimeout(timeout), jobs: jobs,
                             progress: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    }

    func execute() throws {
        if let junit { try checkWritable(junit, what: "--junit") }
        let shardValue = try Shard(parsing: shard)
        if regress {
            if !(try VariantRegistry.runRegression(seed: seed, shard: shardValue, request: try request(), junit: junit)) { throw ExitCode(1) }
            return
        }
        let variant = try selection.variant()
        if let ant = variant as? AntVariant, ant.parameters.partialSumStage == nil {
            if let folder = harness.keepVectors, let problem = folderProblem(folder) { throw CLIError("--keep-vectors: \(problem)") }
            let h = harness
            let options = AntHarnessVerification.Options(sources: h.sources, chunk: h.chunk, trace: h.trace, xSeeds: h.xSeeds, vectors: h.vectors,
                                                         keepVectors: h.keepVectors, only: h.only)
            let passed = try AntHarnessVerification(variant: ant, harness: options, request: try request(), mutation: mutation, mutants: mutants,
                                                    mutantNumber: mutantNumber, shard: shardValue, junit: junit, cacheDir: cacheDir).run()
            if !passed { throw ExitCode(1) }
            return
        }
        // These arrays verify one configuration in one simulator process each: nothing to
        // parallelise, and the SDP and replay testbenches build in a scratch folder.
        if jobs != 1 { throw HarnessError("--jobs runs the ANT harness's vector files (or --regress's entries) in parallel; a --array \(type(of: variant).name) verification is one job") }
        let cached = variant is MxVariant
        if cacheDir != ".antgen-cache", !cached {
            throw HarnessError("--cache-dir: this verification builds in a scratch folder and caches nothing (the ANT harness and --array mx cache their builds)")
        }
        if let mutants { return try runMutants(variant, count: mutants, shard: shardValue) }
        guard mutantNumber == nil else { throw HarnessError("--mutant-number selects one mutant of a --mutants draw; give --mutants N too") }
        // One configuration of these arrays is one job (job 0): shard 1 of N runs it, the
        // others hold nothing, which is an error as for the ANT harness's vector files.
        guard shardValue.contains(0) else {
            throw HarnessError("nothing was checked: shard \(shard) holds no job of this run (a --array \(type(of: variant).name) verification is one job, in shard 1; --regress deals many)")
        }
        let outcome = try variant.verify(try request(), defectNamed: mutation)
        let lines = outcome.reportLines(reproduce: reproduceLine(variant))
        for line in lines { print(line) }
        if let junit { try writeAtomically(outcome.junitXML(shard: shardValue), to: URL(fileURLWithPath: junit)) }
        print("\(outcome.passedCases) passed, \(outcome.failedCases) failed")
        if !outcome.passed { throw ExitCode(1) }
    }

    /// `--mutants N` on any array but the ANT vector harness: the real hardware, then N drawn
    /// IR mutations against the same golden cases; survivors do not fail the command (each
    /// needs a judgement), a failing control or an unbuildable mutant does.
    func runMutants(_ variant: any ArrayVariant, count: Int, shard: Shard) throws {
        guard mutation == "none", shard == .all, junit == nil else {
            throw HarnessError("--mutants runs its own plan; it cannot take --mutation, --shard or --junit")
        }
        if let k = mutantNumber, !(1...max(count, 1)).contains(k) { throw HarnessError("invalid mutant-number: \(k) (use 1…\(count))") }
        let campaign = try VariantMutationCampaign(variant: variant, count: count, seed: seed)
        let report = try campaign.run(try request(), numbers: mutantNumber.map { [$0] }) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        print("mutants of \(variant.selectorArguments.joined(separator: " ")), seed \(seed), drawn from \(campaign.candidateCount) candidate mutations:")
        let base = ["antgen", "verify"] + variant.selectorArguments + ["--cases", "\(cases)", "--seed", "\(seed)", "--mutants", "\(count)"]
        for line in VariantMutationCampaign.lines(report, reproduce: { (base + ["--mutant-number", "\($0)"]).joined(separator: " ") }) {
            print(line)
        }
        if !report.errors.isEmpty { throw ExitCode(1) }
    }

    /// `antgen verify --array … --cases N --seed S [--mutation M]` (the simulator is added per run).
    func reproduceLine(_ variant: any ArrayVariant) -> String {
        var words = ["antgen", "verify"] + variant.selectorArguments + ["--cases", "\(cases)", "--seed", "\(seed)"]
        if mutation != "none" { words += ["--mutation", mutation] }
        if bubbles != 0 { words += ["--bubbles", "\(bubbles)"] }
        if cacheDir != ".antgen-cache" { words += ["--cache-dir", cacheDir] }
        return words.joined(separator: " ")
    }
}

extension PartialSumMode {
    /// True for ``none``.
    var isNone: Bool { self == .none }
}

/// The ANT array's vector-harness options: case sources, vector files, X hunting, traces.
struct AntHarnessOptions: ParsableArguments {
    @Option(help: "Case sources: any of exhaustive, random, quantized, or all (those three); throughput: long-K 4-bit tiles back to back, a benchmark mix.")
    var sources: String?
    @Option(help: "Cases per vector file (the unit of scheduling and reporting; default 256).") var chunk: Int?
    @Flag(help: "Write an FST waveform of every Verilator run (failing cases are always traced).") var trace: Bool = false
    @Option(help: "X hunting: also run every file on an --x-assign/--x-initial unique build with these +verilator+seed values (comma-separated).")
    var xSeeds: String?
    @Option(help: "Run these vector files instead of generating (repeatable).") var vectors: [String] = []
    @Option(help: "Keep the generated vector files in this folder.") var keepVectors: String?
    @Option(help: "Run only the vector file with this name (e.g. random-3), as printed on failure.") var only: String?

    /// The options given.
    var given: [String] {
        [("--sources", sources != nil), ("--chunk", chunk != nil), ("--trace", trace), ("--x-seeds", xSeeds != nil),
         ("--vectors", !vectors.isEmpty), ("--keep-vectors", keepVectors != nil), ("--only", only != nil)].filter(\.1).map(\.0)
    }
}
