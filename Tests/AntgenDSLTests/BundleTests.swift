import AntgenDSL
import AntgenVerilog
import Testing

/// A decoded operand, as the hardware uses it.
private struct Operand: BundleSpec {
    let sign = Field(.bool)
    let mantissa: Field
    let shift: Field
    init(mantissa: Int = 4, shift: Int = 3) {
        self.mantissa = Field(.uint(mantissa))
        self.shift = Field(.uint(shift))
    }
}

/// A bundle with a nested bundle, a signed field and a vector field.
private struct Beat: BundleSpec {
    let valid = Field(.bool)
    let operand = Operand()
    let offset = Field(.sint(5))
    let lanes = FieldVec(count: 3, HardwareType.uint(2))
}

/// An interface with a bundle input, a bundle output, an optional port and a bundle vector.
private struct StagePorts: PortSpec {
    let beatIn = Port.input(Beat())
    let enable: Port<HardwareType>?
    let beatOut = Port.output(Beat())
    let taps: PortVec<Operand>
    init(enable: Bool) {
        self.enable = enable ? .input(.bool) : nil
        taps = .output(count: 2, Operand())
    }
}

private func stage(enable: Bool) -> PortedCircuit<StagePorts> {
    PortedCircuit("Stage", ports: { StagePorts(enable: enable) }) { m, io in
        let held = m.register("held", io.beatIn.spec, reset: 0, enable: io.enable)
        held.assign(io.beatIn)
        io.beatOut.assign(held)
        for (i, tap) in io.taps.enumerated() {
            // Field by field, one field conditionally.
            tap.sign.assign(held.operand.sign)
            tap.mantissa.assign(held.operand.mantissa)
            tap.shift.assign(0)
            m.when(held.lanes[i] == 3) { tap.shift.assign(held.operand.shift) }
        }
    }
}

private func verilog(_ circuit: some Circuit, module: String? = nil) throws -> String {
    let design = try elaborate(circuit)
    let files = VerilogBackend().files(for: design)
    let name = (module ?? design.top.name) + ".v"
    return try #require(files.first { $0.name == name }).contents
}

@Suite struct BundleTests {
    /// First declared field in the most significant bits, recursively; vector element 0 first.
    @Test func packingOrderIsFirstFieldMostSignificant() throws {
        let layout = BundleLayout.of(Beat())
        // The exact positions: 1 + 8 + 5 + 6 = 20 bits.
        #expect(Bundle(Beat(), packed: .uint(0, width: 20)).width == 20)
        #expect(layout.fieldComment == "{valid [19], operand_sign [18], operand_mantissa [17:14], operand_shift [13:11], offset [10:6], lanes_0 [5:4], lanes_1 [3:2], lanes_2 [1:0]}")
    }

    /// Reading fields of a packed input is slicing with the documented positions;
    /// building a bundle concatenates in declaration order.
    @Test func fieldsReadAsSlicesAndPackAsConcatenation() throws {
        let c = PortedCircuit("Swap", ports: { StagePorts(enable: false) }) { _, io in
            let b = io.beatIn
            io.beatOut.assign(Bundle(Beat()) {
                $0.valid = b.operand.sign
                $0.operand = Bundle(Operand()) { $0.sign = b.valid; $0.mantissa = b.operand.mantissa; $0.shift = b.operand.shift }
                $0.offset = b.offset
                $0.lanes = Vec([b.lanes[2], b.lanes[1], b.lanes[0]])
            })
            for tap in io.taps { tap.assign(b.operand) }
        }
        let text = try verilog(c)
        #expect(text.contains("beat_in[18]"))           // operand.sign
        #expect(text.contains("beat_in[17:14]"))        // operand.mantissa
        #expect(text.contains("beat_in[10:6]"))         // offset
        #expect(text.contains("// beat_in = {valid [19], operand_sign [18]"))
        #expect(try lintFindingsOf(c).allSatisfy(\.clean))
    }

    /// Registers are one per field; outputs driven field by field get field wires;
    /// optional ports appear only when present. The result is lint-clean.
    @Test func registersFieldWiresAndOptionalPorts() throws {
        let with = try verilog(stage(enable: true))
        #expect(with.contains("reg held_valid;"))
        #expect(with.contains("reg [3:0] held_operand_mantissa;"))
        #expect(with.contains("reg signed [4:0] held_offset;") || with.contains("reg [4:0] held_offset;"))
        #expect(with.contains("wire taps_0_shift") || with.contains("reg [2:0] taps_0_shift"))
        #expect(with.contains("input  wire enable"))
        let without = try verilog(stage(enable: false))
        #expect(!without.contains("enable"))
        #expect(try lintFindingsOf(stage(enable: true)).allSatisfy(\.clean))
        #expect(try lintFindingsOf(stage(enable: false)).allSatisfy(\.clean))
    }

    /// A field value wider than the field, or of the other signedness, is an error at the
    /// line that uses the bundle.
    @Test func fieldWidthAndSignednessAreChecked() {
        let wide = LineMark(), signed = LineMark()
        let c = PortedCircuit("Wide", ports: { StagePorts(enable: false) }) { _, io in
            let tooWide = Bundle(Operand()) { $0.sign = .bool(true); $0.mantissa = .uint(0, width: 5); $0.shift = .uint(1) }
            let otherSign = Bundle(Operand()) { $0.sign = .bool(true); $0.mantissa = .uint(1); $0.shift = .sint(-1) }
            io.taps[0].assign(tooWide); wide.line = #line
            io.taps[1].assign(otherSign); signed.line = #line
            io.beatOut.assign(io.beatIn)
        }
        let found = diagnostics(c)
        #expect(found.contains { $0.location.line == wide.line && $0.message.contains("field 'mantissa' of bundle Operand is UInt<4> but the value is UInt<5>") })
        #expect(found.contains { $0.location.line == signed.line && $0.message.contains("field 'shift' of bundle Operand is UInt<3> but the value is SInt<1>: signedness differs") })
    }

    /// Assigning a bundle of another layout is an error naming both layouts.
    @Test func layoutMismatchIsReported() {
        let mark = LineMark()
        let c = PortedCircuit("Mismatch", ports: { StagePorts(enable: false) }) { _, io in
            io.taps[0].assign(Bundle(Operand(mantissa: 5)) { $0.sign = .bool(false); $0.mantissa = .uint(1); $0.shift = .uint(1) }); mark.line = #line
            io.taps[1].assign(io.beatIn.operand)
            io.beatOut.assign(io.beatIn)
        }
        let found = diagnostics(c)
        #expect(found.contains { $0.location.line == mark.line && $0.message.contains("bundle layouts differ") && $0.message.contains("mantissa: UInt<5>") })
    }

    /// A field left unset, and an output field never driven, are reported.
    @Test func unsetAndUndrivenFieldsAreReported() {
        let c = PortedCircuit("Unset", ports: { StagePorts(enable: false) }) { _, io in
            io.taps[0].assign(Bundle(Operand()) { $0.sign = .bool(false); $0.mantissa = .uint(1) })
            io.taps[1].sign.assign(Value.bool(true))
            io.taps[1].mantissa.assign(0)
            io.beatOut.assign(io.beatIn)
        }
        let found = diagnostics(c)
        #expect(found.contains { $0.message.contains("field 'shift' of bundle Operand is not set") })
        #expect(found.contains { $0.message.contains("undriven") && $0.message.contains("taps_1_shift") })
    }

    /// Instance handles: ports are typed properties, a too-wide connection and driving
    /// an instance output are errors at the Swift line.
    @Test func instanceHandlesCheckWidthAndDirection() throws {
        let child = stage(enable: true)
        let wide = LineMark(), backwards = LineMark()
        let top = PortedCircuit("Top", ports: { StagePorts(enable: true) }) { m, io in
            let u = m.instance(child, name: "u")
            u.beatIn.assign(io.beatIn)
            u.enable?.assign(io.enable!.extended(to: 2)); wide.line = #line
            io.beatOut.assign(u.beatOut)
            for (i, tap) in io.taps.enumerated() { tap.assign(u.taps[i]) }
            u.taps[0].assign(io.beatIn.operand); backwards.line = #line
        }
        let found = diagnostics(top)
        #expect(found.contains { $0.location.line == wide.line && $0.message.contains("narrower") })
        #expect(found.contains { $0.location.line == backwards.line && $0.message.contains("cannot drive output 'taps_0' of instance 'u'") })
    }

    /// The same spec value's layout is shared by every instance, so a large mesh pays
    /// the reflection once; a clean hierarchy elaborates and lints.
    @Test func hierarchyOfBundledInstancesIsClean() throws {
        let child = stage(enable: false)
        let top = PortedCircuit("Chain", ports: { StagePorts(enable: false) }) { m, io in
            let first = m.instance(child, name: "s0")
            let second = m.instance(child, name: "s1")
            first.beatIn.assign(io.beatIn)
            second.beatIn.assign(first.beatOut)
            io.beatOut.assign(second.beatOut)
            for (i, tap) in io.taps.enumerated() { tap.assign(i == 0 ? first.taps[0] : second.taps[1]) }
        }
        #expect(try lintFindingsOf(top).allSatisfy(\.clean))
    }
}

