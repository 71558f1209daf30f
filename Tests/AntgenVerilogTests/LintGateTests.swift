import AntgenDSL
import AntgenExamples
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// A module that uses every operator and statement form, so the lint gates see
/// everything the back end can write.
func kitchenSink() -> TestCircuit { TestCircuit("KitchenSink") { m in
    let a = m.input("a", .uint(6))
    let b = m.input("b", .uint(4))
    let s = m.input("s", .sint(5))
    let t = m.input("t", .sint(3))
    let sel = m.input("sel", .uint(2))
    let go = m.input("go", .bool)
    let xs = m.inputVec("x", count: 3, .uint(4))

    let sum = m.wire("sum", equals: a + b)
    m.output("wrap", .uint(6)).assign(a &+ b)
    m.output("diff", .sint(7)).assign(a - b)
    m.output("wrapdiff", .uint(6)).assign(a &- b)
    m.output("prod", .sint(8)).assign(s * t)
    m.output("uprod", .uint(10)).assign(a * b)
    m.output("neg", .sint(6)).assign(-s)
    m.output("bits", .uint(6)).assign((a & b) | (a ^ ~b.extended(to: 6)))
    m.output("cmp", .uint(6)).assign(cat(a < b, a <= b, s > t, s >= t, a == b, s != t))
    m.output("red", .uint(3)).assign(cat(a.orReduce(), b.andReduce(), s.xorReduce()))
    m.output("shl", .uint(9)).assign(a << 3)
    m.output("shr", .sint(3)).assign(s >> 2)
    m.output("dshl", .uint(9)).assign(a << sel)
    m.output("dshr", .sint(5)).assign(s >> sel)
    m.output("lshr", .uint(6)).assign(a >> sel)
    m.output("slice", .uint(3)).assign(sum[2...4])
    m.output("pick", .uint(4)).assign(xs[sel])
    m.output("lz", .uint(3)).assign(leadingZeros(a))
    m.output("lo", .uint(3)).assign(leadingOnes(b.extended(to: 5)))
    m.output("mag", .uint(5)).assign(s.magnitude())
    let pe = priorityEncoder(a)
    m.output("first", .uint(3)).assign(pe.index)
    m.output("any", .bool).assign(pe.valid)

    let conditional = m.output("conditional", .uint(4))
    conditional.assign(b)
    m.when(go) { conditional.assign(xs[0]) }.elseWhen(sel == 2) { conditional.assign(xs[1]) }
    let decoded = m.output("decoded", .uint(3))
    m.switchOn(sel) { c in
        c.is(0) { decoded.assign(1) }
        c.is(1, 2) { decoded.assign(2) }
        c.otherwise { decoded.assign(4) }
    }
    let full = m.output("full", .uint(2))
    m.switchOn(sel) { c in
        c.is(0) { full.assign(3) }
        c.is(1) { full.assign(2) }
        c.is(2) { full.assign(1) }
        c.is(3) { full.assign(0) }
    }
    let acc = m.register("acc", .sint(8), reset: -3, enable: go)
    m.when(sel == 0) { acc.assign(acc &+ s.extended(to: 8)) }.otherwise { acc.assign(0) }
    let pipe = m.register("pipe", next: sum)
    m.output("acc_out", .sint(8)).assign(acc)
    m.output("pipe_out", .uint(7)).assign(pipe)
    let counter = m.instance(Counter(width: 3), name: "counter")
    counter.enable.assign(go)
    m.output("count", .uint(3)).assign(counter.count)
} }

@Suite struct LintGateTests {
    /// The examples, the kitchen sink and corner-case parameterisations.
    static func circuits() -> [any Circuit] {
        Examples.all + [kitchenSink(), AdderTree(inputs: 13, width: 5), LeadingOneDetector(width: 1),
                        ShiftRegister(width: 1, depth: 1)]
    }

    @Test(arguments: 0..<8)
    func everyGateIsClean(index: Int) throws {
        let all = Self.circuits()
        try #require(all.count == 8)
        let circuit = all[index]
        let findings = try lintFindings(circuit)
        for finding in findings {
            #expect(finding.clean, "\(circuit.moduleName): \(finding)")
        }
        #expect(findings.count == 3)
    }

    @Test func lintCatchesABrokenFile() throws {
        // The gates must be able to fail: a file with an undriven output and a width warning.
        let dir = try temporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = """
        `default_nettype none
        module Broken (input wire [3:0] a, output wire [1:0] y, output wire z);
          assign y = a;
        endmodule
        """
        _ = try writeAtomically([("Broken.v", text), ("Broken.f", "Broken.v\n")], to: dir)
        let findings = try VerilogLinter().lint(directory: dir, top: "Broken")
        #expect(findings.first { $0.gate == .verilator }?.clean == false)
    }
}
