import AntgenPerf
import Foundation
import Testing

/// Traffic and energy against hand-computed values.
@Suite struct TrafficAndEnergyTests {
    static let layer = try! GemmLayer(name: "l", m: 10, k: 5, n: 7, activationBits: .eight, weightBits: .four)

    /// 10 × 5 × 7 on 4 × 3, a8w4, W = 24: 9 tiles; everything fits the default buffers.
    @Test func trafficWithRoomyBuffers() throws {
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24)
        let t = LayerTraffic(Self.layer, array: array)
        #expect(t.activationBufferReadBits == 9 * 5 * 4 * 8)   // tiles × K × R × 8 bits
        #expect(t.weightBufferReadBits == 9 * 5 * 3 * 4)       // tiles × K × C × 4 bits
        #expect(t.outputBufferWriteBits == 9 * 4 * 3 * 24)     // tiles × R × C × W
        #expect(t.outputBufferReadBits == 10 * 7 * 24)         // m × n × W
        #expect(t.dramReadBits == 10 * 5 * 8 + 5 * 7 * 4)      // A and W once
        #expect(t.dramWriteBits == 10 * 7 * 8)                 // C requantized to 8 bits
        #expect(t.operandBits == 1440 + 540 && t.partialSumBits == 2592 + 1680)
    }

    /// With 1-byte buffers nothing stays resident: A is fetched once per column tile (3) and
    /// W once per row tile (3) in either loop order.
    @Test func trafficWithTinyBuffers() throws {
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24,
                                  buffers: BufferSizes(activationBytes: 1, weightBytes: 1, outputBytes: 1))
        let t = LayerTraffic(Self.layer, array: array)
        #expect(t.dramReadBits == 3 * 400 + 3 * 140)
    }

    /// A weight strip (K × C) that fits while A does not: column tiles outer reads W once and A
    /// once per column tile; row tiles outer keeps the R × K strip and reads W per row tile.
    @Test func trafficPicksTheCheaperLoopOrder() throws {
        // A = 400 bits (50 B), W = 140 bits (18 B), weight strip 60 bits (8 B), act strip 160 bits (20 B).
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24,
                                  buffers: BufferSizes(activationBytes: 20, weightBytes: 8, outputBytes: 1))
        let t = LayerTraffic(Self.layer, array: array)
        let columnsOuter = 140 + 3 * 400, rowsOuter = 400 + 3 * 140
        #expect(t.dramReadBits == min(columnsOuter, rowsOuter))
    }

    /// A small table: 1 fJ per cell, α = 0.5, 1 pJ per SRAM bit, 2 pJ per DRAM bit.
    static let table = EnergyTable(
        source: "test", logicTechnology: "test", cellTransitionFemtojoules: ["$_NAND_": 1, "$_DFF_P_": 1], activityFactor: 0.5,
        memoryTechnology: "test", sramReads: [.init(bytes: 1024, picojoulesPer64Bits: 64), .init(bytes: 4096, picojoulesPer64Bits: 64)],
        sramWriteFactor: 1, dramPicojoulesPer64Bits: 128)

    @Test func energyFromCellsAndTraffic() throws {
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24)
        let cells = ArrayCells(rows: 4, cols: 3, processingElement: ["$_NAND_": 10], rest: ["$_DFF_P_": 4])
        let report = try PerformanceModel(array: array, table: Self.table, cells: cells).evaluate([Self.layer])
        let r = report.layers[0]
        // PE steps: 9 tiles × K 5 × T 2 × 12 PEs; each costs 0.5 × 10 fJ.
        #expect(abs(r.energy.processingElements - Double(9 * 5 * 2 * 12) * 5 / 1000) < 1e-9)
        // Array logic: 0.5 × 4 fJ per cycle.
        #expect(abs(r.energy.arrayLogic - Double(r.cycles) * 2 / 1000) < 1e-9)
        // Buffers at 1 pJ per bit: reads, writes and the DRAM fill.
        let bufferBits = 1440 + 540 + 2592 + 1680 + (400 + 140)
        #expect(abs(r.energy.buffers - Double(bufferBits)) < 1e-9)
        #expect(abs(r.energy.dram - Double(2 * (400 + 140 + 560))) < 1e-9)
        #expect(abs(report.energy.total - r.energy.total) < 1e-9)
        // Cycles: 9 tiles of K·T = 10 ≥ R = 4: 10 + 8·10 + 2·4 + 3.
        #expect(r.cycles == 10 + 8 * 10 + 8 + 3)
        #expect(abs(r.utilization - Double(10 * 5 * 7 * 2) / Double(12 * r.cycles)) < 1e-12)
    }

    /// Without cells only memory is priced; a cell type the table lacks is an error.
    @Test func missingCellsAndUnknownCellTypes() throws {
        let array = try PerfArray(rows: 4, cols: 3, accumulatorWidth: 24)
        let memoryOnly = try PerformanceModel(array: array, table: Self.table).evaluate([Self.layer])
        #expect(memoryOnly.energy.processingElements == 0 && memoryOnly.energy.dram > 0)
        let odd = ArrayCells(rows: 4, cols: 3, processingElement: ["$_XOR_": 1], rest: [:])
        #expect(throws: PerfError.self) { try PerformanceModel(array: array, table: Self.table, cells: odd).evaluate([Self.layer]) }
        let otherSize = ArrayCells(rows: 8, cols: 3, processingElement: ["$_NAND_": 1], rest: [:])
        #expect(throws: PerfError.self) { try PerformanceModel(array: array, table: Self.table, cells: otherSize).evaluate([Self.layer]) }
        #expect(throws: PerfError.self) {
            try PerformanceModel(array: try PerfArray(rows: 4, cols: 3, int8: false)).evaluate([Self.layer])
        }
    }

    /// Horowitz's points are met exactly and other sizes follow the log–log segments.
    @Test func sramInterpolation() {
        let t = EnergyTable.standard
        #expect(abs(t.sramReadPicojoulesPerBit(bytes: 8 << 10) - 10.0 / 64) < 1e-12)
        #expect(abs(t.sramReadPicojoulesPerBit(bytes: 32 << 10) - 20.0 / 64) < 1e-12)
        #expect(abs(t.sramReadPicojoulesPerBit(bytes: 16 << 10) - (200.0).squareRoot() / 64) < 1e-12)
        #expect(abs(t.sramReadPicojoulesPerBit(bytes: 1 << 20) - 100.0 / 64) < 1e-12)
        // 2 MiB: one octave past the 32 KiB–1 MiB segment (5 octaves for 5×): × 5^(1/5).
        #expect(abs(t.sramReadPicojoulesPerBit(bytes: 2 << 20) - 100 * pow(5, 0.2) / 64) < 1e-9)
        #expect(abs(t.dramPicojoulesPerBit - 1950.0 / 64) < 1e-12)
    }

    /// The default table's cell energies are the NanGate AND2_X1 figure scaled by area.
    @Test func standardTableNumbers() {
        // Hand-computed from the NanGate typical liberty readings: mean internal energy + ½·C·(1.1 V)².
        let nand = (0.174115 + 2.183357 + 0.137653 + 2.872034) / 4 + 0.5 * 3.709790 * 1.21
        let inv = (-0.000300 + 1.897133) / 2 + 0.5 * 3.795620 * 1.21
        let nor = (-0.000519 + 2.278708 + 0.110211 + 3.010954) / 4 + 0.5 * 3.337860 * 1.21
        let cells = EnergyTable.standard.cellTransitionFemtojoules
        #expect(abs(cells["$_NAND_"]! - nand) < 0.001 && abs(cells["$_NAND_"]! - 3.586) < 0.001)
        #expect(abs(cells["$_NOT_"]! - 3.245) < 0.001 && abs(cells["$_DFF_P_"]! - 6.494) < 0.001)
        #expect(abs(cells["$_ANDNOT_"]! - (inv + nor)) < 0.002)
        #expect(Set(cells.keys) == ["$_NOT_", "$_BUF_", "$_NAND_", "$_NOR_", "$_AND_", "$_OR_", "$_ANDNOT_", "$_ORNOT_",
                                    "$_XOR_", "$_XNOR_", "$_MUX_", "$_DFF_P_"])
        #expect(EnergyTable.standard.cellSources?["$_MUX_"]?.hasPrefix("MUX2_X1: internal 3.264 fJ") == true)
        #expect(EnergyTable.standard.problem == nil)
    }

    /// A table written as JSON reads back equal; broken tables are one-line errors.
    @Test func energyTableFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-perf-table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("t.json")
        try EnergyTable.standard.jsonText().write(to: good, atomically: true, encoding: .utf8)
        #expect(try EnergyTable.read(atPath: good.path) == .standard)
        let bad = dir.appendingPathComponent("bad.json")
        try EnergyTable.standard.jsonText().replacingOccurrences(of: "\"activityFactor\" : 0.25", with: "\"activityFactor\" : 2")
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: PerfError("\(bad.path): bad energy table: activityFactor 2.0 is outside 0…1")) { try EnergyTable.read(atPath: bad.path) }
        let missing = dir.appendingPathComponent("m.json")
        try "{}".write(to: missing, atomically: true, encoding: .utf8)
        #expect(throws: PerfError.self) { try EnergyTable.read(atPath: missing.path) }
    }
}
