import AntgenDSL
import AntgenVerilog
import Testing

private struct Lane: BundleSpec {
    let valid = Field(.bool)
    let data = Field(.uint(3))
}

/// A 2-D bus in, a bus of bundles and a bus of scalars out.
private struct BusPorts: PortSpec {
    let grid = Port.input(PackedVec(count: 2, PackedVec(count: 3, HardwareType.uint(4))))
    let lanes = Port.input(PackedVec(count: 2, Lane()))
    let picked = Port.output(PackedVec(count: 2, HardwareType.uint(4)))
    let flags = Port.output(PackedVec(count: 2, Lane()))
}

private func verilog(_ circuit: some Circuit) throws -> String {
    let design = try elaborate(circuit)
    return try #require(VerilogBackend().files(for: design).first { $0.name == design.top.name + ".v" }).contents
}

@Suite struct PackedVecTests {
    /// One port per bus; element 0 in the least significant bits, rows of a 2-D bus
    /// outermost; elements read as single slices of the port.
    @Test func elementsAreLowFirstSlicesOfOnePort() throws {
        let c = PortedCircuit("Bus", ports: { BusPorts() }) { _, io in
            // Row 1, element 2 → bits (1·3 + 2)·4 = 20…23; row 0, element 1 → bits 4…7.
            io.picked.assign(Vec([io.grid[1][2], io.grid[0][1]]))
            io.flags.assign(Vec([io.lanes[1], io.lanes[0]]))
        }
        let design = try elaborate(c)
        #expect(design.top.ports.map(\.name) == ["grid", "lanes", "picked", "flags"])
        #expect(design.top.ports.map(\.type.width) == [24, 8, 8, 8])
        let text = try verilog(c)
        #expect(text.contains("assign picked = {grid[7:4], grid[23:20]};"), "\(text)")
        #expect(text.contains("assign flags = {lanes[3:0], lanes[7:4]};"), "\(text)")
    }

    /// Bundle elements read their fields in place (bundle order inside the element).
    @Test func bundleElementFieldsAreSlicesOfTheBus() throws {
        let c = PortedCircuit("Fields", ports: { BusPorts() }) { m, io in
            m.output("valid1", .bool).assign(io.lanes[1].valid)
            m.output("data0", .uint(3)).assign(io.lanes[0].data)
            io.picked.assign(Value.uint(0, width: 8))
            io.flags.assign(io.lanes)
            _ = io.grid
        }
        let text = try verilog(c)
        #expect(text.contains("assign valid1 = lanes[7];"), "\(text)")
        #expect(text.contains("assign data0 = lanes[2:0];"), "\(text)")
    }

    /// A flat value of the wrong width is an error where it is used.
    @Test func unpackingTheWrongWidthIsAnError() {
        var line = 0
        let c = TestCircuit("Bad") { m in
            let x = m.input("x", .uint(7))
            let bus = PackedVecValue(PackedVec(count: 2, HardwareType.uint(4)), packed: x)
            m.output("y", .uint(4)).assign(bus[1]); line = #line
        }
        let found = diagnostics(c)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.location.line == line)
        #expect(found.first?.message.contains("cannot unpack UInt<7> as 2 elements of 4 bits (8 bits)") == true)
    }
}
