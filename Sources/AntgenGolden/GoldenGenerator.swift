import AntgenNumerics

/// Generates vector files: the single entry point the runner and tests use.
public struct GoldenGenerator: Sendable {
    /// The golden model of the build.
    public let model: GoldenModel

    /// Creates the generator for a configuration.
    /// - Throws: ``ConfigurationError`` when a mode of the build cannot be decoded exactly.
    public init(configuration: ArrayConfiguration) throws {
        model = try GoldenModel(configuration: configuration)
    }

    /// The cases of one source. `count` is ignored for ``CaseSource/exhaustive`` (its size
    /// is fixed by the build). The same (configuration, source, count, seed) always gives
    /// the same cases; each source draws from its own sub-stream of `seed`.
    public func cases(_ source: CaseSource, count: Int, seed: UInt64) throws -> [GoldenCase] {
        var rng = SplitMix64(seed: seed).derived(UInt64(CaseSource.allCases.firstIndex(of: source)! + 1))
        switch source {
        case .exhaustive: return CaseGenerator.exhaustive(model)
        case .random: return try CaseGenerator.random(model, count: count, rng: &rng)
        case .quantized: return try QuantizedCaseGenerator.cases(model, count: count, rng: &rng)
        case .throughput: return try CaseGenerator.throughput(model, count: count, rng: &rng)
        }
    }

    /// Splits `cases` into vector files of at most `chunk` cases each (renumbered),
    /// the unit that the runner schedules, shards and reports.
    public func files(_ cases: [GoldenCase], source: CaseSource, seed: UInt64, chunk: Int) -> [VectorFile] {
        stride(from: 0, to: cases.count, by: max(1, chunk)).map { start in
            let slice = Array(cases[start..<min(cases.count, start + max(1, chunk))])
            return VectorFile(configuration: model.configuration, seed: seed, source: source, cases: CaseGenerator.numbered(slice))
        }
    }

    /// Recomputes every expected value of `file` with the golden model; returns the first
    /// disagreement as a one-line message, or nil when the file is consistent.
    public func inconsistency(in file: VectorFile) -> String? {
        for g in file.cases {
            let fresh = model.expected(a: g.a, w: g.w, activation: g.activation, weight: g.weight)
            for i in 0..<fresh.count {
                for j in 0..<fresh[i].count where fresh[i][j] != g.expected[i][j] {
                    return "case \(g.id) C[\(i)][\(j)] is 0x\(String(g.expected[i][j], radix: 16)) in the file but the reference gives 0x\(String(fresh[i][j], radix: 16))"
                }
            }
        }
        return nil
    }
}
