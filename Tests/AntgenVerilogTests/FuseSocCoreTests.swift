import AntgenDSL
import AntgenExamples
import AntgenVerilog
import Testing

/// The CAPI2 text of `<top>.core` (FuseSoC itself reads it in AntgenCLITests).
@Suite struct FuseSocCoreTests {
    @Test func coreListsTheFilesInFileListOrderWithIntegerDefinesAndFourTargets() throws {
        let design = try elaborate(AdderTree(inputs: 4, width: 8))
        let core = FuseSocCore(design: design, version: "0.1.0",
                               buildParameters: ["rows": "4", "accumulatorWidth": "32", "weight_bits": "3", "types": "int,pot"])
        let top = design.top.name
        #expect(core.fileName == "\(top).core")
        #expect(core.vlnv == "antgen:arrays:\(top):0.1.0")
        let text = core.text
        #expect(text.hasPrefix("CAPI=2:\n"))
        #expect(text.contains("name: antgen:arrays:\(top):0.1.0\n"))
        // Files: exactly the file list's lines, in its order.
        let listed = VerilogBackend().fileList(for: design).split(separator: "\n").map { "      - \($0)" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "    files:")) + 1
        #expect(Array(lines[start..<(start + listed.count)]) == listed)
        // Integer parameters only, as upper-snake-case defines, sorted.
        #expect(core.parameters.map(\.name) == ["ANTGEN_ACCUMULATOR_WIDTH", "ANTGEN_ROWS", "ANTGEN_WEIGHT_BITS"])
        #expect(core.parameters.map(\.value) == [32, 4, 3])
        #expect(text.contains("  ANTGEN_ROWS:\n    datatype: int\n    default: 4\n"))
        #expect(text.contains("    paramtype: vlogdefine\n"))
        #expect(!text.contains("ANTGEN_TYPES"))
        #expect(text.contains("types=int,pot"))   // listed in the default description
        for target in ["default", "lint", "sim", "sim_verilator"] {
            #expect(text.contains("\n  \(target):\n    filesets: [rtl]\n    parameters: [ANTGEN_ACCUMULATOR_WIDTH, ANTGEN_ROWS, ANTGEN_WEIGHT_BITS]\n    toplevel: \(top)\n"))
        }
        #expect(text.contains("      verilator:\n        mode: lint-only\n        verilator_options: [-Wall]\n"))
        #expect(text.contains("      icarus:\n        iverilog_options: [-Wall]\n"))
        #expect(text.contains("      verilator:\n        mode: binary\n"))
        // Deterministic: the same design and parameters give the same bytes.
        let again = FuseSocCore(design: design, version: "0.1.0",
                                buildParameters: ["types": "int,pot", "weight_bits": "3", "accumulatorWidth": "32", "rows": "4"])
        #expect(again.text == text)
    }

    @Test func descriptionIsQuotedForYAML() throws {
        let design = try elaborate(AdderTree(inputs: 2, width: 4))
        let core = FuseSocCore(design: design, version: "1.2.3", buildParameters: [:], summary: "say \"hi\" \\ there: yes")
        #expect(core.text.contains("description: \"say \\\"hi\\\" \\\\ there: yes\"\n"))
        #expect(!core.text.contains("parameters:"))
    }
}
