import AntgenDSL

/// Named defects of the AXI shell that its testbench (`Testbenches/axi/axi_shell_tb.v`)
/// must catch: each is one ``Mutation`` of an elaborated ``AxiShell`` design (any core).
public enum AxiShellMutant: String, CaseIterable, Sendable {
    /// `m_axis`: a result row is popped when TVALID or TREADY is high, so a row offered
    /// under back-pressure is lost (`pop_row`: `tvalid & tready` → `tvalid | tready`).
    case droppedBeatUnderStall = "axi-dropped-beat"
    /// `m_axis_tlast` on the wrong transfer of the tile's last row (`chunk == last` →
    /// `chunk != last`).
    case tlastOffByOne = "axi-tlast"
    /// The CSR block answers a write OKAY but loses it: the latched WSTRB bit 0 is inverted,
    /// so START never arrives.
    case csrWriteLost = "axi-csr-write-lost"

    /// The mutation in `design` (an elaborated ``AxiShell``).
    /// - Throws: ``MutantError`` when the design has no such site.
    public func mutation(in design: Design) throws -> Mutation {
        switch self {
        case .droppedBeatUnderStall:
            return Mutation(site: try site(design, design.top.circuitName, "pop_row", path: [0]), operator: .swapBinary(.and, .or))
        case .tlastOffByOne:
            return Mutation(site: try site(design, design.top.circuitName, "m_axis_tlast", path: [0]), operator: .swapBinary(.equal, .notEqual))
        case .csrWriteLost:
            return Mutation(site: try site(design, "AxiLiteCsr", "w_strobe", path: []), operator: .increment)
        }
    }

    private func site(_ design: Design, _ circuit: String, _ target: String, path: [Int]) throws -> MutationSite {
        guard let base = design.connectionSites(circuit: circuit, target: target).first else {
            throw MutantError(message: "AXI shell mutant \(rawValue): no connection to \(target) in \(circuit)")
        }
        let site = MutationSite(module: base.module, circuitName: base.circuitName, connection: base.connection,
                                target: base.target, path: path, location: base.location)
        guard design.node(at: site) != nil else {
            throw MutantError(message: "AXI shell mutant \(rawValue): no node \(path) under \(target)")
        }
        return site
    }
}

/// A named mutant that does not fit the design.
public struct MutantError: Error, CustomStringConvertible, Sendable {
    /// One line.
    public let message: String
    public var description: String { message }
}
