import AntgenDSL
import AntgenHardware
import AntgenNumerics
import Testing

/// The generic output-stationary mesh over each of its PEs: module names, interfaces and
/// the grid it wires (behaviour is covered by the array simulation tests).
@Suite struct MeshTests {
    /// An int-only ANT PE with W = 16.
    static func ant() throws -> PEShape {
        PEShape(try ArrayParameters(rows: 2, cols: 3, activationTypes: [.int], weightTypes: [.int], accumulatorWidth: 16, int8: false))
    }

    /// The mesh module of `mesh` in its own elaboration.
    static func module(_ mesh: some Circuit) throws -> HardwareModule { try elaborate(mesh).top }

    @Test func antMeshInterface() throws {
        let m = try Self.module(TileArray(rows: 2, cols: 3, shape: try Self.ant()))
        #expect(m.circuitName == "TileArray")
        #expect(m.name.hasPrefix("TileArray_rows2_cols3_"))
        #expect(m.ports.map(\.name) == ["a_0", "a_1", "ctrl_0", "ctrl_1", "w_0", "w_1", "w_2", "result_0", "result_1", "result_2", "finish"])
        #expect(m.ports.first { $0.name == "result_0" }?.type == .uint(16))
    }

    @Test func pwlqMeshDrainsThreeSums() throws {
        let m = try Self.module(PwlqTileArray(rows: 2, cols: 2, shape: PwlqPEShape(accumulatorWidth: 20)))
        #expect(m.circuitName == "PwlqTileArray")
        #expect(m.ports.map(\.name) == ["a_0", "a_1", "ctrl_0", "ctrl_1", "w_0", "w_1", "centre_0", "centre_1", "tail_0", "tail_1",
                                        "offset_0", "offset_1", "finish"])
        #expect(m.ports.filter { $0.name.hasPrefix("tail") }.allSatisfy { $0.type == .uint(20) })
    }

    @Test func sdpMeshRowsTakeTerms() throws {
        let m = try Self.module(SdpTileArray(try SdpArrayParameters(rows: 2, cols: 3, group: 2, terms: 1, weightTypes: [.int],
                                                                         weightInt8: false, accumulatorWidth: 16)))
        #expect(m.circuitName == "SdpTileArray")
        #expect(m.ports.map(\.name) == ["term_0", "term_1", "ctrl_0", "ctrl_1", "w_0", "w_1", "w_2", "result_0", "result_1", "result_2", "finish"])
    }

    @Test func gridIsRowMajorAndDrainStartsNeedTwoRows() throws {
        let two = try Self.module(TileArray(rows: 2, cols: 3, shape: try Self.ant()))
        #expect(two.instances.map(\.name) == ["pe_0_0", "pe_0_1", "pe_0_2", "pe_1_0", "pe_1_1", "pe_1_2"])
        #expect(Set(two.instances.map(\.module.circuitName)) == ["ProcessingElement"])
        #expect(two.signals.filter { $0.name.hasPrefix("drain_start") }.map(\.name) == ["drain_start_0", "drain_start_1", "drain_start_2"])
        let one = try Self.module(TileArray(rows: 1, cols: 3, shape: try Self.ant()))
        #expect(one.signals.allSatisfy { !$0.name.hasPrefix("drain_start") })
    }
}
