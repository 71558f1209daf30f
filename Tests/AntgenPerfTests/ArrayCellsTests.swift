import AntgenHardware
import AntgenPerf
import AntgenSynth
import Testing

/// The cells the energy model prices, from a real Yosys run of a small array.
@Suite struct ArrayCellsTests {
    /// A 2 × 3 array: the PE's cells are the ProcessingElement module's, and the rest plus six
    /// PEs is the whole design, type by type.
    @Test func cellsOfASynthesizedArray() throws {
        let p = try ArrayParameters(rows: 2, cols: 3, codeWidth: 4, activationTypes: [.int, .flint, .pot],
                                    weightTypes: [.int, .flint, .pot], accumulatorWidth: 16, int8: true)
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try Synthesizer().synthesize(try elaborateForSynthesis(AntArray(p)), parameters: p.manifestFields, options: options)
        #expect(report.design.ice40Cells.total == 0)
        let cells = try ArrayCells(report: report, processingElement: AntOutputStationaryShape().processingElementGenerator)
        #expect(throws: PerfError.self) { try ArrayCells(report: report, processingElement: "MxProcessingElement") }
        #expect(cells.rows == 2 && cells.cols == 3)
        let pe = try #require(report.modules.first { $0.generator == "ProcessingElement" })
        #expect(cells.processingElement == pe.total.genericCells.byType)
        for (type, count) in report.design.genericCells.byType {
            #expect(cells.rest[type, default: 0] + 6 * cells.processingElement[type, default: 0] == count, "\(type)")
        }
        #expect(cells.processingElement["$_DFF_P_", default: 0] > 0 && cells.rest["$_DFF_P_", default: 0] > 0)
        // Every generic cell type Yosys produced is priced by the default table.
        let model = try EnergyModel(array: try PerfArray(rows: 2, cols: 3, accumulatorWidth: 16), table: .standard, cells: cells)
        var expected = 0.0
        for (type, count) in cells.processingElement { expected += Double(count) * EnergyTable.standard.cellTransitionFemtojoules[type]! }
        #expect(abs(model.picojoulesPerPEStep - 0.25 * expected / 1000) < 1e-12)
    }
}
