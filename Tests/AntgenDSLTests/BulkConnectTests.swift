import AntgenDSL
import AntgenVerilog
import Testing

/// A valid/ready stream carrying a tagged payload.
private struct Link: PortSpec {
    let valid = Port.input(.bool)
    let ready = Port.output(.bool)
    let data: PortVec<HardwareType>
    let tag = Port.input(Tag())
    init(width: Int) { data = .input(count: 2, .uint(width)) }
}

private struct Tag: BundleSpec {
    let last = Field(.bool)
    let lane = Field(.uint(2))
}

/// One stream in, the same stream out.
private struct StagePorts: PortSpec {
    let upstream: PortGroup<Link>
    let downstream: PortGroup<Link>
    init(width: Int) {
        upstream = PortGroup(Link(width: width))
        downstream = PortGroup(Link(width: width), flipped: true)
    }
}

/// A pass-through stage: registers nothing, wires the stream through.
private func stage(width: Int = 4) -> PortedCircuit<StagePorts> {
    PortedCircuit("Stage\(width)", ports: { StagePorts(width: width) }) { _, io in
        io.downstream.valid.assign(io.upstream.valid)
        io.upstream.ready.assign(io.downstream.ready)
        io.downstream.data.assign(io.upstream.data)
        io.downstream.tag.assign(io.upstream.tag)
    }
}

private func verilog(_ circuit: some Circuit) throws -> String {
    let design = try elaborate(circuit)
    return try #require(VerilogBackend().files(for: design).first { $0.name == design.top.name + ".v" }).contents
}

@Suite struct BulkConnectTests {
    private let file = "AntgenDSLTests/BulkConnectTests.swift"

    /// Two stages in a chain, by bulk connect and by hand: the same Verilog, and the
    /// drivers go the documented way (parent inputs → instance inputs, instance outputs →
    /// parent outputs, one instance's outputs → the other's inputs).
    @Test func chainMatchesHandWiring() throws {
        let bulk = PortedCircuit("Chain", ports: { StagePorts(width: 4) }) { m, io in
            let s0 = m.instance(stage(), name: "s0"), s1 = m.instance(stage(), name: "s1")
            m.connect(io.upstream, s0.upstream)
            m.connect(s0.downstream, s1.upstream)
            m.connect(s1.downstream, io.downstream)
        }
        let byHand = PortedCircuit("Chain", ports: { StagePorts(width: 4) }) { m, io in
            let s0 = m.instance(stage(), name: "s0"), s1 = m.instance(stage(), name: "s1")
            s0.upstream.valid.assign(io.upstream.valid)
            io.upstream.ready.assign(s0.upstream.ready)
            s0.upstream.data.assign(io.upstream.data)
            s0.upstream.tag.assign(io.upstream.tag)
            s1.upstream.valid.assign(s0.downstream.valid)
            s0.downstream.ready.assign(s1.upstream.ready)
            s1.upstream.data.assign(s0.downstream.data)
            s1.upstream.tag.assign(s0.downstream.tag)
            io.downstream.valid.assign(s1.downstream.valid)
            s1.downstream.ready.assign(io.downstream.ready)
            io.downstream.data.assign(s1.downstream.data)
            io.downstream.tag.assign(s1.downstream.tag)
        }
        let text = try verilog(bulk)
        #expect(text == (try verilog(byHand)))
        // Instance inputs driven by a plain signal are written inside the instance.
        for line in ["assign upstream_ready = s0_upstream_ready;", "assign downstream_tag = s1_downstream_tag;",
                     "  Stage4 s0 (\n    .upstream_valid(upstream_valid),",
                     ".upstream_data_1(s0_downstream_data_1),", ".downstream_ready(s1_upstream_ready),",
                     ".downstream_ready(downstream_ready),"] {
            #expect(text.contains(line), "\(line)")
        }
    }

    /// A bundle whose fields were already split into wires (here by reading one) is
    /// driven field by field, not twice.
    @Test func splitBundleIsDrivenFieldByField() throws {
        let c = PortedCircuit("Chain", ports: { StagePorts(width: 4) }) { m, io in
            let s0 = m.instance(stage(), name: "s0")
            m.output("peek", .bool).assign(s0.upstream.tag.last)
            m.connect(io.upstream, s0.upstream)
            m.connect(s0.downstream, io.downstream)
        }
        let text = try verilog(c)
        #expect(text.contains("assign s0_upstream_tag_last = upstream_tag[2];"))
    }

    /// Differing widths: one error at the connect line naming both ports and types.
    @Test func widthMismatchIsReportedAtTheConnectLine() {
        var line = 0
        let c = TestCircuit("Bad") { m in
            let s0 = m.instance(stage(width: 4), name: "s0"), s1 = m.instance(stage(width: 5), name: "s1")
            m.connect(s0.downstream, s1.upstream); line = #line
        }
        let found = diagnostics(c).filter { $0.message.hasPrefix("connect") }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.location == SourceLocation(fileID: file, line: line))
        let message = found.first?.message ?? ""
        for fragment in ["'data'", "output 'downstream_data' (2 × UInt<4>) of instance 's0'",
                         "input 'upstream_data' (2 × UInt<5>) of instance 's1'", "differ in type"] {
            #expect(message.contains(fragment), "'\(fragment)' missing from: \(message)")
        }
    }

    /// Same-direction ports of two instances: each pair is an error at the connect line.
    @Test func directionMismatchIsReportedPerPort() {
        var line = 0
        let c = TestCircuit("Bad") { m in
            let s0 = m.instance(stage(), name: "s0"), s1 = m.instance(stage(), name: "s1")
            m.connect(s0.upstream, s1.upstream); line = #line
        }
        let found = diagnostics(c).filter { $0.message.hasPrefix("connect") }
        #expect(found.count == 4, "\(found)")
        #expect(found.allSatisfy { $0.location == SourceLocation(fileID: file, line: line) })
        #expect(found.contains {
            $0.message == "connect: 'ready': output 'upstream_ready' (Bool) of instance 's0' and output 'upstream_ready' (Bool) of instance 's1' would both drive the connection (flip one group)"
        })
        #expect(found.contains { $0.message.hasPrefix("connect: 'valid'") && $0.message.contains("both need a driver") })
    }

    /// A parent's output group with an instance's input group: both need a driver.
    @Test func parentOutputWithInstanceInputIsAnError() {
        var line = 0
        let c = PortedCircuit("Bad", ports: { StagePorts(width: 4) }) { m, io in
            let s0 = m.instance(stage(), name: "s0")
            m.connect(io.downstream, s0.upstream); line = #line
        }
        let found = diagnostics(c).filter { $0.message.hasPrefix("connect") }
        #expect(found.count == 4)
        #expect(found.contains {
            $0.location.line == line && $0.message.contains("output 'downstream_valid' (Bool) of this module and input 'upstream_valid' (Bool) of instance 's0' both need a driver")
        })
    }

    /// Interfaces with different members: one error listing what each side lacks.
    @Test func differentMembersAreListed() {
        struct Narrow: PortSpec { let valid = Port.output(.bool) }
        var line = 0
        let c = PortedCircuit("Bad", ports: { Narrow() }) { m, io in
            let s0 = m.instance(stage(), name: "s0")
            m.connect(io, s0.downstream); line = #line
        }
        let found = diagnostics(c).filter { $0.message.contains("different ports") }
        #expect(found.count == 1)
        #expect(found.first?.location.line == line)
        #expect(found.first?.message.contains("'ready' only on the second side (input 'downstream_ready' (Bool) of instance 's0')") == true)
    }
}
