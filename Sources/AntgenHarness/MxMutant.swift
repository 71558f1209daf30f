import AntgenDSL
import AntgenHardware

/// The named defects the MX harness must catch (`antgen verify --mx … --mx-mutation NAME`),
/// IR rewrites of the elaborated MX design at the sites its generators mark
/// (``Fp32RounderSite``, ``MxProcessingElementSite``).
public enum MxMutant: String, CaseIterable, Sendable, CustomStringConvertible {
    /// RNE → truncation: every ``Fp32Rounder``'s `round_up` mux forced to its 0 arm.
    case truncate = "mx-truncate"
    /// The block scale exponent off by one: the PE's `pending_exponent` (x_A + x_B) + 1.
    case scaleOffByOne = "mx-scale-off-by-one"
    /// A dropped block: FP32, the fold's accumulator input forced to −0 (every block but
    /// the tile's last is lost); window, `window_add` forced to 0 (blocks at or below the
    /// reference exponent are lost).
    case dropBlock = "mx-drop-block"

    /// The command-line name.
    public var description: String { rawValue }

    /// The mutations of this defect in `design`.
    /// - Throws: ``HarnessError`` when the design has no site for it.
    public func mutations(in design: Design) throws -> [Mutation] {
        let found: [Mutation]
        switch self {
        case .truncate:
            found = design.sites(tagged: Fp32RounderSite.roundUp).map { Mutation(site: $0, operator: .forceSelect(false)) }
        case .scaleOffByOne:
            found = design.sites(tagged: MxProcessingElementSite.blockExponent).map { Mutation(site: $0, operator: .resultPlusOne) }
        case .dropBlock:
            let fold = design.sites(tagged: MxProcessingElementSite.foldAccumulator).map { Mutation(site: $0, operator: .forceSelect(true)) }
            let window = design.sites(tagged: MxProcessingElementSite.windowAdd).map { Mutation(site: $0, operator: .forceSelect(false)) }
            found = fold + window
        }
        guard !found.isEmpty else { throw HarnessError("mutant \(self) has no site in \(design.top.name)") }
        return found
    }
}
