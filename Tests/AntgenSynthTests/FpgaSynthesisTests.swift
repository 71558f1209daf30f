import AntgenDSL
import AntgenHardware
import AntgenSynth
import Foundation
import Testing

/// A small array through the Yosys FPGA flows. iCE40 (about 15 s) runs in every `make test`;
/// Xilinx 7, UltraScale and ECP5 (`synth_xilinx` alone takes 40–50 s here, mostly reading
/// its cell library) run when `ANTGEN_FPGA_ALL_FAMILIES=1`, as `make regress` sets it.
@Suite struct FpgaSynthesisTests {
    static let allFamilies = ProcessInfo.processInfo.environment["ANTGEN_FPGA_ALL_FAMILIES"] == "1"

    /// A 2 × 2 int-only ANT array with a 16-bit accumulator (the smallest with every module kind).
    static let small = try! ArrayParameters(rows: 2, cols: 2, codeWidth: 4, activationTypes: [.int], weightTypes: [.int],
                                            accumulatorWidth: 16, int8: false)

    /// Maps the small array to `family`, checks what holds for every family, returns the report.
    static func mapSmallArray(_ family: FpgaFamily, device: String) throws -> FpgaReport {
        let design = try elaborateForSynthesis(AntArray(small))
        let part = try #require(FpgaDevice.named(device))
        let report = try Synthesizer().synthesizeFPGA(design, family: family, devices: [part], parameters: small.manifestFields)
        #expect(report.family == family && report.top == design.top.name)
        #expect(report.modules.map(\.generator) == ["ProcessingElement", "TileArray", "OperandDecoder", "AntArray"])
        #expect(report.modules.map(\.instancesInDesign) == [4, 1, 4, 1])
        // The whole design is every module's own resources times its copies.
        let summed = report.modules.reduce(FpgaResources()) { $0.adding($1.own, times: $1.instancesInDesign) }
        #expect(summed == report.design)
        // Registers: at least the four PEs' 16-bit accumulators; the PE has LUTs and carries.
        #expect(report.design.flipFlops >= 4 * 16)
        let pe = report.modules[0].own
        #expect(pe.luts > 0 && pe.carries > 0 && pe.flipFlops >= 16)
        #expect(report.design.otherCells == 0, "unclassified cells: \(report.designCells)")
        #expect(report.yosysVersion.hasPrefix("Yosys "))
        let verdict = try #require(report.verdicts.first)
        #expect(verdict.fits, "\(verdict.text)")
        let json = try JSONSerialization.jsonObject(with: Data(report.jsonText().utf8)) as! [String: Any]
        #expect(json["family"] as? String == family.rawValue)
        #expect((json["verdicts"] as? [[String: Any]])?.first?["device"] as? String == part.name)
        return report
    }

    @Test func smallArrayOnICE40UltraPlus() throws {
        let report = try Self.mapSmallArray(.ice40, device: "iCE40UP5K")
        #expect(report.designCells["SB_LUT4"] == report.design.luts)
        #expect(report.design.carries == report.designCells["SB_CARRY"])
    }

    @Test(.enabled(if: allFamilies, "set ANTGEN_FPGA_ALL_FAMILIES=1 (make regress)"))
    func smallArrayOnXilinx7() throws {
        let report = try Self.mapSmallArray(.xilinx7, device: "xc7a35t")
        #expect(report.designCells["CARRY4"] == report.design.carries)
        #expect(report.designCells["IBUF"] == 0 && report.designCells["BUFG"] == 0)   // out of context
    }

    @Test(.enabled(if: allFamilies, "set ANTGEN_FPGA_ALL_FAMILIES=1 (make regress)"))
    func smallArrayOnUltraScale() throws {
        let report = try Self.mapSmallArray(.ultrascale, device: "xcku040")
        // Yosys 0.23 maps UltraScale carries to CARRY4 (Vivado retargets them to CARRY8).
        #expect(report.designCells["CARRY4"] + report.designCells["CARRY8"] == report.design.carries)
        #expect(report.design.carries > 0)
    }

    @Test(.enabled(if: allFamilies, "set ANTGEN_FPGA_ALL_FAMILIES=1 (make regress)"))
    func smallArrayOnECP5() throws {
        let report = try Self.mapSmallArray(.ecp5, device: "LFE5U-25F")
        // Each CCU2C carry fills two LUT4 sites.
        #expect(report.design.luts == report.designCells["LUT4"] + 2 * report.designCells["CCU2C"])
    }

    @Test func aDeviceOfAnotherFamilyIsRefusedBeforeYosysRuns() throws {
        let design = try elaborateForSynthesis(AntArray(Self.small))
        #expect(throws: SynthesisError.invalidDesign("xc7a35t belongs to xilinx7, not ecp5")) {
            try Synthesizer().synthesizeFPGA(design, family: .ecp5, devices: [FpgaDevice.named("xc7a35t")!])
        }
    }
}
