import AntgenDSL
import AntgenVerilog
import Testing

/// A valid/ready stream of `width`-bit codes: the group the tests nest.
private struct StreamPorts: PortSpec {
    let valid = Port.input(.bool)
    let ready = Port.output(.bool); static let readyLine = #line
    let code: PortVec<HardwareType>
    init(lanes: Int = 2, width: Int = 4) { code = .input(count: lanes, .uint(width)) }
}

/// A group inside a group.
private struct ConfigPorts: PortSpec {
    let signed = Port.input(.bool)
    let lane = PortGroup(LanePorts())
}

private struct LanePorts: PortSpec {
    let enable = Port.input(.bool)
}

/// A top interface: a prefixed group, an unprefixed one, an absent optional group and a
/// nested group, between ordinary ports.
private struct TopPorts: PortSpec {
    let first = Port.input(.bool)
    let stream = PortGroup(StreamPorts())
    let beat = PortGroup(StreamPorts(lanes: 1), prefix: "")
    let spare: PortGroup<StreamPorts>?
    let config = PortGroup(ConfigPorts(), prefix: "cfg_")
    let sum = Port.output(.uint(4))
    init(spare: Bool = false) { self.spare = spare ? PortGroup(StreamPorts()) : nil }
}

private func verilog(_ circuit: some Circuit, module: String? = nil) throws -> String {
    let design = try elaborate(circuit)
    let name = (module ?? design.top.name) + ".v"
    return try #require(VerilogBackend().files(for: design).first { $0.name == name }).contents
}

/// The top of ``TopPorts``: every output driven from the grouped inputs.
private func top(spare: Bool = false) -> PortedCircuit<TopPorts> {
    PortedCircuit("Top", ports: { TopPorts(spare: spare) }) { _, io in
        io.stream.ready.assign(io.beat.valid & io.config.lane.enable)
        io.beat.ready.assign(io.stream.valid ^ io.config.signed)
        io.sum.assign(io.stream.code[0] ^ io.stream.code[1] ^ io.beat.code[0])
        if let spare = io.spare { spare.ready.assign(io.first) }
    }
}

@Suite struct PortGroupTests {
    private let file = "AntgenDSLTests/PortGroupTests.swift"

    /// Groups are flattened in place: prefixed with the property name by default, as
    /// given otherwise (also empty), nested prefixes composing; absent groups add nothing.
    @Test func groupsFlattenInPortOrderWithTheirPrefixes() throws {
        let design = try elaborate(top())
        #expect(design.top.ports.map(\.name) == [
            "first", "stream_valid", "stream_ready", "stream_code_0", "stream_code_1",
            "valid", "ready", "code_0", "cfg_signed", "cfg_lane_enable", "sum",
        ])
        let withSpare = try elaborate(top(spare: true))
        #expect(withSpare.top.ports.map(\.name).contains("spare_ready"))
        let text = try verilog(top())
        #expect(text.contains("assign stream_ready = valid & cfg_lane_enable;"))
        #expect(text.contains("assign ready = stream_valid ^ cfg_signed;"))
    }

    /// A parent reaches an instance's grouped ports through the same property path.
    @Test func instanceReachesGroupedPorts() throws {
        let parent = TestCircuit("Parent") { m in
            let child = m.instance(top(), name: "child")
            child.first.assign(m.input("go", .bool))
            child.stream.valid.assign(m.input("v", .bool))
            child.stream.code.assign(Vec(count: 2) { _ in Value.uint(3, width: 4) })
            child.beat.valid.assign(Value.bool(true))
            child.beat.code[0].assign(Value.uint(1, width: 4))
            child.config.signed.assign(Value.bool(false))
            child.config.lane.enable.assign(Value.bool(true))
            m.output("r", .bool).assign(child.stream.ready & child.beat.ready)
            m.output("s", .uint(4)).assign(child.sum)
            #expect(child.spare == nil)
        }
        let text = try verilog(parent)
        #expect(text.contains(".stream_valid(v),"))
        #expect(text.contains(".stream_code_1(4'd3),"))
        #expect(text.contains(".cfg_lane_enable(1'b1),"))
        #expect(text.contains("assign r = child_stream_ready & child_ready;"))
    }

    /// Errors about a grouped port point at its declaration in the group's spec.
    @Test func undrivenGroupedOutputPointsAtTheGroupSpec() {
        let c = PortedCircuit("Lazy", ports: { TopPorts() }) { _, io in
            io.beat.ready.assign(io.first)
            io.sum.assign(io.beat.code[0])
        }
        let found = diagnostics(c)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.location == SourceLocation(fileID: file, line: StreamPorts.readyLine))
        #expect(found.first?.message.contains("'stream_ready'") == true)
    }

    /// Two unprefixed groups with the same port names collide, reported at the second
    /// declaration with the first one's place.
    @Test func collidingFlattenedNamesAreReported() {
        struct Twice: PortSpec {
            let a = PortGroup(LanePorts(), prefix: "")
            let b = PortGroup(LanePorts(), prefix: "")
        }
        let c = PortedCircuit("Twice", ports: { Twice() }) { _, _ in }
        let found = diagnostics(c)
        #expect(found.contains { $0.message.contains("'enable' is declared twice") })
    }

    /// A flipped group reverses every direction.
    @Test func flippedGroupReversesDirections() throws {
        struct Sink: PortSpec {
            let stream = PortGroup(StreamPorts(), prefix: "", flipped: true)
        }
        let c = PortedCircuit("Sink", ports: { Sink() }) { _, io in
            io.stream.valid.assign(io.stream.ready)
            io.stream.code.assign(Vec(count: 2) { _ in Value.uint(0, width: 4) })
        }
        let design = try elaborate(c)
        let directions = design.top.ports.map { signal -> String in
            if case .port(let d) = signal.kind { return "\(signal.name):\(d.rawValue)" }
            return signal.name
        }
        #expect(directions == ["valid:output", "ready:input", "code_0:output", "code_1:output"])
    }
}
