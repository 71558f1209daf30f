import AntgenGolden
import AntgenHardware
import Foundation

/// The simulators a run can use.
public enum SimulatorKind: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Verilator with the C++ harness (`Testbenches/harness/harness.cpp`).
    case verilator
    /// Icarus Verilog with the Verilog testbench (`Testbenches/harness/tb.v`).
    case icarus
    /// The command-line name.
    public var description: String { rawValue }
}

/// One configuration to verify and how.
public struct VerificationSpec: Sendable {
    /// The array build.
    public var parameters: ArrayParameters
    /// An injected defect (nil for the real hardware; mutants must fail).
    public var mutant: Mutant? = nil
    /// Case sources and counts (count is ignored for exhaustive).
    public var sources: [(source: CaseSource, count: Int)]
    /// The generation seed.
    public var seed: UInt64
    /// Cases per vector file (the unit of scheduling, sharding and reporting).
    public var chunk: Int = 64
    /// Simulators to run every file on.
    public var simulators: [SimulatorKind] = [.verilator]
    /// Extra Verilator runs on an X-hunting build, one per `+verilator+seed` value.
    public var xSeeds: [Int] = []
    /// Bubble seed for the Verilator runs (0: back to back).
    public var bubbleSeed: Int = 0
    /// At most this many vector files go to Icarus (it is much slower); nil for all.
    public var icarusFileLimit: Int? = nil
    /// Run only the vector file with this name (`random-3`), to reproduce a failure.
    public var onlyFile: String? = nil
    /// The array: output-stationary (default) or weight-stationary (`--dataflow ws`).
    public var dataflow: ArrayDataflow = .os

    /// Creates a spec.
    public init(parameters: ArrayParameters, mutant: Mutant? = nil, sources: [(source: CaseSource, count: Int)],
                seed: UInt64, chunk: Int = 64, simulators: [SimulatorKind] = [.verilator], xSeeds: [Int] = [],
                bubbleSeed: Int = 0, icarusFileLimit: Int? = nil) {
        self.parameters = parameters
        self.mutant = mutant
        self.sources = sources
        self.seed = seed
        self.chunk = chunk
        self.simulators = simulators
        self.xSeeds = xSeeds
        self.bubbleSeed = bubbleSeed
        self.icarusFileLimit = icarusFileLimit
    }

    /// `8x8-bits4-W32-int_flint_pot-x-int_flint_pot-int8` (+ `-mutant-<name>`).
    public var name: String {
        let p = parameters
        var s = "\(p.rows)x\(p.cols)-bits\(p.codeWidth)-W\(p.accumulatorWidth)-\(p.activation.types.map(\.description).joined(separator: "_"))-x-\(p.weight.types.map(\.description).joined(separator: "_"))"
        if p.int8 { s += "-int8" }
        if dataflow == .ws { s += "-ws" }
        if let mutant { s += "-mutant-\(mutant)" }
        return s
    }

    /// The golden model's view of the build.
    public func goldenConfiguration() throws -> ArrayConfiguration {
        let p = parameters
        return try ArrayConfiguration(rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, accumulatorWidth: p.accumulatorWidth,
                                      activationTypes: p.activation.types, weightTypes: p.weight.types, int8: p.int8)
    }
}

/// One simulator run over one vector file: the unit a shard selects.
public struct VerificationJob: Sendable {
    /// Index of the spec in the plan.
    public let specIndex: Int
    /// `random-3`: source and chunk number.
    public let fileName: String
    /// Index of the file within the spec's files.
    public let fileIndex: Int
    /// The simulator.
    public let simulator: SimulatorKind
    /// `+verilator+seed` for X-hunting runs (Verilator on the X build), else nil.
    public let xSeed: Int?

    /// `random-3@verilator`, `random-3@verilator-x7`, `random-3@icarus`.
    public var name: String { "\(fileName)@\(simulator)" + (xSeed.map { "-x\($0)" } ?? "") }
}

/// A `--shard i/N` selection: job j runs in shard j mod N.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based shard number.
    public let index: Int
    /// Number of shards.
    public let count: Int

    /// Parses `i/N` with 1 ≤ i ≤ N.
    /// - Throws: ``HarnessError`` for anything else.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw HarnessError("invalid shard '\(text)': expected i/N with 1 ≤ i ≤ N")
        }
        index = i
        count = n
    }

    /// The whole run.
    public static let all = try! Shard(parsing: "1/1")

    /// True when job number `j` (0-based, in plan order) belongs to this shard.
    public func contains(_ j: Int) -> Bool { j % count == index - 1 }

    /// `i/N`.
    public var description: String { "\(index)/\(count)" }
}
