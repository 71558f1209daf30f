import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The partial-sum stage on the ANT array (`--psum-preload`, `--psum-codec`): lint-clean
/// RTL, the extra ports and the manifest section; the default build is left without them.
@Suite struct PartialSumEmissionTests {
    @Test(arguments: [(false, 20), (true, 32)])
    func antStageIsLintClean(codec: Bool, width: Int) throws {
        let p = try ArrayParameters(rows: 3, cols: 2, activationTypes: [.int, .flint, .pot], weightTypes: [.int, .float],
                                    accumulatorWidth: width, int8: true, preload: true, codec: codec)
        let dir = try temporaryDirectory("psum-lint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try emit(AntArray(p), to: dir)
        let findings = try VerilogLinter().lint(directory: dir, top: design.top.name)
        #expect(findings.count == 3)
        for finding in findings { #expect(finding.clean, "\(finding)") }
        #expect(design.modules.contains { $0.circuitName == "PartialSumStage" })
        #expect(design.modules.contains { $0.circuitName == "PartialSumEncoder" } == codec)
    }

    @Test func manifestDescribesThePreloadPorts() throws {
        let p = try ArrayParameters(rows: 4, cols: 3, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 24, int8: false, codec: true)
        #expect(p.preload)  // the codec implies preload
        let design = try elaborate(AntArray(p))
        let manifest = ArrayManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: "test")
        let ports = Dictionary(uniqueKeysWithValues: manifest.ports.map { ($0.name, $0) })
        #expect(ports["psum_in"]?.width == 3 * 12 && ports["psum_in"]?.direction == "input")
        #expect(ports["out_psum"]?.width == 3 * 12 && ports["psum_in_ready"]?.direction == "output")
        #expect(manifest.partialSums?["mode"] == "codec12" && manifest.partialSums?["queueDepthRows"] == "8")
        #expect(manifest.partialSums?["extraCycles"]?.hasPrefix("0") == true)
        #expect(manifest.parameters["partialSums"] == "codec12")

        let plain = try p.withPartialSums(preload: true, codec: false)
        let preload = try elaborate(AntArray(plain))
        let widths = Dictionary(uniqueKeysWithValues: preload.top.ports.map { ($0.name, $0.type.width) })
        #expect(widths["psum_in"] == 3 * 24 && widths["out_psum"] == nil)
    }

    @Test func defaultBuildHasNoStage() throws {
        let p = try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 16, int8: false)
        let design = try elaborate(AntArray(p))
        #expect(!design.top.ports.contains { $0.name.hasPrefix("psum") || $0.name == "out_psum" })
        let manifest = ArrayManifest(parameters: p, top: design.top, modules: design.modules.map(\.name), version: "test")
        #expect(manifest.partialSums == nil && manifest.parameters["partialSums"] == nil)
        #expect(try !manifest.jsonText().contains("partialSums"))
    }

    @Test func codecNeedsAWidthItCovers() throws {
        #expect { try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 40, int8: false, codec: true) }
            throws: { "\($0)" == "invalid psum-codec: the 12-bit partial-sum code needs W in 8…37, not 40" }
    }
}
