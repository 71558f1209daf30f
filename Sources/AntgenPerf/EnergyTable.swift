import Foundation

/// The energy constants of the performance model. The default (``standard``) is built in
/// StandardEnergyTable.swift, where every number sits with its source (45 nm throughout: the
/// NanGate FreePDK45 typical library for logic, Horowitz ISSCC 2014 for SRAM and DRAM).
/// `antgen perf --energy-table F` replaces the whole table with a JSON file of this shape
/// (`antgen perf --print-energy-table` prints the default one to start from).
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
    /// Where each cell's energy comes from, by cell type (optional in a file; printed only).
    public let cellSources: [String: String]?

    /// Creates a table.
    public init(source: String, logicTechnology: String, cellTransitionFemtojoules: [String: Double], activityFactor: Double,
                memoryTechnology: String, sramReads: [SramPoint], sramWriteFactor: Double, dramPicojoulesPer64Bits: Double,
                cellSources: [String: String]? = nil) {
        self.source = source
        self.logicTechnology = logicTechnology
        self.cellTransitionFemtojoules = cellTransitionFemtojoules
        self.activityFactor = activityFactor
        self.memoryTechnology = memoryTechnology
        self.sramReads = sramReads
        self.sramWriteFactor = sramWriteFactor
        self.dramPicojoulesPer64Bits = dramPicojoulesPer64Bits
        self.cellSources = cellSources
    }

    /// The default 45 nm table (StandardEnergyTable.swift gives every number's source).
    public static let standard = StandardEnergyTable.table

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
        return physicalRangeProblem
    }

    /// The largest energy a table entry may give (fJ per cell transition, pJ per 64 bits):
    /// 1 µJ, far above any real cell or memory access, so every report stays finite.
    public static let maximumEntry = 1e6

    /// The first entry outside the physical range, if any.
    var physicalRangeProblem: String? {
        let max = Self.maximumEntry
        if let bad = cellTransitionFemtojoules.sorted(by: { $0.key < $1.key }).first(where: { $0.value > max }) {
            return "cell \(bad.key): \(bad.value) fJ is outside the physical range 0…\(Int(max)) fJ"
        }
        if let bad = sramReads.first(where: { $0.picojoulesPer64Bits > max || $0.picojoulesPer64Bits < 1 / max }) {
            return "sramReads point of \(bad.bytes) bytes: \(bad.picojoulesPer64Bits) pJ is outside the physical range 1e-06…\(Int(max)) pJ per 64 bits"
        }
        if sramWriteFactor > 1000 { return "sramWriteFactor \(sramWriteFactor) is outside the physical range 0…1000" }
        if dramPicojoulesPer64Bits > max { return "dramPicojoulesPer64Bits \(dramPicojoulesPer64Bits) is outside the physical range 0…\(Int(max)) pJ" }
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
