import AntgenDSL
import AntgenHardware
import Testing
@testable import AntgenHarness

/// The PWLQ and partial-sum jobs of `verify --regress`: what they cover and how `--shard` deals them.
@Suite struct ReplayRegressionTests {
    @Test func shardsPartitionTheJobs() throws {
        let all = try ReplayRegression.jobs()
        var seen: [Int] = []
        for i in 1 ... 3 {
            let part = try ReplayRegression.jobs(in: try Shard(parsing: "\(i)/3"))
            #expect(!part.isEmpty, "shard \(i)/3")
            // Job j is in shard j mod 3 + 1.
            seen += part.map { job in all.indices.first { all[$0] == job && $0 % 3 == i - 1 }! }
        }
        #expect(seen.sorted() == Array(all.indices))
        #expect(try ReplayRegression.jobs(in: .all) == all)
    }

    @Test func jobsCoverEveryModeAndMutant() throws {
        let jobs = try ReplayRegression.jobs()
        var pwlqMutants: [PwlqMutant] = [], psumMutants: [PartialSumMutant] = []
        var modes: Set<String> = []
        for job in jobs {
            switch job {
            case .pwlq(let p, _, let mutant):
                if let mutant {
                    pwlqMutants.append(mutant)
                    _ = try mutant.mutations(in: try elaborate(PwlqArray(p)))  // the configuration has the site
                } else {
                    modes.insert("pwlq-" + (p.codec ? "codec" : p.preload ? "preload" : "plain"))
                }
            case .partialSums(let p, _, let mutant):
                if let mutant {
                    psumMutants.append(mutant)
                    _ = try mutant.mutations(in: try elaborate(AntArray(p)))
                } else {
                    modes.insert("ant-" + (p.codec ? "codec" : "preload"))
                }
            }
        }
        #expect(modes == ["pwlq-plain", "pwlq-preload", "pwlq-codec", "ant-preload", "ant-codec"])
        #expect(pwlqMutants.sorted { $0.rawValue < $1.rawValue } == PwlqMutant.allCases.sorted { $0.rawValue < $1.rawValue })
        #expect(psumMutants.sorted { $0.rawValue < $1.rawValue } == PartialSumMutant.allCases.sorted { $0.rawValue < $1.rawValue })
    }
}
