import AntgenDSL
import Testing

/// A handshake group, nested prefixed and unprefixed.
private struct HandshakePorts: PortSpec {
    let valid = Port.input(.bool)
    let ready = Port.output(.bool)
}

private struct LanePorts: PortSpec {
    let code: PortVec<HardwareType>
    let flag: Port<HardwareType>?
    init(lanes: Int, flag: Bool) {
        code = .input(count: lanes, .uint(3))
        self.flag = flag ? .input(.bool) : nil
    }
}

private struct ReflectedPorts: PortSpec {
    let beat = PortGroup(HandshakePorts(), prefix: "in_")
    let back = PortGroup(HandshakePorts(), flipped: true)
    let lanes: PortGroup<LanePorts>
    let spare: PortGroup<LanePorts>?
    let renamed = Port.input(.uint(5), name: "mode_word")
    let sum: PortVec<HardwareType>
    let extra: Port<HardwareType>?
    init(lanes: Int = 3, flag: Bool = true, spare: Bool = false) {
        self.lanes = PortGroup(LanePorts(lanes: lanes, flag: flag), prefix: "")
        self.spare = spare ? PortGroup(LanePorts(lanes: 1, flag: false)) : nil
        sum = .output(count: 2, .sint(7))
        extra = nil
    }
}

private func reflected(lanes: Int = 3, flag: Bool = true, spare: Bool = false) -> PortedCircuit<ReflectedPorts> {
    PortedCircuit("Reflected", ports: { ReflectedPorts(lanes: lanes, flag: flag, spare: spare) }) { _, io in
        io.beat.ready.assign(io.beat.valid)
        io.back.valid.assign(io.back.ready)
        io.sum.assign(Vec(count: 2) { _ in Value.sint(0, width: 7) })
    }
}

@Suite struct PortReflectionTests {
    /// Key paths give the Verilog names, directions and widths the emitted module has,
    /// through prefixed, unprefixed and flipped groups, explicit names and vectors.
    @Test func keyPathsGiveTheEmittedNames() throws {
        let top = try elaborate(reflected()).top
        let ports = try #require(top.declaredPorts(ReflectedPorts.self))
        #expect(ports.beat.valid.name == "in_valid" && ports.beat.valid.direction == .input)
        #expect(ports.beat.ready.name == "in_ready" && ports.beat.ready.direction == .output)
        #expect(ports.back.valid.name == "back_valid" && ports.back.valid.direction == .output)
        #expect(ports.lanes.code.signalNames == ["code_0", "code_1", "code_2"])
        #expect(ports.lanes.code.name == "code" && ports.lanes.code.count == 3 && ports.lanes.code.width == 3)
        #expect(ports.lanes.flag?.signalNames == ["flag"])
        #expect(ports.renamed.name == "mode_word" && ports.renamed.width == 5 && ports.renamed.count == nil)
        #expect(ports.sum.signalNames == ["sum_0", "sum_1"] && ports.sum.type == .sint(7) && ports.sum.direction == .output)
        #expect(ports.extra == nil && ports.spare == nil)
    }

    /// `all` lists every port as the module's port list has it, in order.
    @Test func allMatchesTheModulePorts() throws {
        for (flag, spare) in [(true, false), (false, true)] {
            let top = try elaborate(reflected(flag: flag, spare: spare)).top
            let ports = try #require(top.declaredPorts(ReflectedPorts.self))
            #expect(ports.all.flatMap(\.signalNames) == top.ports.map(\.name))
            #expect(ports.all.flatMap { p in p.signalNames.map { _ in p.width } } == top.ports.map(\.type.width))
            #expect(ports.all.first { $0.name == "code" }?.member == "lanes.code")
        }
        let spare = try #require(try elaborate(reflected(spare: true)).top.declaredPorts(ReflectedPorts.self)?.spare)
        #expect(spare.code.signalNames == ["spare_code_0"] && spare.flag == nil)
    }

    /// `portNames(for:)` and `declaredPort(_:)` take key paths into groups too.
    @Test func portNamesThroughGroups() throws {
        let top = try elaborate(reflected(lanes: 2)).top
        #expect(top.portNames(for: \ReflectedPorts.lanes.spec.code) == ["code_0", "code_1"])
        #expect(top.portNames(for: \ReflectedPorts.beat.spec.ready) == ["in_ready"])
        #expect(top.portNames(for: \ReflectedPorts.sum) == ["sum_0", "sum_1"])
        #expect(top.declaredPort(\ReflectedPorts.back.spec.ready)?.direction == .input)
        #expect(top.declaredPort(\ReflectedPorts.lanes.spec.code)?.member == "lanes.code")
    }

    /// A module read as another spec, or one with ad-hoc ports, has no typed view.
    @Test func otherSpecsHaveNoView() throws {
        let top = try elaborate(reflected()).top
        #expect(top.declaredPorts(HandshakePorts.self) == nil)
        #expect(top.portNames(for: \HandshakePorts.valid).isEmpty)
        let adHoc = try elaborate(TestCircuit { m in m.output("y", .bool).assign(m.input("x", .bool)) }).top
        #expect(adHoc.declaredPorts(ReflectedPorts.self) == nil)
    }
}
