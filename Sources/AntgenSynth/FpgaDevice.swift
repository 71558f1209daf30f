/// A real FPGA part and the resources it offers (`antgen synth --device NAME`).
///
/// Figures are from the vendors' data sheets:
/// - Xilinx DS180, *7 Series FPGAs Data Sheet: Overview* (Artix-7 table): XC7A35T 5,200
///   slices, 90 DSP48E1, 50 × 36 Kb block RAM; XC7A100T 15,850 slices, 240 DSP48E1, 135 × 36 Kb.
///   A 7-series slice holds 4 LUT6, 8 flip-flops and one CARRY4, so LUTs = 4 × slices,
///   FFs = 8 × slices, carries = slices.
/// - Xilinx DS190, *Zynq-7000 SoC Data Sheet: Overview*: Z-7020 programmable logic 53,200
///   LUTs, 106,400 flip-flops, 140 × 36 Kb block RAM, 220 DSP slices (13,300 slices).
/// - Xilinx DS890, *UltraScale Architecture and Product Data Sheet: Overview* (Kintex
///   UltraScale table): KU040 242,400 CLB LUTs, 484,800 CLB flip-flops, 600 × 36 Kb block
///   RAM, 1,920 DSP48E2; one CARRY8 per CLB of 8 LUTs (30,300).
/// - Lattice FPGA-DS-02008, *iCE40 UltraPlus Family Data Sheet*: iCE40UP5K 5,280 logic
///   cells (a LUT4, a flip-flop and carry logic each), 30 × 4 Kb EBR, 8 SB_MAC16 DSP (and
///   4 × 256 Kb SPRAM, which `synth_ice40` here does not infer and the verdict ignores).
/// - Lattice FPGA-DS-02012, *ECP5 and ECP5-5G Family Data Sheet*: LFE5U-25F 24K LUTs,
///   56 × 18 Kb sysMEM blocks, 28 18×18 multipliers; LFE5U-85F 84K LUTs, 208 × 18 Kb,
///   156 multipliers. A slice holds 2 LUT4, 2 flip-flops and one CCU2C carry, so FFs = LUTs
///   and carries = LUTs / 2 (the data sheet gives the LUTs rounded to thousands).
public struct FpgaDevice: Sendable, Equatable, Codable {
    /// The part name as `--device` takes it (matched case-insensitively).
    public let name: String
    /// The family whose Yosys flow maps to it.
    public let family: FpgaFamily
    /// What the part offers (``FpgaResources/otherCells`` unused).
    public let capacity: FpgaResources

    /// Creates a device entry.
    public init(name: String, family: FpgaFamily, capacity: FpgaResources) {
        self.name = name
        self.family = family
        self.capacity = capacity
    }

    /// The parts `--device` knows (see the type's description for the sources).
    public static let all: [FpgaDevice] = [
        FpgaDevice(name: "xc7a35t", family: .xilinx7,
                   capacity: FpgaResources(luts: 20_800, flipFlops: 41_600, carries: 5_200, dsps: 90, blockRams: 50)),
        FpgaDevice(name: "xc7a100t", family: .xilinx7,
                   capacity: FpgaResources(luts: 63_400, flipFlops: 126_800, carries: 15_850, dsps: 240, blockRams: 135)),
        FpgaDevice(name: "xc7z020", family: .xilinx7,
                   capacity: FpgaResources(luts: 53_200, flipFlops: 106_400, carries: 13_300, dsps: 220, blockRams: 140)),
        FpgaDevice(name: "xcku040", family: .ultrascale,
                   capacity: FpgaResources(luts: 242_400, flipFlops: 484_800, carries: 30_300, dsps: 1_920, blockRams: 600)),
        FpgaDevice(name: "iCE40UP5K", family: .ice40,
                   capacity: FpgaResources(luts: 5_280, flipFlops: 5_280, carries: 5_280, dsps: 8, blockRams: 30)),
        FpgaDevice(name: "LFE5U-25F", family: .ecp5,
                   capacity: FpgaResources(luts: 24_000, flipFlops: 24_000, carries: 12_000, dsps: 28, blockRams: 56)),
        FpgaDevice(name: "LFE5U-85F", family: .ecp5,
                   capacity: FpgaResources(luts: 84_000, flipFlops: 84_000, carries: 42_000, dsps: 156, blockRams: 208)),
    ]

    /// The known part names, for help texts and errors.
    public static var names: String { all.map(\.name).joined(separator: ", ") }

    /// The part named `name` (case-insensitive), or nil.
    public static func named(_ name: String) -> FpgaDevice? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// Whether `used` fits this part, and which resource limits it.
    public func verdict(for used: FpgaResources) -> FitVerdict {
        let shares = FitVerdict.Resource.allCases.map { ($0, $0.share(of: used, in: capacity)) }
        let (limiting, share) = shares.reduce(shares[0]) { $1.1 > $0.1 ? $1 : $0 }
        return FitVerdict(device: name, limiting: limiting, percent: share * 100)
    }
}

/// A fit decision: the most used resource and its share of the part.
public struct FitVerdict: Sendable, Equatable, Codable {
    /// The resources a verdict weighs, in tie-breaking order.
    public enum Resource: String, Sendable, Equatable, Codable, CaseIterable {
        case luts = "LUT", flipFlops = "FF", carries = "carry", dsps = "DSP", blockRams = "BRAM"

        /// used / available (0 when nothing is used; infinite when used but none exist).
        func share(of used: FpgaResources, in capacity: FpgaResources) -> Double {
            let (u, c): (Double, Double)
            switch self {
            case .luts: (u, c) = (Double(used.luts), Double(capacity.luts))
            case .flipFlops: (u, c) = (Double(used.flipFlops), Double(capacity.flipFlops))
            case .carries: (u, c) = (Double(used.carries), Double(capacity.carries))
            case .dsps: (u, c) = (Double(used.dsps), Double(capacity.dsps))
            case .blockRams: (u, c) = (used.blockRams, capacity.blockRams)
            }
            if u == 0 { return 0 }
            return c == 0 ? .infinity : u / c
        }
    }

    /// The part.
    public let device: String
    /// The resource with the largest share.
    public let limiting: Resource
    /// Its share in percent (over 100 when it does not fit).
    public let percent: Double

    /// Whether every resource is within the part.
    public var fits: Bool { percent <= 100 }

    /// `fits (largest share: LUT at 42 %)` or `does not fit: limiting resource DSP at 250 %`.
    public var text: String {
        let share = percent.isFinite ? "\(Int(percent.rounded(.up))) %" : "∞ % (the part has none)"
        return fits ? "fits (largest share: \(limiting.rawValue) at \(share))" : "does not fit: limiting resource \(limiting.rawValue) at \(share)"
    }
}
