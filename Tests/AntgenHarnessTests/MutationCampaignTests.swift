import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenVerilog
import Foundation
import Testing

/// Named mutants as IR rewrites, and the seeded random campaign of `antgen verify --mutants`.
@Suite struct MutationCampaignTests {
    static func spec(_ rows: Int, _ cols: Int, cases: Int = 24) throws -> VerificationSpec {
        VerificationSpec(parameters: try parameters(rows, cols, act: [.int, .flint, .pot], w: 16),
                         sources: [(.random, cases)], seed: 3, chunk: cases)
    }

    /// Each named mutant renames exactly the modules on its chain and shares the rest.
    @Test(arguments: NamedMutant.outputStationaryCases)
    func namedMutantRenamesItsChainOnly(_ named: NamedMutant) throws {
        let design = try elaborate(AntArray(try parameters(2, 2, act: [.int, .flint, .pot], w: 16)))
        let mutant = try Mutant.named(named).apply(to: design)
        let suffix = "_mutant_" + named.rawValue.replacingOccurrences(of: "-", with: "_")
        let originalNames = Set(design.modules.map(\.name))
        #expect(mutant.top.name == design.top.name + suffix)
        let renamed = mutant.modules.filter { $0.name.hasSuffix(suffix) }.map(\.circuitName)
        let expected: Set<String>
        switch named {
        case .peSign, .accNarrow: expected = ["ProcessingElement", "TileArray", "AntArray"]
        case .skew: expected = ["AntArray"]
        case .flintShift: expected = ["FlintDecoder", "OperandDecoder", "AntArray"]
        case .wsWeightRow, .wsPsumDrop: expected = []  // no site in the OS array (not among the arguments)
        }
        #expect(Set(renamed) == expected)
        for module in mutant.modules {
            if module.name.hasSuffix(suffix) {
                #expect(!originalNames.contains(module.name))
            } else {
                #expect(design.modules.contains { $0 === module }, "\(module.name) was copied")
            }
        }
        // Lint-clean under Verilator -Wall.
        let dir = try temporaryDirectory("named-\(named)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try VerilogBackend().write(mutant, to: dir)
        let findings = try VerilogLinter().lint(directory: dir, top: mutant.top.name, gates: [.verilator])
        for finding in findings { #expect(finding.clean, "\(finding)") }
    }

    @Test func flintShiftNeedsAFlintDecoder() throws {
        let design = try elaborate(AntArray(try parameters(2, 2, act: [.int, .pot], w: 16)))
        #expect(throws: HarnessError.self) { try Mutant.named(.flintShift).apply(to: design) }
    }

    @Test func aSeedDeterminesTheDraw() throws {
        let spec = try Self.spec(3, 3)
        let first = try MutationCampaign(spec: spec, count: 20, seed: 9)
        let again = try MutationCampaign(spec: spec, count: 20, seed: 9)
        let other = try MutationCampaign(spec: spec, count: 20, seed: 10)
        #expect(first.mutations == again.mutations)
        #expect(first.mutations != other.mutations)
        #expect(Set(first.mutations).count == 20)
        // A longer draw with the same seed starts with the same mutants, so
        // `--mutants K --mutant-number K` reproduces mutant K of any longer run.
        let longer = try MutationCampaign(spec: spec, count: 30, seed: 9)
        #expect(Array(longer.mutations.prefix(20)) == first.mutations)
        #expect(throws: HarnessError.self) { try MutationCampaign(spec: spec, count: 1_000_000, seed: 1) }
    }

    /// A small campaign end to end: the control passes, each drawn mutant is built and
    /// verified, and a rerun of one mutant gives the same outcome.
    @Test func campaignRunsEveryMutant() throws {
        let campaign = try MutationCampaign(spec: try Self.spec(1, 1, cases: 16), count: 2, seed: 4)
        let report = try campaign.run(with: verifier())
        #expect(report.outcomes.map(\.number) == [1, 2])
        #expect(report.errors.isEmpty, "\(report.errors.map { $0.error ?? "" })")
        #expect(report.outcomes.allSatisfy { $0.cases == 16 })
        #expect(report.killed + report.survivors.count == 2)
        let rerun = try campaign.run(with: verifier(), numbers: [2])
        #expect(rerun.outcomes.map(\.killed) == [report.outcomes[1].killed])
        #expect(rerun.outcomes.map(\.failedCases) == [report.outcomes[1].failedCases])
    }
}
