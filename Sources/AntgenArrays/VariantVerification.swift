import AntgenHarness
import Foundation

/// How one variant verification runs: the golden cases, the simulators and where builds go.
public struct VerifyRequest: Sendable {
    /// Golden cases (each variant's generator decides their shapes).
    public var cases: Int
    /// Seed of the golden generator.
    public var seed: UInt64
    /// The simulators; every case runs on each.
    public var simulators: [SimulatorKind]
    /// Seed of random `in_valid` bubbles (0: back-to-back beats).
    public var bubbles: Int
    /// The Verilator build cache.
    public var cacheDirectory: URL
    /// The tools and their timeouts.
    public var tools: SimulatorTools
    /// Parallel simulator runs.
    public var jobs: Int
    /// Status lines as the run goes (stderr in the CLI).
    public var progress: @Sendable (String) -> Void

    /// Creates a request.
    public init(cases: Int, seed: UInt64, simulators: [SimulatorKind] = [.verilator], bubbles: Int = 0,
                cacheDirectory: URL = URL(fileURLWithPath: ".antgen-cache"), tools: SimulatorTools = .standard, jobs: Int = 1,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.cases = cases
        self.seed = seed
        self.simulators = simulators
        self.bubbles = bubbles
        self.cacheDirectory = cacheDirectory
        self.tools = tools
        self.jobs = jobs
        self.progress = progress
    }
}

extension VerifyRequest {
    /// Refuses `--bubbles` for a testbench that offers beats back to back (never ignores it).
    /// - Throws: ``VariantError`` naming the testbench.
    func refuseBubbles(_ testbench: String) throws {
        guard bubbles == 0 else { throw VariantError("--bubbles: \(testbench) offers its beats back to back; it takes no bubbles") }
    }
}

/// One simulator's verdict on one configuration.
public struct VerifyRun: Sendable {
    /// The configuration's name (`pwlq-2x2-b4-w32`, …).
    public let name: String
    /// The simulator.
    public let simulator: SimulatorKind
    /// Cases run and cases that failed.
    public let cases: Int, failedCases: Int
    /// Mismatch and protocol lines, first ones first.
    public let problems: [String]
    /// Cycles simulated (0 when the testbench does not count them).
    public let cycles: Int
    /// Seconds simulating.
    public let seconds: Double

    /// Creates a run.
    public init(name: String, simulator: SimulatorKind, cases: Int, failedCases: Int, problems: [String], cycles: Int = 0, seconds: Double = 0) {
        self.name = name
        self.simulator = simulator
        self.cases = cases
        self.failedCases = failedCases
        self.problems = problems
        self.cycles = cycles
        self.seconds = seconds
    }

    /// True when every case passed and nothing else went wrong.
    public var passed: Bool { failedCases == 0 && problems.isEmpty && cases > 0 }
}

/// What a variant verification found: one ``VerifyRun`` per configuration and simulator.
public struct VerifyOutcome: Sendable {
    /// The runs.
    public var runs: [VerifyRun]

    /// Creates an outcome.
    public init(runs: [VerifyRun]) { self.runs = runs }

    /// Cases that passed.
    public var passedCases: Int { runs.reduce(0) { $0 + max($1.cases - max($1.failedCases, $1.passed ? 0 : 1), 0) } }
    /// Cases that failed (a run that failed without a failing case counts one).
    public var failedCases: Int { runs.reduce(0) { $0 + ($1.passed ? 0 : max($1.failedCases, 1)) } }
    /// True when every run passed.
    public var passed: Bool { !runs.isEmpty && runs.allSatisfy(\.passed) }
}

extension ArrayVariant {
    /// ``verify(_:defect:)`` with the defect given by name (`none` or nil: the real hardware).
    public func verify(_ request: VerifyRequest, defectNamed name: String?) throws -> VerifyOutcome {
        try verify(request, defect: try Self.defect(named: name))
    }

    /// ``run(_:_:defect:)`` with the defect given by name.
    public func run(_ layer: FloatLayer, _ request: LayerRunRequest, defectNamed name: String?) throws -> LayerRunOutcome {
        try run(layer, request, defect: try Self.defect(named: name))
    }
}

extension VerifyOutcome {
    /// One line per run, its first problems, and for a failure the reproduce line (`reproduce`
    /// plus `--sim`).
    public func reportLines(reproduce: String) -> [String] {
        var lines: [String] = []
        for r in runs {
            let cycles = r.cycles > 0 ? ", \(r.cycles) cycles" : ""
            lines.append("\(r.passed ? "PASS" : "FAIL") \(r.name) \(r.simulator): \(r.cases - r.failedCases) of \(r.cases) cases passed\(cycles)"
                + String(format: " (%.1f s)", r.seconds))
            for problem in r.problems.prefix(10) { lines.append("  \(problem)") }
            if r.problems.count > 10 { lines.append("  … \(r.problems.count - 10) more problem lines") }
            if !r.passed { lines.append("  reproduce: \(reproduce) --sim \(r.simulator)") }
        }
        return lines
    }

    /// JUnit XML: one `<testsuite>` per configuration, one `<testcase>` per simulator run
    /// (``JUnitReport``'s schema and writer).
    public func junitXML(shard: Shard) -> String {
        var order: [String] = []
        var byName: [String: [VerifyRun]] = [:]
        for r in runs {
            if byName[r.name] == nil { order.append(r.name) }
            byName[r.name, default: []].append(r)
        }
        return JUnitReport.xml(suites: order.map { name in
            (name, (byName[name] ?? []).map { r in
                JUnitReport.TestCase(className: name, name: "\(r.simulator)", seconds: r.seconds,
                                     failure: r.passed ? nil : ("\(r.failedCases) of \(r.cases) cases failed", r.problems.prefix(50).joined(separator: "\n")))
            })
        }, shard: shard)
    }
}

extension VariantRegistry {
    /// The one regression catalogue: every variant's ``ArrayVariant/regression(seed:)``, in
    /// registry order (`antgen verify --regress`, dealt over `--shard i/N` by index).
    public static func regressionCatalogue(seed: UInt64) throws -> [RegressionEntry] {
        try all.flatMap { try $0.regression(seed: seed) } + ShellRegressionCheck.entries(seed: seed)
    }
}
