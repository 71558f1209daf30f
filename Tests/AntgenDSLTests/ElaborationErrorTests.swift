import AntgenDSL
import Testing

/// Every elaboration check: the message names the signals and widths, and the
/// location is the test's own source line.
@Suite struct ElaborationErrorTests {
    private let file = "AntgenDSLTests/ElaborationErrorTests.swift"

    @Test func wideValueIntoNarrowSignalIsAnError() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(8)), b = m.input("b", .uint(8))
            let out = m.output("out", .uint(8))
            out.assign(a + b); mark.line = #line
        }
        expectSingle(c, mark, ["width mismatch", "UInt<9>", "'out'", "UInt<8>", ".truncated(to: 8)"])
    }

    @Test func explicitTruncationIsAccepted() {
        let c = TestCircuit { m in
            let a = m.input("a", .uint(8)), b = m.input("b", .uint(8))
            m.output("out", .uint(8)).assign((a + b).truncated(to: 8))
        }
        #expect(diagnostics(c).isEmpty)
    }

    @Test func signednessMismatch() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .sint(4))
            let out = m.output("out", .uint(8))
            out.assign(a); mark.line = #line
        }
        expectSingle(c, mark, ["signedness differs", "'a'", "SInt<4>", "'out'", "UInt<8>"])
    }

    @Test func mixedSignednessOperatorReportedAtTheStatement() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4)), s = m.input("s", .sint(4))
            let out = m.output("out", .sint(6))
            out.assign(a + s); mark.line = #line
        }
        expectSingle(c, mark, ["'+' mixes UInt<4> and SInt<4>", "'out'"])
    }

    @Test func undrivenOutputReportedAtItsDeclaration() {
        let mark = LineMark()
        let c = TestCircuit { m in
            _ = m.input("a", .uint(4))
            m.output("result", .uint(4)); mark.line = #line
        }
        expectSingle(c, mark, ["undriven", "output 'result' (UInt<4>)"])
    }

    @Test func undrivenWire() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let w = m.wire("partial", .uint(3)); mark.line = #line
            m.output("o", .uint(3)).assign(w)
        }
        expectSingle(c, mark, ["undriven", "wire 'partial' (UInt<3>)"])
    }

    @Test func multipleDrivers() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4)), b = m.input("b", .uint(4))
            let out = m.output("out", .uint(4))
            out.assign(a)
            out.assign(b); mark.line = #line
        }
        let found = diagnostics(c)
        #expect(found.count == 1)
        #expect(found.first?.location.line == mark.line)
        #expect(found.first?.message.contains("multiple drivers: output 'out' (UInt<4>) is already driven at \(file):\(mark.line - 1)") == true)
    }

    @Test func lastConnectInsideWhenOverridesADefault() {
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4)), sel = m.input("sel", .bool)
            let out = m.output("out", .uint(4))
            out.assign(0)
            m.when(sel) { out.assign(a) }
        }
        #expect(diagnostics(c).isEmpty)
    }

    @Test func latchFromIncompleteAssignment() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4)), sel = m.input("sel", .bool)
            let out = m.output("out", .uint(4))
            m.when(sel) { out.assign(a); mark.line = #line }
        }
        expectSingle(c, mark, ["latch", "output 'out' (UInt<4>)", "default"])
    }

    @Test func completeWhenOtherwiseAndCompleteSwitchNeedNoDefault() {
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4)), sel = m.input("sel", .uint(2))
            let x = m.output("x", .uint(4)), y = m.output("y", .uint(4))
            m.when(sel == 0) { x.assign(a) }.elseWhen(sel == 1) { x.assign(1) }.otherwise { x.assign(2) }
            m.switchOn(sel) { s in
                s.is(0) { y.assign(a) }
                s.is(1, 2) { y.assign(3) }
                s.is(3) { y.assign(4) }
            }
        }
        #expect(diagnostics(c).isEmpty)
    }

    @Test func combinationalLoop() {
        let mark = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4))
            let p = m.wire("p", .uint(4)), q = m.wire("q", .uint(4))
            p.assign(q ^ a); mark.line = #line
            q.assign(p)
            m.output("o", .uint(4)).assign(q)
        }
        expectSingle(c, mark, ["combinational loop", "p -> q -> p"])
    }

    @Test func registerBreaksALoop() {
        let c = TestCircuit { m in
            let r = m.register("r", .uint(4), reset: 0)
            r.assign(r &+ 1)
            m.output("o", .uint(4)).assign(r)
        }
        #expect(diagnostics(c).isEmpty)
    }

    @Test func loopThroughACombinationalSubmodule() {
        let passThrough = PortedCircuit("Pass", ports: { PassPorts(width: 4) }) { _, io in
            io.y.assign(io.x)
        }
        let registered = PortedCircuit("Reg", ports: { PassPorts(width: 4) }) { m, io in
            io.y.assign(m.register("r", next: io.x, reset: 0))
        }
        let mark = LineMark()
        let loop = TestCircuit("Top") { m in
            let inst = m.instance(passThrough, name: "u"); mark.line = #line
            inst.x.assign(inst.y)
            m.output("o", .uint(4)).assign(inst.y)
        }
        let found = diagnostics(loop)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("combinational loop") == true)
        #expect(found.first?.message.contains("u_x") == true)
        let fine = TestCircuit("Top2") { m in
            let inst = m.instance(registered, name: "u")
            inst.x.assign(inst.y)
            m.output("o", .uint(4)).assign(inst.y)
        }
        #expect(diagnostics(fine).isEmpty)
    }

    @Test func readingASignalOfAnotherModule() {
        final class Smuggle { var value: Value? }
        let smuggle = Smuggle()
        let inner = PortedCircuit("Inner", ports: { PassPorts(width: 4) }) { _, io in
            smuggle.value = io.x
            io.y.assign(io.x)
        }
        let mark = LineMark()
        let outer = TestCircuit("Outer") { m in
            let u = m.instance(inner, name: "u")
            u.x.assign(m.input("a", .uint(4)))
            let o = m.output("o", .uint(4))
            o.assign(smuggle.value!); mark.line = #line
        }
        let found = diagnostics(outer)
        #expect(found.count == 1)
        let read = found.first { $0.message.contains("reads") }
        #expect(read?.location.line == mark.line)
        #expect(read?.message.contains("input 'x' (UInt<4>) of module 'Inner'") == true)
    }

    @Test func drivingAnInputOrAnInstanceOutput() {
        let child = PortedCircuit("Child", ports: { PassPorts(width: 2) }) { _, io in
            io.y.assign(io.x)
        }
        let first = LineMark(), second = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(2))
            a.assign(0); first.line = #line
            let u = m.instance(child, name: "u")
            u.x.assign(a)
            u.y.assign(a); second.line = #line
            m.output("o", .uint(2)).assign(u.y)
        }
        let found = diagnostics(c)
        #expect(found.count == 2)
        #expect(found.contains { $0.location.line == first.line && $0.message.contains("cannot drive input port 'a'") })
        #expect(found.contains { $0.location.line == second.line && $0.message.contains("output 'y' of instance 'u'") })
    }

    @Test func badWhenConditionAndSwitchCases() {
        let when = LineMark(), dup = LineMark(), range = LineMark()
        let c = TestCircuit { m in
            let sel = m.input("sel", .uint(2))
            let o = m.output("o", .uint(2))
            o.assign(0)
            m.when(sel) { o.assign(1) }; when.line = #line
            m.switchOn(sel) { s in
                s.is(0) { o.assign(2) }
                s.is(0) { o.assign(3) }; dup.line = #line
                s.is(4) { o.assign(3) }; range.line = #line
            }
        }
        let found = diagnostics(c)
        #expect(found.count == 3)
        #expect(found.contains { $0.location.line == when.line && $0.message.contains("must be Bool, got UInt<2>") })
        #expect(found.contains { $0.location.line == dup.line && $0.message.contains("case 0 appears twice") })
        #expect(found.contains { $0.location.line == range.line && $0.message.contains("case 4 does not fit") })
    }

    @Test func duplicateNamesReservedNamesAndRegisterWithoutDriver() {
        let twice = LineMark(), reserved = LineMark(), register = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(1))
            let a2 = m.input("a", .uint(1)); twice.line = #line
            let clk = m.input("clock", .bool); reserved.line = #line
            let r = m.register("r", .uint(3)); register.line = #line
            m.output("o", .uint(1)).assign(a ^ a2 ^ clk ^ r[0])
        }
        let found = diagnostics(c)
        #expect(found.count == 3)
        #expect(found.contains { $0.location.line == twice.line && $0.message.contains("'a' is declared twice") })
        #expect(found.contains { $0.location.line == reserved.line && $0.message.contains("reserved") })
        #expect(found.contains { $0.location.line == register.line && $0.message.contains("never assigned and has no reset") })
    }

    @Test func invalidSlicesAndTruncations() {
        let slice = LineMark(), widen = LineMark()
        let c = TestCircuit { m in
            let a = m.input("a", .uint(4))
            m.output("x", .bool).assign(a[4]); slice.line = #line
            m.output("y", .uint(8)).assign(a.truncated(to: 6)); widen.line = #line
        }
        let found = diagnostics(c)
        #expect(found.count == 2)
        #expect(found.contains { $0.location.line == slice.line && $0.message.contains("bit index 4 is outside UInt<4>") })
        #expect(found.contains { $0.location.line == widen.line && $0.message.contains("cannot truncate UInt<4> to 6 bits") })
    }

    @Test func errorDescriptionIsCompilerStyle() {
        let mark = LineMark()
        let c = TestCircuit("Widths") { m in
            m.output("o", .uint(2)).assign(m.input("i", .uint(3))); mark.line = #line
        }
        let text = diagnostics(c).first?.description ?? ""
        #expect(text.hasPrefix("\(file):\(mark.line): error: in module Widths: width mismatch"))
    }
}
