import AntgenDSL
import AntgenHardware
import Foundation
import Testing

/// Every generator declares its interface as a typed ``PortSpec``, and the tops keep the
/// documented Verilog port names and order through their shared port groups.
@Suite struct TypedPortsTests {
    /// The `Ports` type a circuit declares (``NoPorts`` when it declares none).
    private func interfaceType<C: Circuit>(of circuit: C) -> Any.Type { C.Ports.self }

    /// The generator sources, read from the checkout next to this test.
    private func hardwareSources() throws -> [(name: String, text: String)] {
        let folder = repositoryRoot.appendingPathComponent("Sources/AntgenHardware")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try names.map { ($0, try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// No generator in Sources/AntgenHardware falls back to ad-hoc ports: no `NoPorts`
    /// interface and no port declared by name string (`m.input("…")`, `m.output("…")`).
    @Test func noGeneratorUsesUntypedPorts() throws {
        let sources = try hardwareSources()
        #expect(sources.count > 20, "found only \(sources.map(\.name))")
        for (name, text) in sources {
            for pattern in ["NoPorts", "m.input(", "m.output(", "m.inputVec(", "m.outputVec("] {
                #expect(!text.contains(pattern), "\(name) uses \(pattern)")
            }
        }
    }

    /// The MX top declares a typed spec, and its ports keep the MX testbench's names and order.
    @Test func mxArrayDeclaresTypedPortsInTheContractOrder() throws {
        let array = MxArray(MxArrayParameters(rows: 2, cols: 2, formats: [.fp4e2m1, .fp8e4m3]))
        #expect(ObjectIdentifier(interfaceType(of: array)) != ObjectIdentifier(NoPorts.self))
        #expect(Mirror(reflecting: array.ports).children.count == 10)
        let design = try elaborate(array)
        #expect(design.top.ports.map(\.name) == [
            "in_valid", "in_last", "cfg_a_format", "cfg_w_format", "a_code_0", "a_code_1", "a_scale_0", "a_scale_1",
            "w_code_0", "w_code_1", "w_scale_0", "w_scale_1", "out_valid", "out_row", "out_data_0", "out_data_1",
        ])
        #expect(design.top.ports.map(\.type.width) == [1, 1, 3, 3, 8, 8, 8, 8, 8, 8, 8, 8, 1, 1, 32, 32])
    }

    /// The ANT top's grouped ports flatten to the names and order of docs/architecture.md §2.
    @Test func antArrayGroupsKeepThePortContract() throws {
        let p = try arrayParameters(2, 2).withPartialSums(preload: true, codec: true)
        #expect(try elaborate(AntArray(p)).top.ports.map(\.name) == [
            "in_valid", "in_ready", "in_last", "a_code_0", "a_code_1", "w_code_0", "w_code_1",
            "cfg_act_type", "cfg_act_signed", "cfg_act_int8", "cfg_weight_type", "cfg_weight_signed", "cfg_weight_int8",
            "out_valid", "out_row", "out_data_0", "out_data_1", "psum_in_valid", "psum_in_ready", "psum_in", "out_psum",
        ])
        #expect(try elaborate(WsArray(arrayParameters(2, 1, int8: false))).top.ports.map(\.name) == [
            "in_valid", "in_ready", "in_load", "a_code_0", "a_code_1", "w_code_0",
            "cfg_act_type", "cfg_act_signed", "cfg_weight_type", "cfg_weight_signed", "out_valid", "out_data_0",
        ])
    }

    /// The SDP top's buses stay one port each (packed vectors) between its shared groups.
    @Test func sdpArrayKeepsThePortContract() throws {
        let p = try SdpArrayParameters(rows: 2, cols: 3, group: 4, terms: 3, weightTypes: [.int], weightInt8: true, accumulatorWidth: 16)
        let ports = try elaborate(SdpArray(p)).top.ports
        #expect(ports.map(\.name) == [
            "in_valid", "in_ready", "in_last", "a_group", "w_group", "cfg_act_signed", "cfg_weight_type", "cfg_weight_signed",
            "cfg_weight_int8", "issue_valid", "issue_terms", "out_valid", "out_row", "out_data",
        ])
        // 2 rows × 4 int8 codes; 3 columns × W.
        #expect(ports.first { $0.name == "a_group" }?.type.width == 2 * 4 * 8)
        #expect(ports.first { $0.name == "out_data" }?.type.width == 3 * 16)
    }

    /// The PWLQ top shares the handshake, code, output-row and partial-sum groups.
    @Test func pwlqArrayGroupsKeepThePortContract() throws {
        let p = try PwlqArrayParameters(rows: 1, cols: 1, weightBits: 4, accumulatorWidth: 32, int8: true, preload: true)
        #expect(try elaborate(PwlqArray(p)).top.ports.map(\.name) == [
            "in_valid", "in_ready", "in_last", "a_code_0", "w_code_0", "cfg_act_signed", "cfg_act_int8",
            "out_valid", "out_row", "out_centre_0", "out_tail_0", "out_offset_0", "psum_in_valid", "psum_in_ready", "psum_in",
        ])
    }
}
