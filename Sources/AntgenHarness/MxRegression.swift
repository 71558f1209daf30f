import AntgenGolden
import AntgenHardware
import AntgenNumerics
import Foundation

/// One MX verification configuration: the array, the random tiles' largest block count,
/// the seed, the simulators and the in_valid bubble seed.
public struct MxVerificationSpec: Sendable {
    /// The array.
    public var parameters: MxArrayParameters
    /// Random tiles of 1 … maxBlocks blocks per format pair.
    public var maxBlocks: Int
    /// The golden generator's seed.
    public var seed: UInt64
    /// Run on Verilator.
    public var verilator: Bool
    /// Run on Icarus.
    public var icarus: Bool
    /// Drop in_valid in about one cycle in eight on Verilator (nil: back to back).
    public var bubbles: UInt64?
    /// A named defect the run must catch.
    public var mutant: (any DesignDefect)?

    /// Creates a spec.
    public init(parameters: MxArrayParameters, maxBlocks: Int = 8, seed: UInt64 = 1, verilator: Bool = true, icarus: Bool = false,
                bubbles: UInt64? = nil, mutant: (any DesignDefect)? = nil) {
        self.parameters = parameters
        self.maxBlocks = maxBlocks
        self.seed = seed
        self.verilator = verilator
        self.icarus = icarus
        self.bubbles = bubbles
        self.mutant = mutant
    }

    /// `mx 2x2 fp4-int8 k32 fp32`.
    public var name: String { parameters.tag + (mutant.map { "-\($0)" } ?? "") }

    /// Generates the cases and runs them on the chosen simulators.
    public func run(_ verifier: MxVerifier, work: URL) throws -> [MxRunResult] {
        let design = try MxGeneratedDesign(parameters, mutant: mutant)
        let cases = MxCaseGenerator(model: MxGoldenModel(design.golden), maxBlocks: maxBlocks, seed: seed).cases()
        let file = MxVectorFile(configuration: design.golden, cases: cases)
        var results: [MxRunResult] = []
        if verilator { results.append(try verifier.runVerilator(design, file: file, work: work.appendingPathComponent("verilator"), bubbles: bubbles)) }
        if icarus { results.append(try verifier.runIcarus(design, file: file, work: work.appendingPathComponent("icarus"))) }
        return results
    }
}

/// The MX configurations of `antgen verify --regress` (`make regress`): every format pair,
/// both accumulators, several window sizes and shapes, Icarus on two of them.
public enum MxRegressionSuite {
    /// The nightly MX specs for `seed`.
    public static func nightly(seed: UInt64) -> [MxVerificationSpec] {
        let all = MxElementFormat.allCases
        return [
            MxVerificationSpec(parameters: MxArrayParameters(rows: 2, cols: 2, formats: all), seed: seed, icarus: true),
            MxVerificationSpec(parameters: MxArrayParameters(rows: 3, cols: 2, formats: all, accumulation: .window(8)), seed: seed, icarus: true),
            MxVerificationSpec(parameters: MxArrayParameters(rows: 4, cols: 3, formats: [.fp4e2m1, .fp8e4m3, .int8], accumulation: .window(4)),
                               seed: seed, bubbles: seed),
            MxVerificationSpec(parameters: MxArrayParameters(rows: 1, cols: 1, formats: [.fp6e3m2, .fp8e5m2], accumulation: .window(16)), seed: seed),
            MxVerificationSpec(parameters: MxArrayParameters(rows: 8, cols: 8, formats: all), maxBlocks: 4, seed: seed, bubbles: seed),
        ]
    }
}
