import AntgenDSL
import AntgenHardware
import AntgenNumerics
import Foundation

/// The fate of one mutant of a campaign.
public struct MutantOutcome: Sendable {
    /// 1-based number within the draw.
    public let number: Int
    /// The IR mutation.
    public let mutation: Mutation
    /// Cases run and cases failed (a failed run counts all its cases).
    public let cases: Int, failedCases: Int
    /// A build or harness error, if the mutant could not be verified at all.
    public let error: String?

    /// True when the golden vectors detected the defect.
    public var killed: Bool { error == nil && failedCases > 0 }

    /// Creates an outcome.
    public init(number: Int, mutation: Mutation, cases: Int, failedCases: Int, error: String?) {
        self.number = number
        self.mutation = mutation
        self.cases = cases
        self.failedCases = failedCases
        self.error = error
    }
}

/// A campaign's result: one outcome per drawn mutant, in draw order.
public struct MutationReport: Sendable {
    /// An empty report.
    public init() {}
    /// The outcomes.
    public var outcomes: [MutantOutcome] = []
    /// Mutants killed.
    public var killed: Int { outcomes.filter(\.killed).count }
    /// Mutants the vectors did not detect.
    public var survivors: [MutantOutcome] { outcomes.filter { !$0.killed && $0.error == nil } }
    /// Mutants that could not be built or run.
    public var errors: [MutantOutcome] { outcomes.filter { $0.error != nil } }
    /// Killed over verified (0 when nothing was verified).
    public var killRate: Double {
        let verified = outcomes.count - errors.count
        return verified == 0 ? 0 : Double(killed) / Double(verified)
    }
}

/// Random mutation testing (`antgen verify --mutants N --seed S`, either dataflow): N IR
/// mutations drawn from every candidate of the elaborated array (``AntArray``, or
/// ``WsArray`` for a `.ws` spec; ``Design/mutationCandidates()``), one build per mutant,
/// each verified against the same golden vectors (the spec's sources and seed). The draw depends only on the design and the seed, so a campaign is
/// reproducible in any process.
public struct MutationCampaign: Sendable {
    /// The configuration and golden vectors (its `mutant` is ignored).
    public let spec: VerificationSpec
    /// The drawn mutations, in order (mutant k is `mutations[k - 1]`).
    public let mutations: [Mutation]
    /// How many candidates the draw chose from.
    public let candidateCount: Int

    /// Draws `count` distinct mutations for `spec`'s array with `seed`.
    /// - Throws: ``HarnessError`` when the design has fewer candidates than `count`.
    public init(spec: VerificationSpec, count: Int, seed: UInt64) throws {
        var plain = spec
        plain.mutant = nil
        self.spec = plain
        // The array the spec verifies: drawn mutants are applied to the same elaboration.
        let design = try spec.dataflow == .ws ? elaborate(WsArray(spec.parameters)) : elaborate(AntArray(spec.parameters))
        let candidates = design.mutationCandidates()
        guard count >= 0, count <= candidates.count else {
            throw HarnessError("invalid mutants: \(count) (the design offers \(candidates.count) mutation sites)")
        }
        candidateCount = candidates.count
        mutations = Self.draw(count, from: candidates.count, seed: seed).map { candidates[$0] }
    }

    /// `count` distinct indices below `total`, a partial Fisher–Yates shuffle driven by
    /// SplitMix64 (plain modulo, so the draw never depends on the standard library's
    /// sampling algorithm).
    public static func draw(_ count: Int, from total: Int, seed: UInt64) -> [Int] {
        var rng = SplitMix64(seed: seed).derived(0x4D55_5441_4E54)
        var indices = Array(0..<total)
        for i in 0..<count {
            let j = i + Int(rng.next() % UInt64(total - i))
            indices.swapAt(i, j)
        }
        return Array(indices.prefix(count))
    }

    /// The spec that verifies mutant `number` (1-based).
    public func spec(forMutant number: Int) -> VerificationSpec {
        var s = spec
        s.mutant = .drawn(number: number, mutations[number - 1])
        return s
    }

    /// Verifies the correct hardware (the control: it must pass), then every mutant in
    /// `numbers` (all when nil), one build each. Failure artefacts go to a temporary
    /// folder that is removed afterwards; waveforms are not traced.
    /// - Throws: ``HarnessError`` when the control fails (kills would mean nothing).
    public func run(with verifier: Verifier, numbers: [Int]? = nil,
                    progress: @Sendable (String) -> Void = { _ in }) throws -> MutationReport {
        let failures = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-mutants-\(getpid())-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: failures) }
        var v = verifier
        v.failureDirectory = failures
        v.traceFailures = false
        v.traceAll = false
        v.shard = .all
        let control = try v.run([spec])
        guard control.passed else {
            throw HarnessError("the correct hardware fails \(control.failedCases) cases of \(spec.name); fix that before mutation testing")
        }
        var report = MutationReport()
        let selected = numbers ?? Array(1...max(1, mutations.count)).filter { $0 <= mutations.count }
        for number in selected {
            let mutantSpec = spec(forMutant: number)
            let mutation = mutations[number - 1]
            let outcome: MutantOutcome
            do {
                let r = try v.run([mutantSpec])
                // A simulator run that errs (hangs, crashes) counts all its cases as
                // failed: the defect was detected.
                outcome = MutantOutcome(number: number, mutation: mutation, cases: r.passedCases + r.failedCases,
                                        failedCases: r.failedCases, error: nil)
            } catch {
                outcome = MutantOutcome(number: number, mutation: mutation, cases: 0, failedCases: 0, error: "\(error)")
            }
            progress("mutant \(number)/\(mutations.count): \(outcome.killed ? "killed" : (outcome.error == nil ? "SURVIVED" : "ERROR")) \(mutation)")
            report.outcomes.append(outcome)
        }
        return report
    }
}
