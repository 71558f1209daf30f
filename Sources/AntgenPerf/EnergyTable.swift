import Foundation

/// Every energy constant of the performance model, each with its source. `antgen perf
/// --energy-table F` replaces the whole table with a JSON file of this shape
/// (`antgen perf --print-energy-table` prints the default one to start from).
///
/// Default: 45 nm throughout, so logic and memory are priced in one technology.
/// - Logic: the NanGate FreePDK45 Open Cell Library (typical corner, 1.10 V, 25 °C), the
///   library whose cell areas `GateLibrary` already uses for NAND2 equivalents. AND2_X1's
///   internal-power table (input A2, 17.2 ps input slew, 3.79 fF load): rise 1.937 fJ, fall
///   3.397 fJ, mean 2.667 fJ per output transition, plus ½·C·V² = ½ · 3.786 fF · (1.10 V)²
///   = 2.290 fJ to charge the load: 4.957 fJ per transition for 1.33 NAND2 equivalents, so
///   3.728 fJ per NAND2 equivalent. Every other generic cell is priced by its NAND2-equivalent
///   area (switched capacitance grows with cell area within one library): an approximation
///   for cells whose own tables were not read.
/// - Memory: M. Horowitz, "Computing's energy problem (and what we can do about it)",
///   ISSCC 2014, doi:10.1109/ISSCC.2014.6757323 (45 nm, 0.9 V): a 64-bit SRAM read costs
///   10 pJ at 8 KB, 20 pJ at 32 KB and 100 pJ at 1 MB; a 64-bit DRAM access 1.3–2.6 nJ
///   (the midpoint, 1.95 nJ, is used).
public struct EnergyTable: Sendable, Equatable, Codable {
    /// One SRAM size and the energy of one 64-bit read at that size.
    public struct SramPoint: Sendable, Equatable, Codable {
        /// Capacity in bytes.
        public let bytes: Int
        /// Picojoules per 64-bit read.
        public let picojoulesPer64Bits: Double
        /// Creates the point.
        public init(bytes: Int, picojoulesPer64Bits: Double) {
            self.bytes = bytes
            self.picojoulesPer64Bits = picojoulesPer64Bits
        }
    }

    /// What the table is and where its numbers come from (printed with every report).
    public let source: String
    /// The logic technology (`45 nm NanGate FreePDK45, typical, 1.10 V`).
    public let logicTechnology: String
    /// Femtojoules per output transition of one generic Yosys cell, by cell type
    /// (`$_NAND_`, `$_DFF_P_`, …, the types `antgen synth` counts).
    public let cellTransitionFemtojoules: [String: Double]
    /// Fraction of the cells that switch in one active reduction step (an assumption: real
    /// switching activity depends on the data; replace it with a simulation's toggle rate).
    public let activityFactor: Double
    /// The memory technology.
    public let memoryTechnology: String
    /// SRAM 64-bit read energy against capacity; other sizes are interpolated log–log
    /// (and extrapolated along the end segments).
    public let sramReads: [SramPoint]
    /// SRAM write energy as a multiple of the read energy at the same size.
    public let sramWriteFactor: Double
    /// Picojoules per 64-bit DRAM access (read or write).
    public let dramPicojoulesPer64Bits: Double

    /// Creates a table.
    public init(source: String, logicTechnology: String, cellTransitionFemtojoules: [String: Double], activityFactor: Double,
                memoryTechnology: String, sramReads: [SramPoint], sramWriteFactor: Double, dramPicojoulesPer64Bits: Double) {
        self.source = source
        self.logicTechnology = logicTechnology
        self.cellTransitionFemtojoules = cellTransitionFemtojoules
        self.activityFactor = activityFactor
        self.memoryTechnology = memoryTechnology
        self.sramReads = sramReads
        self.sramWriteFactor = sramWriteFactor
        self.dramPicojoulesPer64Bits = dramPicojoulesPer64Bits
    }

    /// NanGate AND2_X1 (input A2, 17.2 ps slew, 3.786 fF load): mean internal energy
    /// (1.937484 + 3.396745) / 2 fJ plus ½ · 3.786090 fF · 1.10² V², per 1.33 NAND2 equivalents.
    public static let femtojoulesPerNand2Equivalent: Double = ((1.937484 + 3.396745) / 2 + 0.5 * 3.786090 * 1.10 * 1.10) / 1.33

    /// NAND2-equivalent areas of the generic cells (NanGate X1 cell areas relative to NAND2_X1:
    /// INV 0.532 µm², NAND2/NOR2 0.798, AND2/OR2 1.064, XOR2/XNOR2 1.596, MUX2 1.862, DFF 4.522),
    /// the same weights as `GateLibrary.nand2Weights` in AntgenSynth.
    public static let nand2Equivalents: [String: Double] = [
        "$_NOT_": 0.67, "$_BUF_": 0.67, "$_NAND_": 1.0, "$_NOR_": 1.0,
        "$_AND_": 1.33, "$_OR_": 1.33, "$_ANDNOT_": 1.33, "$_ORNOT_": 1.33,
        "$_XOR_": 2.0, "$_XNOR_": 2.0, "$_MUX_": 2.33, "$_DFF_P_": 5.67,
    ]

    /// The default 45 nm table (see the type's description for every number's source).
    public static let standard = EnergyTable(
        source: "logic: NanGate FreePDK45 Open Cell Library, typical 1.10 V 25 C (AND2_X1 internal power + load, 3.728 fJ per NAND2 equivalent; other cells scaled by NAND2-equivalent area); memory: Horowitz, ISSCC 2014, doi:10.1109/ISSCC.2014.6757323 (45 nm)",
        logicTechnology: "45 nm (NanGate FreePDK45, typical, 1.10 V)",
        cellTransitionFemtojoules: nand2Equivalents.mapValues { ($0 * femtojoulesPerNand2Equivalent * 1000).rounded() / 1000 },
        activityFactor: 0.25,
        memoryTechnology: "45 nm (Horowitz, ISSCC 2014)",
        sramReads: [SramPoint(bytes: 8 << 10, picojoulesPer64Bits: 10), SramPoint(bytes: 32 << 10, picojoulesPer64Bits: 20),
                    SramPoint(bytes: 1 << 20, picojoulesPer64Bits: 100)],
        sramWriteFactor: 1.0,
        dramPicojoulesPer64Bits: 1950)

    /// Picojoules per bit read from an SRAM of `bytes`.
    public func sramReadPicojoulesPerBit(bytes: Int) -> Double {
        let points = sramReads.sorted { $0.bytes < $1.bytes }
        guard points.count >= 2 else { return (points.first?.picojoulesPer64Bits ?? 0) / 64 }
        let x = log(Double(max(bytes, 1)))
        // The segment that holds x (or the end segment nearest to it).
        var i = 0
        while i < points.count - 2 && x > log(Double(points[i + 1].bytes)) { i += 1 }
        let (x0, x1) = (log(Double(points[i].bytes)), log(Double(points[i + 1].bytes)))
        let (y0, y1) = (log(points[i].picojoulesPer64Bits), log(points[i + 1].picojoulesPer64Bits))
        return exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0)) / 64
    }

    /// Picojoules per bit written to an SRAM of `bytes`.
    public func sramWritePicojoulesPerBit(bytes: Int) -> Double { sramReadPicojoulesPerBit(bytes: bytes) * sramWriteFactor }
    /// Picojoules per DRAM bit.
    public var dramPicojoulesPerBit: Double { dramPicojoulesPer64Bits / 64 }

    /// The first problem of a table read from a file (nil: none).
    public var problem: String? {
        if cellTransitionFemtojoules.isEmpty { return "cellTransitionFemtojoules is empty" }
        if let bad = cellTransitionFemtojoules.first(where: { !$0.value.isFinite || $0.value < 0 }) {
            return "cell \(bad.key): \(bad.value) fJ is not a non-negative number"
        }
        if !(0...1).contains(activityFactor) { return "activityFactor \(activityFactor) is outside 0…1" }
        if sramReads.isEmpty { return "sramReads is empty" }
        if sramReads.contains(where: { $0.bytes < 1 || !($0.picojoulesPer64Bits > 0) || !$0.picojoulesPer64Bits.isFinite }) {
            return "every sramReads point needs bytes ≥ 1 and a positive energy"
        }
        if Set(sramReads.map(\.bytes)).count != sramReads.count { return "sramReads lists one size twice" }
        if !(sramWriteFactor >= 0) || !sramWriteFactor.isFinite { return "sramWriteFactor \(sramWriteFactor) is not a non-negative number" }
        if !(dramPicojoulesPer64Bits >= 0) || !dramPicojoulesPer64Bits.isFinite { return "dramPicojoulesPer64Bits \(dramPicojoulesPer64Bits) is not a non-negative number" }
        return nil
    }

    /// Reads a table written in this shape.
    /// - Throws: ``PerfError``, one line naming the file and the problem.
    public static func read(atPath path: String) throws(PerfError) -> EnergyTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw PerfError("\(path): cannot read the energy table") }
        let table: EnergyTable
        do {
            table = try JSONDecoder().decode(EnergyTable.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw PerfError("\(path): not an energy table (missing '\(key.stringValue)')")
        } catch let DecodingError.typeMismatch(_, context) {
            let at = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw PerfError("\(path): not an energy table (\(at.isEmpty ? "expected a JSON object" : "wrong type at '\(at)'"))")
        } catch {
            throw PerfError("\(path): not an energy table (not valid JSON of that shape)")
        }
        if let problem = table.problem { throw PerfError("\(path): bad energy table: \(problem)") }
        return table
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}
