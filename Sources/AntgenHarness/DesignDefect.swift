import AntgenDSL

/// A deliberate defect a verification injects into the elaborated design: a named mutant of
/// any array, or one IR mutation drawn by a mutation campaign. Every verifier takes one, so
/// every array can be mutation-tested the same way.
public protocol DesignDefect: Sendable, CustomStringConvertible {
    /// `design` with the defect injected.
    /// - Throws: when the design has no site for it.
    func apply(to design: Design) throws -> Design
}

extension Mutant: DesignDefect {}
extension SdpMutant: DesignDefect {}
extension MxMutant: DesignDefect {}
extension PwlqMutant: DesignDefect {}
extension PartialSumMutant: DesignDefect {}
