import AntgenDSL
import AntgenHardware
import Foundation
import Testing
@testable import AntgenHarness

/// The harness's inputs: the bundled testbench sources, the typed build metadata, and the
/// replay testbench's port names.
@Suite struct HarnessInputsTests {
    /// The testbenches come from AntgenHarness's resource bundle, not from the source tree,
    /// and every folder the harness and the tests use is in it.
    @Test func testbenchesComeFromTheResourceBundle() throws {
        let sources = try TestbenchSources.locate()
        #expect(sources.root.deletingLastPathComponent().pathExtension == "resources", "\(sources.root.path)")
        #expect(!sources.root.path.hasPrefix(repositoryRoot.appendingPathComponent("Sources").path))
        for file in ["harness/harness.cpp", "harness/tb.v", "harness/stream_tb.v", "ws/ws_harness.cpp", "ws/ws_tb.v", "ws/ws_stream_tb.v",
                     "common/tb_checks.vh", "mx/mx_harness.cpp", "mx/mx_tb.v", "sdp/sdp_tb.v", "pe/pe_tb.cpp", "pwlq/pwlq_pe_tb.cpp"] {
            #expect(FileManager.default.fileExists(atPath: sources.root.appendingPathComponent(file).path), "\(file)")
        }
        // The bundled copy is the checked-in text.
        let checkedIn = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/harness/harness.cpp")
        #expect(try sources.text(sources.cppHarness) == String(contentsOf: checkedIn, encoding: .utf8))
    }

    @Test(arguments: [ArrayDataflow.os, .ws], [false, true])
    func buildMetadataFollowsTheParameters(_ dataflow: ArrayDataflow, _ int8: Bool) throws {
        let p = try parameters(3, 5, act: [.int, .pot], w: 20, int8: int8)
        let design = try GeneratedDesign(BuildRequest(parameters: p, dataflow: dataflow))
        let m = design.metadata
        #expect(m.rows == 3 && m.cols == 5 && m.codeWidth == 4 && m.accumulatorWidth == 20 && m.int8 == int8 && m.dataflow == dataflow)
        #expect(m.codeInputWidth == (int8 ? 8 : 4))
        // The manifest states the same values (as text) and the emitted top the same widths.
        #expect(design.manifest.parameters["accumulatorWidth"] == "20" && design.manifest.parameters["int8"] == (int8 ? "on" : "off"))
        #expect(design.manifest.ports.first { $0.name == "a_code_0" }?.width == m.codeInputWidth)
        if dataflow == .os { #expect(design.manifest.ports.first { $0.name == "out_row" }?.width == m.rowIndexWidth) }
        let json = try JSONEncoder().encode(m)
        #expect(try JSONDecoder().decode(ArrayBuildMetadata.self, from: json) == m)
        #expect(String(decoding: json, as: UTF8.self).contains("\"dataflow\":\"\(dataflow.rawValue)\""))
    }

    @Test func unknownDataflowIsADecodingError() throws {
        let json = #"{"rows":2,"cols":2,"codeWidth":4,"codeInputWidth":4,"accumulatorWidth":16,"rowIndexWidth":1,"int8":false,"dataflow":"xs"}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ArrayBuildMetadata.self, from: Data(json.utf8)) }
    }

    @Test func replayNamesWithoutAPortAreAnError() throws {
        let top = try elaborate(AntArray(try parameters(2, 2, act: [.int], int8: false))).top
        let ports = try #require(top.declaredPorts(AntArray.Ports.self))
        let handshake = ReplayHandshake(beat: ports.beat, out: ports.out, psum: ports.psum)
        let good = ReplayTestbench(top: top, handshake: handshake, tag: "T", beatFields: ["a_code_0", "in_last"], observed: ["out_data_0"], tileRows: 2)
        try good.checkPorts()
        let cases: [(beat: [String], observed: [String], port: String)] = [
            (["a_code_0", "cfg_act_int8"], ["out_data_0"], "'cfg_act_int8'"),   // int8 is off: no such port
            (["a_code_0"], ["out_data_9"], "'out_data_9'"),
            (["out_valid"], ["out_data_0"], "'out_valid'"),                     // an output is not a beat field
            (["a_code_0"], ["in_last"], "'in_last'"),                           // an input is not observed
        ]
        for c in cases {
            let bench = ReplayTestbench(top: top, handshake: handshake, tag: "T", beatFields: c.beat, observed: c.observed, tileRows: 2)
            do {
                try bench.checkPorts()
                Issue.record("\(c.port) was accepted")
            } catch {
                #expect("\(error)".contains(c.port) && "\(error)".contains(top.name), "\(error)")
            }
        }
    }

    /// The partial-sum and PWLQ benches name only ports their top has, with int8 on and off.
    @Test(arguments: [false, true])
    func theReplayBenchesNameRealPorts(_ int8: Bool) throws {
        let ant = try ArrayParameters(rows: 2, cols: 2, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 16, int8: int8,
                                      preload: true, codec: true)
        try PartialSumVerification.testbench(for: try elaborate(AntArray(ant)).top, parameters: ant).checkPorts()
        let pwlq = try PwlqArrayParameters(rows: 2, cols: 2, int8: int8, preload: true, codec: true)
        try PwlqVerification.testbench(for: try elaborate(PwlqArray(pwlq)).top, parameters: pwlq).checkPorts()
    }
}
