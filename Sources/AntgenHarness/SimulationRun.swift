import AntgenSupport
import Foundation

/// What one simulator run over one vector file reported.
public struct SimulationOutcome: Sendable {
    /// Per case, in file order: true when every output matched.
    public let casePassed: [Bool]
    /// `MISMATCH`, `LATENCY` and `ERROR` lines, as printed.
    public let problems: [String]
    /// Simulated clock cycles.
    public let cycles: Int
    /// Tiles whose latency was checked for equality with the manifest.
    public let exactLatencyChecks: Int
    /// Wall-clock seconds of the run.
    public let seconds: Double

    /// Parses a harness's (C++ or Verilog) output.
    /// - Throws: ``HarnessError`` when the run ended without a `SUMMARY` line (a crash,
    ///   a bad vector file) — with the simulator's own message.
    public static func parse(_ output: String, status: Int32, seconds: Double, expectedCases: Int, simulator: String) throws -> SimulationOutcome {
        var passed = Array(repeating: false, count: expectedCases)
        var problems: [String] = []
        var cycles = 0, exact = 0
        var summary = false
        for line in output.split(separator: "\n") {
            if line.hasPrefix("MISMATCH") || line.hasPrefix("LATENCY") || line.hasPrefix("ERROR") {
                problems.append(String(line))
            } else if line.hasPrefix("CASE ") {
                let f = line.split(separator: " ")
                if f.count >= 3, let i = Int(f[1]), i >= 0, i < expectedCases { passed[i] = f[2] == "PASS" }
            } else if line.hasPrefix("SUMMARY") {
                summary = true
                for field in line.split(separator: " ").dropFirst() {
                    let kv = field.split(separator: "=")
                    guard kv.count == 2, let v = Int(kv[1]) else { continue }
                    if kv[0] == "cycles" { cycles = v }
                    if kv[0] == "latency_exact" { exact = v }
                    if kv[0] == "errors", v > 0, problems.isEmpty { problems.append("ERROR \(v) protocol errors") }
                }
            }
        }
        guard summary else {
            let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n")
            let firstError = output.split(separator: "\n").first { $0.contains("error") } ?? Substring(tail)
            throw HarnessError("\(simulator) run did not complete (status \(status)): \(firstError)")
        }
        return SimulationOutcome(casePassed: passed, problems: problems, cycles: cycles, exactLatencyChecks: exact, seconds: seconds)
    }
}

/// Options of one Verilator harness run.
public struct VerilatorRunOptions: Sendable, Equatable {
    /// `+verilator+seed+N` (with `+verilator+rand+reset+2`) for X hunting; nil for none.
    public var randomSeed: Int?
    /// Seed of random `in_valid` bubbles; 0 for back-to-back beats.
    public var bubbleSeed: Int = 0
    /// Write an FST waveform here (needs a traced build).
    public var tracePath: URL?
    /// Only dump cycles around this case.
    public var traceCase: Int?

    /// Defaults: back to back, one mid-stream reset, no trace.
    public init(randomSeed: Int? = nil, bubbleSeed: Int = 0, tracePath: URL? = nil, traceCase: Int? = nil) {
        self.randomSeed = randomSeed
        self.bubbleSeed = bubbleSeed
        self.tracePath = tracePath
        self.traceCase = traceCase
    }

    /// The harness arguments after the vector file.
    public var arguments: [String] {
        var a: [String] = []
        if let s = randomSeed { a += ["+verilator+seed+\(s)", "+verilator+rand+reset+2"] }
        if bubbleSeed != 0 { a += ["--bubbles", "\(bubbleSeed)"] }
        if let t = tracePath { a += ["--trace", t.path] }
        if let c = traceCase { a += ["--trace-case", "\(c)"] }
        return a
    }
}

extension SimulatorBinary {
    /// Runs the harness on `vectors` (holding `cases` cases).
    public func run(vectors: URL, cases: Int, options: VerilatorRunOptions = VerilatorRunOptions()) throws -> SimulationOutcome {
        let start = Date()
        let result = try ExternalTool.run(program: executable, [vectors.path] + latencyArguments + options.arguments,
                                          timeout: timeout, name: "the verilator simulation")
        return try SimulationOutcome.parse(result.output, status: result.status, seconds: Date().timeIntervalSince(start),
                                           expectedCases: cases, simulator: "verilator")
    }
}
