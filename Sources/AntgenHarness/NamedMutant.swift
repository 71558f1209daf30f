import AntgenDSL
import Foundation

/// The hand-picked defects the harness must always catch (`antgen verify --mutation
/// NAME`): four for either dataflow and two of the weight-stationary array only
/// (``weightStationaryOnly``), each an IR rewrite of the elaborated design located by a generator's base
/// name and a signal name the generators keep stable. No generator contains mutation
/// code: the correct design is elaborated, then rewritten (``Design/applying(_:tag:)``).
public enum NamedMutant: String, CaseIterable, Sendable, CustomStringConvertible {
    /// `FlintDecoder` shifts the field by one more than its leading-ones count
    /// (the shift amount of `shifted` becomes `leading_ones + 1`).
    case flintShift = "flint-shift"
    /// `ProcessingElement` ignores sa ⊕ sw and always adds the product (`negative` = 0).
    case peSign = "pe-sign"
    /// `AntArray` delays the last row's activation stream by one cycle too many (one more
    /// register after the last `a_skew_<rows-1>_d<s>` stage).
    case skew
    /// `ProcessingElement` wraps its accumulator at W − 1 bits, sign-extended to W
    /// (`acc_next` truncated by one bit and re-extended).
    case accNarrow = "acc-narrow"
    /// `WsProcessingElement`'s preload chain one stage too long (`w_out` delayed by a
    /// register): during a back-to-back preload PE(r + 1) takes the weight PE(r) held one
    /// step earlier, so weights land in the wrong rows. Weight-stationary only.
    case wsWeightRow = "ws-weight-row"
    /// `WsProcessingElement` does not pass the partial sum down: `psum_next` drops its
    /// `psum_in` addend, so a column's sum is the bottom row's product alone.
    /// Weight-stationary only.
    case wsPsumDrop = "ws-psum-drop"

    /// True for the defects with a site in the weight-stationary array only.
    public var weightStationaryOnly: Bool { self == .wsWeightRow || self == .wsPsumDrop }

    /// The defects the output-stationary array has sites for.
    public static var outputStationaryCases: [NamedMutant] { allCases.filter { !$0.weightStationaryOnly } }

    /// The command-line name.
    public var description: String { rawValue }

    /// The IR mutations of this defect in `design` (one per matching module).
    /// - Throws: ``HarnessError`` when the design has no site for it (e.g. `flint-shift`
    ///   on an array without flint).
    public func mutations(in design: Design) throws -> [Mutation] {
        let found: [Mutation]
        switch self {
        case .peSign:
            // The weight-stationary PE (WsProcessingElement) keeps the same name.
            found = (design.connectionSites(circuit: "ProcessingElement", target: "negative")
                + design.connectionSites(circuit: "WsProcessingElement", target: "negative"))
                .map { Mutation(site: $0, operator: .dropSignXor) }
        case .accNarrow:
            // In the weight-stationary PE the accumulation is the partial sum `psum_next`.
            found = (design.connectionSites(circuit: "ProcessingElement", target: "acc_next")
                + design.connectionSites(circuit: "WsProcessingElement", target: "psum_next"))
                .map { Mutation(site: $0, operator: .narrow(signExtend: true)) }
        case .skew:
            // The last row's chain is the one with the highest row number; its last stage
            // has the highest stage number.
            // (WsArray, the weight-stationary top, names its skew registers the same way.)
            let stages = design.connectionSites(circuit: "AntArray") { Self.skewStage($0) != nil }
                + design.connectionSites(circuit: "WsArray") { Self.skewStage($0) != nil }
            let last = stages.max { Self.skewStage($0.target)! < Self.skewStage($1.target)! }
            found = last.map { [Mutation(site: $0, operator: .delay)] } ?? []
        case .wsWeightRow:
            found = design.connectionSites(circuit: "WsProcessingElement", target: "w_out").map { Mutation(site: $0, operator: .delay) }
        case .wsPsumDrop:
            found = design.connectionSites(circuit: "WsProcessingElement", target: "psum_next")
                .map { Mutation(site: $0, operator: .dropLeftAddend) }
        case .flintShift:
            found = design.mutationCandidates().filter { m in
                guard m.site.circuitName == "FlintDecoder", m.site.target == "shifted", m.operator == .shiftAmountPlusOne,
                      let node = design.node(at: m.site), node.children.count == 2 else { return false }
                return node.children[1].signal?.name == "leading_ones"
            }
        }
        guard !found.isEmpty else {
            throw HarnessError("mutant \(self) has no site in \(design.top.name) (\(requirement))")
        }
        return found
    }

    /// What the design must contain for this mutant.
    private var requirement: String {
        switch self {
        case .flintShift: return "it needs a FlintDecoder: include flint in the types"
        case .peSign, .accNarrow: return "it needs ProcessingElement wires 'negative' and 'acc_next'"
        case .skew: return "it needs AntArray skew registers a_skew_<row>_d<stage>"
        case .wsWeightRow, .wsPsumDrop: return "it needs the weight-stationary array: --dataflow ws"
        }
    }

    /// (row, stage) of a skew register name `a_skew_<row>_d<stage>`, else nil.
    static func skewStage(_ name: String) -> (row: Int, stage: Int)? {
        guard name.hasPrefix("a_skew_") else { return nil }
        let parts = name.dropFirst("a_skew_".count).split(separator: "_")
        guard parts.count == 2, let row = Int(parts[0]), parts[1].hasPrefix("d"), let stage = Int(parts[1].dropFirst()) else {
            return nil
        }
        return (row, stage)
    }
}

/// A deliberately broken build: a named mutant, or mutation number `number` of a
/// seeded draw (`antgen verify --mutants N --seed S`).
public enum Mutant: Hashable, Sendable, CustomStringConvertible {
    /// One of the named defects.
    case named(NamedMutant)
    /// One random IR mutation, numbered from 1 within its draw.
    case drawn(number: Int, Mutation)

    /// `pe-sign`, or `random-7`: used in spec names and reports.
    public var description: String {
        switch self {
        case .named(let n): return n.rawValue
        case .drawn(let number, _): return "random-\(number)"
        }
    }

    /// The module-name tag: `pe_sign`, `random7`.
    var tag: String {
        switch self {
        case .named(let n): return n.rawValue.replacingOccurrences(of: "-", with: "_")
        case .drawn(let number, _): return "random\(number)"
        }
    }

    /// `design` with the defect injected.
    /// - Throws: ``HarnessError`` or ``RewriteError`` when the design has no such site.
    public func apply(to design: Design) throws -> Design {
        switch self {
        case .named(let n): return try design.applying(n.mutations(in: design), tag: tag)
        case .drawn(_, let m): return try design.applying([m], tag: tag)
        }
    }
}
