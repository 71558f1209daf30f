import AntgenGolden
import AntgenHardware
import AntgenNumerics

/// The nightly-size regression (`antgen verify --regress`, `make regress`): every array
/// shape of the verification plan and more, several type configurations, all precision pairs, the
/// exhaustive suite, X hunting and an Icarus cross-check. Shard it with `--shard i/N`.
public enum RegressionSuite {
    /// The specs of the nightly sweep for `seed`. Quantized counts are a quarter of the
    /// random counts, as `antgen verify --cases N` makes them, so reproduce lines hold.
    public static func nightly(seed: UInt64) throws -> [VerificationSpec] {
        let all = AntType.allCases
        let paper: [AntType] = [.int, .flint, .pot]
        func spec(_ r: Int, _ c: Int, _ act: [AntType], _ wgt: [AntType], w: Int, int8: Bool, bits: Int = 4,
                  sources: [(source: CaseSource, count: Int)], sims: [SimulatorKind] = [.verilator], x: [Int] = []) throws -> VerificationSpec {
            let p = try ArrayParameters(rows: r, cols: c, codeWidth: bits, activationTypes: act, weightTypes: wgt, accumulatorWidth: w, int8: int8)
            return VerificationSpec(parameters: p, sources: sources, seed: seed, chunk: 500, simulators: sims, xSeeds: x, icarusFileLimit: 2)
        }
        let heavy: [(source: CaseSource, count: Int)] = [(.random, 8000), (.quantized, 2000)]
        // The weight-stationary array (docs/architecture.md §12) on the same vector files.
        func ws(_ base: VerificationSpec) -> VerificationSpec {
            var spec = base
            spec.dataflow = .ws
            return spec
        }
        return [
            try spec(16, 16, all, all, w: 32, int8: true, sources: [(.exhaustive, 0)], sims: [.verilator, .icarus]),
            try spec(1, 1, all, all, w: 24, int8: true, sources: heavy),
            try spec(2, 3, paper, paper, w: 32, int8: true, sources: heavy, x: [1, 2, 3]),
            try spec(3, 5, all, all, w: 16, int8: true, sources: heavy),
            try spec(4, 4, [.int, .pot], [.flint, .float], w: 20, int8: false, sources: heavy, sims: [.verilator, .icarus]),
            try spec(7, 13, paper, paper, w: 32, int8: true, sources: heavy, x: [4, 5]),
            try spec(8, 8, paper, paper, w: 32, int8: true, sources: heavy, sims: [.verilator, .icarus]),
            try spec(8, 8, all, all, w: 12, int8: true, sources: heavy),
            try spec(12, 5, [.float], [.float, .int], w: 40, int8: false, bits: 5, sources: heavy),
            try spec(16, 16, all, all, w: 32, int8: true, sources: heavy, x: [6]),
            try spec(2, 2, [.int, .flint, .float], [.int], w: 48, int8: false, bits: 8, sources: heavy),
            try spec(5, 2, all, all, w: 14, int8: false, bits: 3, sources: heavy),
            try spec(32, 32, paper, paper, w: 32, int8: true, sources: [(.random, 1000), (.quantized, 250)]),
            ws(try spec(16, 16, all, all, w: 32, int8: true, sources: [(.exhaustive, 0)])),
            ws(try spec(3, 5, all, all, w: 16, int8: true, sources: heavy, sims: [.verilator, .icarus])),
            ws(try spec(8, 8, paper, paper, w: 32, int8: true, sources: heavy, sims: [.verilator, .icarus])),
        ]
    }
}
