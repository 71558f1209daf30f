import AntgenHardware

/// The replay-testbench part of `antgen verify --regress` (docs/verification.md, "PWLQ,
/// preload and codec"): PWLQ configurations, ANT configurations with the partial-sum stage,
/// and every named mutant of both, each a job `--shard i/N` deals like the SDP configurations
/// (job j runs in shard j mod N + 1).
public enum ReplayRegression {
    /// One job.
    public enum Job: Sendable, Equatable {
        /// A PWLQ configuration (both simulators), or one of its mutants (Verilator, must fail).
        case pwlq(PwlqArrayParameters, cases: Int, mutant: PwlqMutant?)
        /// An ANT partial-sum configuration (both simulators), or one of its mutants.
        case partialSums(ArrayParameters, cases: Int, mutant: PartialSumMutant?)
    }

    /// The PWLQ configurations and their case counts (about 10 s apiece on both simulators).
    public static func pwlqConfigurations() throws -> [(PwlqArrayParameters, Int)] {
        [
            (try PwlqArrayParameters(rows: 1, cols: 1, weightBits: 4, accumulatorWidth: 24, int8: true), 300),
            (try PwlqArrayParameters(rows: 3, cols: 5, weightBits: 4, accumulatorWidth: 16, int8: true), 200),
            (try PwlqArrayParameters(rows: 4, cols: 4, weightBits: 8, accumulatorWidth: 32, int8: false), 200),
            (try PwlqArrayParameters(rows: 8, cols: 8, weightBits: 3, accumulatorWidth: 20, int8: true), 100),
            (try PwlqArrayParameters(rows: 3, cols: 4, weightBits: 4, accumulatorWidth: 24, int8: true, preload: true), 150),
            (try PwlqArrayParameters(rows: 4, cols: 3, weightBits: 4, accumulatorWidth: 32, int8: true, codec: true), 150),
        ]
    }

    /// The ANT configurations with the partial-sum stage: W-bit preload, the codec with int8,
    /// and a 3-bit, W = 12 codec build whose sums wrap and whose preloads saturate.
    public static func partialSumConfigurations() throws -> [(ArrayParameters, Int)] {
        [
            (try ArrayParameters(rows: 3, cols: 4, activationTypes: [.int, .flint, .pot], weightTypes: [.int, .flint, .pot],
                                 accumulatorWidth: 24, int8: true, preload: true), 80),
            (try ArrayParameters(rows: 4, cols: 3, activationTypes: [.int, .flint], weightTypes: [.int, .pot, .float],
                                 accumulatorWidth: 32, int8: true, codec: true), 80),
            (try ArrayParameters(rows: 2, cols: 2, codeWidth: 3, activationTypes: [.int, .flint], weightTypes: [.int, .flint],
                                 accumulatorWidth: 12, int8: false, codec: true), 120),
        ]
    }

    /// Every job in dealing order: the PWLQ configurations, the ANT partial-sum ones, then
    /// each mutant on a configuration that has its site (the codec mutants on the codec builds).
    public static func jobs() throws -> [Job] {
        let pwlq = try pwlqConfigurations(), ant = try partialSumConfigurations()
        var jobs = pwlq.map { Job.pwlq($0.0, cases: $0.1, mutant: nil) } + ant.map { Job.partialSums($0.0, cases: $0.1, mutant: nil) }
        for mutant in PwlqMutant.allCases {
            // The array's own mutants on the first build with several rows and columns.
            let index = try firstSite(of: mutant, in: pwlq) { p in
                switch mutant.partialSum {
                case .codecRounding?: p.codec
                case .preloadIgnored?: p.preload
                case nil: p.rows > 1 && p.cols > 1
                }
            }
            jobs.append(.pwlq(pwlq[index].0, cases: pwlq[index].1, mutant: mutant))
        }
        for mutant in PartialSumMutant.allCases {
            let index = try firstSite(of: mutant, in: ant) { mutant == .codecRounding ? $0.codec : $0.preload }
            jobs.append(.partialSums(ant[index].0, cases: ant[index].1, mutant: mutant))
        }
        return jobs
    }

    /// The index of the first configuration that has `mutant`'s site.
    static func firstSite<P, M>(of mutant: M, in configurations: [(P, Int)], where has: (P) -> Bool) throws -> Int {
        guard let index = configurations.firstIndex(where: { has($0.0) }) else {
            throw HarnessError("no regression configuration has a site for mutant \(mutant)")
        }
        return index
    }

    /// The jobs of one shard.
    public static func jobs(in shard: Shard) throws -> [Job] {
        try jobs().enumerated().filter { shard.contains($0.offset) }.map(\.element)
    }
}
