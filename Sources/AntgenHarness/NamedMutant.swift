import AntgenDSL
import AntgenHardware
import Foundation

/// The hand-picked defects the harness must always catch (`antgen verify --mutation
/// NAME`): four for either dataflow and two of the weight-stationary array only
/// (``weightStationaryOnly``), each an IR rewrite of the elaborated design at the sites the
/// generators mark with typed tags (``ProcessingElementSite``, ``ActivationSkewSite``, …;
/// ``Design/sites(tagged:)``). No generator contains mutation code: the correct design is
/// elaborated, then rewritten (``Design/applying(_:tag:)``).
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
            found = design.sites(tagged: ProcessingElementSite.sign).map { Mutation(site: $0, operator: .dropSignXor) }
        case .accNarrow:
            found = design.sites(tagged: ProcessingElementSite.accumulation).map { Mutation(site: $0, operator: .narrow(signExtend: true)) }
        case .skew:
            // The last row's chain is the one with the highest row number; its last stage
            // has the highest stage number.
            let last = design.sites(taggedWith: ActivationSkewSite.self).max { ($0.tag.row, $0.tag.stage) < ($1.tag.row, $1.tag.stage) }
            found = last.map { [Mutation(site: $0.site, operator: .delay)] } ?? []
        case .wsWeightRow:
            found = design.sites(tagged: WsProcessingElementSite.weightForward).map { Mutation(site: $0, operator: .delay) }
        case .wsPsumDrop:
            found = design.sites(tagged: WsProcessingElementSite.partialSum).map { Mutation(site: $0, operator: .dropLeftAddend) }
        case .flintShift:
            found = design.sites(tagged: FlintDecoderSite.shift).map { Mutation(site: $0, operator: .shiftAmountPlusOne) }
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
        case .peSign, .accNarrow: return "it needs the ANT processing elements"
        case .skew: return "it needs the ANT array's activation skew chains"
        case .wsWeightRow, .wsPsumDrop: return "it needs the weight-stationary array: --dataflow ws"
        }
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
