import AntgenDSL
import AntgenHardware

/// The defects `antgen verify --sdp --mutation NAME` must catch, each an IR rewrite of the
/// elaborated SDP array at the sites ``SdpSelector`` marks (``SdpSelectorSite``; no generator
/// contains mutation code).
public enum SdpMutant: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Keeps T − 1 parts: every `kept_<p>` (rank ≤ T − 1) becomes rank < T − 1, so the last
    /// slot of every group issues a zero term.
    case keepsFewer = "sdp-keeps-fewer"
    /// The tie order reversed: every `beats_<q>_<p>` comparator swaps `>=` and `>`, so among
    /// equal magnitudes the later position (and the low part) wins.
    case tieOrder = "sdp-tie-order"
    /// Every issued term's index off by one (`slot_index` + 1 modulo 2^bits): terms meet the
    /// next value's weight.
    case index = "sdp-index"

    /// The command-line name.
    public var description: String { rawValue }

    /// The mutations of this defect in `design`.
    /// - Throws: ``HarnessError`` when the design has no SdpSelector site.
    public func mutations(in design: Design) throws -> [Mutation] {
        let found: [Mutation]
        switch self {
        case .keepsFewer:
            found = design.sites(tagged: SdpSelectorSite.kept).map { Mutation(site: $0, operator: .swapBinary(.lessOrEqual, .lessThan)) }
        case .tieOrder:
            found = design.sites(tagged: SdpSelectorSite.comparison).compactMap { site in
                guard let node = design.node(at: site), case .binary(let op, _, _) = node.kind else { return nil }
                switch op {
                case .greaterOrEqual: return Mutation(site: site, operator: .swapBinary(.greaterOrEqual, .greaterThan))
                case .greaterThan: return Mutation(site: site, operator: .swapBinary(.greaterThan, .greaterOrEqual))
                default: return nil
                }
            }
        case .index:
            found = design.sites(tagged: SdpSelectorSite.slotIndex).map { Mutation(site: $0, operator: .increment) }
        }
        guard !found.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name) (it needs an SdpSelector)") }
        return found
    }

    /// `design` with the defect injected.
    public func apply(to design: Design) throws -> Design {
        try design.applying(mutations(in: design), tag: rawValue.replacingOccurrences(of: "-", with: "_"))
    }
}
