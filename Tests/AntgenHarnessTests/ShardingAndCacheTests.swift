import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Deterministic shards that partition a run, JUnit files that merge, and a build
/// cache that makes re-runs skip Verilator.
@Suite struct ShardingAndCacheTests {
    static func spec() throws -> VerificationSpec {
        VerificationSpec(parameters: try parameters(2, 3, act: [.int, .flint, .pot]), sources: [(.random, 40), (.quantized, 8)],
                         seed: 77, chunk: 10)
    }

    @Test func shardsPartitionTheRunAndJUnitMerges() throws {
        let whole = try verifier().run([try Self.spec()])
        expectPassed(whole, "whole")
        var names: [[String]] = []
        var documents: [(name: String, text: String)] = []
        for i in 1...3 {
            var v = verifier()
            v.shard = try Shard(parsing: "\(i)/3")
            let part = try v.run([try Self.spec()])
            expectPassed(part, "shard \(i)")
            names.append(part.results.map(\.job.name))
            documents.append(("shard-\(i).xml", JUnitReport.xml(part, shard: v.shard)))
        }
        let union = names.flatMap { $0 }
        #expect(union.count == Set(union).count, "shards overlap")
        #expect(Set(union) == Set(whole.results.map(\.job.name)))
        // Merged JUnit: one well-formed document; every test case of the whole run appears once.
        let xml = try JUnitReport.merge(documents)
        #expect(xml.components(separatedBy: "<?xml").count == 2)
        #expect(xml.components(separatedBy: "<testsuites").count == 2)
        #expect(xml.components(separatedBy: "<testcase ").count - 1 == whole.results.count)
        #expect(!xml.contains("<failure"))
        let parser = XMLParser(data: Data(xml.utf8))
        #expect(parser.parse(), "merged JUnit is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(throws: HarnessError.self) { try JUnitReport.merge([("broken.xml", "<testsuite/>")]) }
    }

    @Test func rerunsUseTheCache() throws {
        _ = try verifier().run([try Self.spec()])
        let again = try verifier().run([try Self.spec()])
        #expect(again.freshBuilds == 0 && again.cachedBuilds == 1)
        #expect(again.buildSeconds == 0)
        expectPassed(again, "cached")
    }

    @Test func sameSeedSameVectors() throws {
        let config = try Self.spec().goldenConfiguration()
        let g = try GoldenGenerator(configuration: config)
        #expect(try g.cases(.random, count: 30, seed: 5) == g.cases(.random, count: 30, seed: 5))
        #expect(try g.cases(.random, count: 30, seed: 5) != g.cases(.random, count: 30, seed: 6))
    }
}
