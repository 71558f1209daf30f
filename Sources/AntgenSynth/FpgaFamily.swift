/// An FPGA family Yosys maps to (`antgen synth --fpga`): which `synth_*` script runs and
/// how its cells count against a device's resources.
///
/// The counts are Yosys' pre-place-and-route mapping, not a vendor tool's packing: close
/// enough to tell a design that fits with room from one that does not, not a substitute
/// for Vivado's or nextpnr's utilisation report near 100 %.
public enum FpgaFamily: String, Sendable, Equatable, Codable, CaseIterable {
    /// Xilinx 7 series (Artix-7, Kintex-7, Zynq-7000 PL): `synth_xilinx -family xc7`;
    /// LUT6, FDRE, CARRY4, DSP48E1, RAMB18E1/RAMB36E1.
    case xilinx7
    /// Xilinx UltraScale (Kintex UltraScale, e.g. xcku040): `synth_xilinx -family xcu`;
    /// LUT6, FDRE, DSP48E2, RAMB18E2/RAMB36E2. Yosys 0.23 maps its carries to CARRY4 (which
    /// Vivado retargets to the CLB's CARRY8); each counts against one CARRY8, conservatively.
    case ultrascale
    /// Lattice iCE40 UltraPlus: `synth_ice40 -dsp`; SB_LUT4, SB_DFF*, SB_CARRY, SB_MAC16,
    /// SB_RAM40_4K.
    case ice40
    /// Lattice ECP5: `synth_ecp5`; LUT4, TRELLIS_FF, CCU2C, MULT18X18D, DP16KD.
    case ecp5

    /// The values `--fpga` takes.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }

    /// The Yosys synthesis command for `top`. Every family flattens everything except the
    /// modules marked `keep_hierarchy`. The Xilinx flows run out of context (`-noiopad
    /// -noclkbuf`): the design is an IP block inside a larger one, so no I/O buffers and no
    /// global clock buffer are inserted or counted.
    public func synthesisCommand(top: String) -> String {
        switch self {
        case .xilinx7: return "synth_xilinx -family xc7 -flatten -noiopad -noclkbuf -top \(top)"
        case .ultrascale: return "synth_xilinx -family xcu -flatten -noiopad -noclkbuf -top \(top)"
        case .ice40: return "synth_ice40 -dsp -top \(top)"
        case .ecp5: return "synth_ecp5 -top \(top)"
        }
    }

    /// What the family calls one block RAM unit of ``FpgaResources/blockRams``.
    public var blockRamUnit: String {
        switch self {
        case .xilinx7, .ultrascale: return "36 Kb RAMB36 (a RAMB18 counts 0.5)"
        case .ice40: return "4 Kb SB_RAM40_4K"
        case .ecp5: return "18 Kb DP16KD"
        }
    }

    /// The device resources `cells` (one netlist's cells by type) take up.
    ///
    /// LUTs count the LUT sites a cell occupies: Xilinx LUT1…LUT6 and INV one each, shift
    /// registers (SRL16E, SRLC32E) one, distributed RAMs their LUTs (RAM64M four, …); ECP5
    /// LUT4 one and CCU2C two (a carry cell fills a slice's two LUT4s), distributed RAM
    /// TRELLIS_DPR16X4 four. In-slice muxes (MUXF7/8/9, PFUMX, L6MUX21) use no LUT and are
    /// not counted. Cells of no resource class (I/O and clock buffers if any) go to
    /// ``FpgaResources/otherCells``.
    public func resources(of cells: CellCounts) -> FpgaResources {
        var r = FpgaResources()
        for (type, count) in cells.byType.sorted(by: { $0.key < $1.key }) {
            switch classify(type) {
            case .lut(let sites): r.luts += sites * count
            case .flipFlop: r.flipFlops += count
            case .carry(let luts): r.carries += count; r.luts += luts * count
            case .dsp: r.dsps += count
            case .blockRam(let units): r.blockRams += units * Double(count)
            case .free: break
            case .other: r.otherCells += count
            }
        }
        return r
    }

    /// The resource class of one cell type.
    private enum CellClass: Equatable {
        case lut(Int), flipFlop, carry(luts: Int), dsp, blockRam(Double), free, other
    }

    private func classify(_ type: String) -> CellClass {
        switch self {
        case .xilinx7, .ultrascale: return Self.classifyXilinx(type)
        case .ice40: return Self.classifyICE40(type)
        case .ecp5: return Self.classifyECP5(type)
        }
    }

    /// LUT sites of Xilinx distributed RAMs and shift registers (UG474 / UG574 CLB guides).
    private static let xilinxLutRams: [String: Int] = [
        "SRL16E": 1, "SRLC16E": 1, "SRLC32E": 1, "RAM32X1S": 1, "RAM32X1D": 2, "RAM64X1S": 1, "RAM64X1D": 2,
        "RAM128X1S": 2, "RAM128X1D": 4, "RAM256X1S": 4, "RAM32M": 4, "RAM64M": 4, "RAM32M16": 8, "RAM64M8": 8,
    ]

    private static func classifyXilinx(_ type: String) -> CellClass {
        if type == "INV" || (type.hasPrefix("LUT") && type.count == 4 && type.last!.isNumber) { return .lut(1) }
        if let sites = xilinxLutRams[type] { return .lut(sites) }
        if type.hasPrefix("FD") || type.hasPrefix("LD") { return .flipFlop }
        switch type {
        case "CARRY4", "CARRY8": return .carry(luts: 0)
        case "DSP48E1", "DSP48E2": return .dsp
        case "RAMB36E1", "RAMB36E2": return .blockRam(1)
        case "RAMB18E1", "RAMB18E2": return .blockRam(0.5)
        case "MUXF7", "MUXF8", "MUXF9", "GND", "VCC": return .free
        default: return .other
        }
    }

    private static func classifyICE40(_ type: String) -> CellClass {
        if type == "SB_LUT4" { return .lut(1) }
        if type.hasPrefix("SB_DFF") { return .flipFlop }
        switch type {
        case "SB_CARRY": return .carry(luts: 0)
        case "SB_MAC16": return .dsp
        case "SB_RAM40_4K": return .blockRam(1)
        case "SB_GB", "SB_GB_IO": return .free
        default: return .other
        }
    }

    private static func classifyECP5(_ type: String) -> CellClass {
        switch type {
        case "LUT4": return .lut(1)
        case "TRELLIS_DPR16X4": return .lut(4)
        case "TRELLIS_FF": return .flipFlop
        case "CCU2C": return .carry(luts: 2)
        case "MULT18X18D": return .dsp
        case "DP16KD", "PDPW16KD": return .blockRam(1)
        case "PFUMX", "L6MUX21": return .free
        default: return .other
        }
    }
}

/// Device resources a netlist uses, or a device offers (``FpgaDevice/capacity``).
public struct FpgaResources: Sendable, Equatable, Codable {
    /// LUT sites (LUT6 on Xilinx, LUT4 on Lattice); see ``FpgaFamily/resources(of:)``.
    public var luts = 0
    /// Flip-flops (and latches).
    public var flipFlops = 0
    /// Carry-chain cells (CARRY4/CARRY8, SB_CARRY, CCU2C).
    public var carries = 0
    /// Hard multipliers (DSP48E1/E2, SB_MAC16, MULT18X18D).
    public var dsps = 0
    /// Block RAMs in the family's unit (``FpgaFamily/blockRamUnit``).
    public var blockRams = 0.0
    /// Cells of no resource class (not part of the fit verdict).
    public var otherCells = 0

    /// Zero resources.
    public init() {}

    /// Resources with the given counts.
    public init(luts: Int, flipFlops: Int, carries: Int, dsps: Int, blockRams: Double, otherCells: Int = 0) {
        self.luts = luts
        self.flipFlops = flipFlops
        self.carries = carries
        self.dsps = dsps
        self.blockRams = blockRams
        self.otherCells = otherCells
    }

    /// These resources plus `times` copies of `other`.
    public func adding(_ other: FpgaResources, times: Int = 1) -> FpgaResources {
        FpgaResources(luts: luts + times * other.luts, flipFlops: flipFlops + times * other.flipFlops,
                      carries: carries + times * other.carries, dsps: dsps + times * other.dsps,
                      blockRams: blockRams + Double(times) * other.blockRams, otherCells: otherCells + times * other.otherCells)
    }
}
