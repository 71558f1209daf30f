import AntgenDSL

/// A deliberate defect a verification injects into the elaborated design: a named mutant of
/// any array, or one IR mutation drawn by a mutation campaign. Every verifier takes one, so
/// every array can be mutation-tested the same way.
public protocol DesignDefect: Sendable, CustomStringConvertible {
    /// `design` with the defect injected.
    /// - Throws: when the design has no site for it.
    func apply(to design: Design) throws -> Design
}

/// A named defect that is a set of IR mutations at the sites its generators mark, injected
/// with its name as the module tag (modules renamed `…_mutant_<name>`, `-` as `_`).
public protocol SiteDefect: DesignDefect, RawRepresentable where RawValue == String {
    /// The IR mutations of this defect in `design`.
    /// - Throws: ``HarnessError`` when the design has no site for it.
    func mutations(in design: Design) throws -> [Mutation]
}

extension SiteDefect {
    public func apply(to design: Design) throws -> Design {
        try design.applying(mutations(in: design), tag: rawValue.replacingOccurrences(of: "-", with: "_"))
    }
}

extension Mutant: DesignDefect {}
extension SdpMutant: DesignDefect {}
extension MxMutant: SiteDefect {}
extension PwlqMutant: DesignDefect {}
extension PartialSumMutant: DesignDefect {}
