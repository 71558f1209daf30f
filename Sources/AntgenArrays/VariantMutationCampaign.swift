import AntgenDSL
import AntgenHarness
import Foundation

/// Mutation testing of any array (`antgen verify --array NAME --mutants N`): N IR mutations
/// drawn with a seed from the array's elaborated design, each verified against the same
/// golden cases as the real hardware. A mutant is killed when its verification fails.
public struct VariantMutationCampaign {
    /// The array under test.
    public let variant: any ArrayVariant
    /// The drawn mutations, mutant k at index k − 1.
    public let mutations: [Mutation]
    /// How many mutation sites the design offers.
    public let candidateCount: Int

    /// Draws `count` mutations of `variant`'s design with `seed`.
    /// - Throws: ``VariantError`` when `count` is below 1 or above the number of sites.
    public init(variant: any ArrayVariant, count: Int, seed: UInt64) throws {
        let candidates = try variant.elaborate().mutationCandidates()
        guard count >= 1, count <= candidates.count else {
            throw VariantError("invalid mutants: \(count) (the design offers \(candidates.count) mutation sites)")
        }
        self.variant = variant
        candidateCount = candidates.count
        mutations = MutationCampaign.draw(count, from: candidates.count, seed: seed).map { candidates[$0] }
    }

    /// Verifies the real hardware (it must pass), then each selected mutant (all without
    /// `numbers`); `progress` gets one line per mutant.
    /// - Throws: ``VariantError`` when the real hardware fails.
    public func run(_ request: VerifyRequest, numbers: [Int]? = nil, progress: (String) -> Void = { _ in }) throws -> MutationReport {
        let control = try variant.verify(request, injecting: nil)
        guard control.passed else {
            throw VariantError("the correct hardware fails \(control.failedCases) cases; fix that before mutation testing")
        }
        var report = MutationReport()
        for number in numbers ?? Array(1...mutations.count) {
            let mutation = mutations[number - 1]
            do {
                let outcome = try variant.verify(request, injecting: Mutant.drawn(number: number, mutation))
                report.outcomes.append(MutantOutcome(number: number, mutation: mutation, cases: outcome.passedCases + outcome.failedCases,
                                                     failedCases: outcome.failedCases, error: nil))
            } catch {
                report.outcomes.append(MutantOutcome(number: number, mutation: mutation, cases: 0, failedCases: 0, error: "\(error)"))
            }
            progress("mutant \(number): \(report.outcomes.last!.killed ? "killed" : "survived or failed to build")")
        }
        return report
    }

    /// The report's lines: one per mutant, the survivors with their reproduce lines
    /// (`reproduce(number)`), and the kill rate.
    public static func lines(_ report: MutationReport, reproduce: (Int) -> String) -> [String] {
        var lines: [String] = []
        for o in report.outcomes {
            let status = o.killed ? "killed  " : (o.error == nil ? "SURVIVED" : "ERROR   ")
            let site = o.mutation.site
            lines.append("  \(o.number). \(status) \(site.circuitName).\(site.target) \(o.mutation.operator) at \(site.location) (\(o.error ?? "\(o.failedCases)/\(o.cases) cases failed"))")
        }
        if !report.survivors.isEmpty {
            lines.append("survivors (each is equivalent or needs a new golden case):")
            for o in report.survivors {
                lines.append("  \(o.number). \(o.mutation) in \(o.mutation.site.module)")
                lines.append("     reproduce: \(reproduce(o.number))")
            }
        }
        let verified = report.outcomes.count - report.errors.count
        lines.append(String(format: "kill rate: %d of %d mutants killed (%.1f %%), %d survived, %d errors",
                            report.killed, verified, report.killRate * 100, report.survivors.count, report.errors.count))
        return lines
    }
}
