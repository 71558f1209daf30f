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
    /// Exit status of the simulator.
    public let status: Int32
    /// Wall-clock seconds of the run.
    public let seconds: Double
    /// The last lines of output, for error messages.
    public let tail: String

    /// True when the run completed, every case passed and nothing else went wrong.
    public var passed: Bool { status == 0 && !casePassed.isEmpty && casePassed.allSatisfy { $0 } && problems.isEmpty }

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
        let tail = output.split(separator: "\n").suffix(8).joined(separator: "\n")
        guard summary else {
            let firstError = output.split(separator: "\n").first { $0.contains("error") } ?? Substring(tail)
            throw HarnessError("\(simulator) run did not complete (status \(status)): \(firstError)")
        }
        return SimulationOutcome(casePassed: passed, problems: problems, cycles: cycles, exactLatencyChecks: exact,
                                 status: status, seconds: seconds, tail: tail)
    }
}

/// Runs an executable and returns its exit status and combined output.
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Options of one Verilator harness run.
public struct VerilatorRunOptions: Sendable, Equatable {
    /// `+verilator+seed+N` (with `+verilator+rand+reset+2`) for X hunting; nil for none.
    public var randomSeed: Int?
    /// Seed of random `in_valid` bubbles; 0 for back-to-back beats.
    public var bubbleSeed: Int = 0
    /// Skip the reset in the middle of the stream.
    public var noMidReset = false
    /// Write an FST waveform here (needs a traced build).
    public var tracePath: URL?
    /// Only dump cycles around this case.
    public var traceCase: Int?

    /// Defaults: back to back, one mid-stream reset, no trace.
    public init(randomSeed: Int? = nil, bubbleSeed: Int = 0, noMidReset: Bool = false, tracePath: URL? = nil, traceCase: Int? = nil) {
        self.randomSeed = randomSeed
        self.bubbleSeed = bubbleSeed
        self.noMidReset = noMidReset
        self.tracePath = tracePath
        self.traceCase = traceCase
    }

    /// The harness arguments after the vector file.
    public var arguments: [String] {
        var a: [String] = []
        if let s = randomSeed { a += ["+verilator+seed+\(s)", "+verilator+rand+reset+2"] }
        if bubbleSeed != 0 { a += ["--bubbles", "\(bubbleSeed)"] }
        if noMidReset { a.append("--no-reset") }
        if let t = tracePath { a += ["--trace", t.path] }
        if let c = traceCase { a += ["--trace-case", "\(c)"] }
        return a
    }
}

extension SimulatorBinary {
    /// Runs the harness on `vectors` (holding `cases` cases).
    public func run(vectors: URL, cases: Int, options: VerilatorRunOptions = VerilatorRunOptions()) throws -> SimulationOutcome {
        let start = Date()
        let result = try runProcess(executable, [vectors.path] + latencyArguments + options.arguments)
        return try SimulationOutcome.parse(result.output, status: result.status, seconds: Date().timeIntervalSince(start),
                                           expectedCases: cases, simulator: "verilator")
    }
}
