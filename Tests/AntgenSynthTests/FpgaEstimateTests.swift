import AntgenSynth
import Foundation
import Testing

/// The FPGA estimate without running Yosys: cell classes per family, the hierarchy roll-up
/// on a captured `synth_xilinx` report, and the fit verdict on hand-made counts.
@Suite struct FpgaEstimateTests {
    /// `stat` after `synth_xilinx -family xc7 -flatten -noiopad -noclkbuf` of a 2 × 2 int-only
    /// ANT array (PE and tile kept), captured from Yosys 0.23 verbatim.
    static let capturedXilinxStat = """

        8. Printing statistics.

        === AntArray_rows2_cols2_bits4_actint_wgtint_acc16_int8off ===

           Number of wires:                146
           Number of wire bits:            439
           Number of public wires:         114
           Number of public wire bits:     383
           Number of memories:               0
           Number of memory bits:            0
           Number of processes:              0
           Number of cells:                129
             CARRY4                          4
             FDRE                           79
             FDSE                            2
             INV                            16
             LUT2                            1
             LUT3                            4
             LUT4                            6
             LUT5                            4
             LUT6                           12
             TileArray_rows2_cols2_am4_ae1_wm4_we1_acc16      1

        === ProcessingElement_am4_ae1_wm4_we1_acc16 ===

           Number of wires:                 76
           Number of wire bits:            371
           Number of public wires:          33
           Number of public wire bits:     226
           Number of memories:               0
           Number of memory bits:            0
           Number of processes:              0
           Number of cells:                149
             CARRY4                          9
             FDRE                           48
             LUT2                           26
             LUT3                            2
             LUT4                            9
             LUT5                           34
             LUT6                           15
             MUXF7                           5
             MUXF8                           1

        === TileArray_rows2_cols2_am4_ae1_wm4_we1_acc16 ===

           Number of wires:                 30
           Number of wire bits:            196
           Number of public wires:          30
           Number of public wire bits:     196
           Number of memories:               0
           Number of memory bits:            0
           Number of processes:              0
           Number of cells:                  6
             LUT2                            2
             ProcessingElement_am4_ae1_wm4_we1_acc16      4

        === design hierarchy ===

           AntArray_rows2_cols2_bits4_actint_wgtint_acc16_int8off      1
             TileArray_rows2_cols2_am4_ae1_wm4_we1_acc16      1
               ProcessingElement_am4_ae1_wm4_we1_acc16      4

           Number of wires:                480
           Number of wire bits:           2119
           Number of public wires:         276
           Number of public wire bits:    1483
           Number of memories:               0
           Number of memory bits:            0
           Number of processes:              0
           Number of cells:                726
             CARRY4                         40
             FDRE                          271
             FDSE                            2
             INV                            16
             LUT2                          107
             LUT3                           12
             LUT4                           42
             LUT5                          140
             LUT6                           72
             MUXF7                          20
             MUXF8                           4
        """

    static let top = "AntArray_rows2_cols2_bits4_actint_wgtint_acc16_int8off"
    static let tile = "TileArray_rows2_cols2_am4_ae1_wm4_we1_acc16"
    static let pe = "ProcessingElement_am4_ae1_wm4_we1_acc16"

    @Test func capturedXilinxReportRollsUpToYosysOwnHierarchyTotals() throws {
        let stat = try YosysReportParser.cellCounts(fromStat: Self.capturedXilinxStat)
        #expect(Set(stat.keys) == [Self.top, Self.tile, Self.pe])
        let report = FpgaReport(stat: stat, reported: [Self.pe, Self.tile, Self.top],
                                generators: [Self.pe: "ProcessingElement", Self.tile: "TileArray", Self.top: "AntArray"],
                                family: .xilinx7, yosysVersion: "Yosys 0.23", parameters: ["rows": "2"],
                                devices: [FpgaDevice.named("xc7a35t")!, FpgaDevice.named("xc7z020")!])
        // The PE's own cells, counted by hand from its section.
        let pe = try #require(report.modules.first { $0.name == Self.pe })
        #expect(pe.own == FpgaResources(luts: 26 + 2 + 9 + 34 + 15, flipFlops: 48, carries: 9, dsps: 0, blockRams: 0))
        #expect(report.modules.map(\.instancesInDesign) == [4, 1, 1])
        #expect(report.modules.last?.submodules == [Self.tile: 1])
        // The whole design equals the totals Yosys prints under `design hierarchy`:
        // LUT2..LUT6 + INV = 107 + 12 + 42 + 140 + 72 + 16, FDRE + FDSE = 271 + 2, CARRY4 40.
        #expect(report.design == FpgaResources(luts: 389, flipFlops: 273, carries: 40, dsps: 0, blockRams: 0))
        #expect(report.designCells["MUXF7"] == 20 && report.designCells["MUXF8"] == 4 && report.designCells["LUT5"] == 140)
        // On the xc7a35t: LUTs 389 / 20,800 = 1.87 % beat carries 40 / 5,200 and FFs 273 / 41,600.
        #expect(report.verdicts.map(\.device) == ["xc7a35t", "xc7z020"])
        let verdict = report.verdicts[0]
        #expect(verdict.fits && verdict.limiting == .luts)
        #expect(abs(verdict.percent - 389.0 / 20_800 * 100) < 1e-9)
        let table = FpgaReportTable(report: report).text
        #expect(table.contains("whole design") && table.contains("xc7a35t: fits (largest share: LUT at 2 %)"))
        #expect(table.contains("xc7z020: fits (largest share: LUT at 1 %)"))   // 389 / 53,200 = 0.73 %
    }

    @Test func eachFamilyCountsItsCellsIntoTheRightResource() {
        let xilinx = FpgaFamily.xilinx7.resources(of: CellCounts([
            "LUT6": 3, "LUT1": 1, "INV": 2, "SRLC32E": 2, "RAM64M": 1, "FDRE": 5, "FDCE": 1, "CARRY4": 2, "DSP48E1": 3,
            "RAMB36E1": 1, "RAMB18E1": 3, "MUXF7": 9, "IBUF": 4]))
        #expect(xilinx == FpgaResources(luts: 3 + 1 + 2 + 2 + 4, flipFlops: 6, carries: 2, dsps: 3, blockRams: 2.5, otherCells: 4))
        let ice40 = FpgaFamily.ice40.resources(of: CellCounts([
            "SB_LUT4": 10, "SB_DFF": 2, "SB_DFFESR": 3, "SB_CARRY": 4, "SB_MAC16": 1, "SB_RAM40_4K": 2]))
        #expect(ice40 == FpgaResources(luts: 10, flipFlops: 5, carries: 4, dsps: 1, blockRams: 2))
        let ecp5 = FpgaFamily.ecp5.resources(of: CellCounts([
            "LUT4": 10, "CCU2C": 3, "TRELLIS_FF": 7, "MULT18X18D": 2, "DP16KD": 1, "PFUMX": 5, "L6MUX21": 1]))
        #expect(ecp5 == FpgaResources(luts: 10 + 2 * 3, flipFlops: 7, carries: 3, dsps: 2, blockRams: 1))
        let ultrascale = FpgaFamily.ultrascale.resources(of: CellCounts(["LUT6": 1, "CARRY8": 2, "DSP48E2": 1, "RAMB18E2": 1]))
        #expect(ultrascale == FpgaResources(luts: 1, flipFlops: 0, carries: 2, dsps: 1, blockRams: 0.5))
    }

    @Test func verdictNamesTheLargestShareAndRoundsUp() throws {
        let part = try #require(FpgaDevice.named("XC7A100T"))   // case-insensitive
        #expect(part.capacity.luts == 63_400 && part.capacity.dsps == 240 && part.family == .xilinx7)
        // Gemmini's 136,675 LUTs (vivado-risc-v#20) on the 63,400-LUT Artix-7: 215.6 %.
        let gemmini = part.verdict(for: FpgaResources(luts: 136_675, flipFlops: 60_000, carries: 1_000, dsps: 100, blockRams: 20))
        #expect(!gemmini.fits && gemmini.limiting == .luts)
        #expect(gemmini.text == "does not fit: limiting resource LUT at 216 %")
        let dspBound = part.verdict(for: FpgaResources(luts: 30_000, flipFlops: 1, carries: 0, dsps: 241, blockRams: 0))
        #expect(dspBound.text == "does not fit: limiting resource DSP at 101 %")
        let ramBound = part.verdict(for: FpgaResources(luts: 1, flipFlops: 1, carries: 0, dsps: 0, blockRams: 135.5))
        #expect(ramBound.limiting == .blockRams && !ramBound.fits)
        let small = part.verdict(for: FpgaResources(luts: 6_340, flipFlops: 1_268, carries: 10, dsps: 0, blockRams: 0))
        #expect(small.fits && small.text == "fits (largest share: LUT at 10 %)")
        let exactlyFull = part.verdict(for: part.capacity)
        #expect(exactlyFull.fits && exactlyFull.percent == 100)
        #expect(part.verdict(for: FpgaResources()).text == "fits (largest share: LUT at 0 %)")
        // 31 of the iCE40UP5K's 30 EBRs: 103.3 %, shown rounded up.
        let up5k = try #require(FpgaDevice.named("ice40up5k"))
        #expect(up5k.verdict(for: FpgaResources(luts: 100, flipFlops: 0, carries: 0, dsps: 0, blockRams: 31)).text
                == "does not fit: limiting resource BRAM at 104 %")
        #expect(FpgaDevice.named("xc7a200t") == nil)
        #expect(FpgaDevice.all.map(\.name) == ["xc7a35t", "xc7a100t", "xc7z020", "xcku040", "iCE40UP5K", "LFE5U-25F", "LFE5U-85F"])
    }
}
