import AntgenDSL
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// Simulates every arithmetic operator's emitted Verilog with Verilator on random
/// inputs and compares with Swift integer arithmetic: the back end must keep the
/// DSL's exact semantics whatever Verilog's own sizing rules would do.
@Suite struct OperatorSemanticsTests {
    static func operators() -> TestCircuit {
        TestCircuit("Operators") { m in
            let a = m.input("a", .uint(6)), b = m.input("b", .uint(4))
            let s = m.input("s", .sint(5)), t = m.input("t", .sint(3))
            let sel = m.input("sel", .uint(2))
            m.output("add", .uint(7)).assign(a + b)
            m.output("wrap", .uint(6)).assign(a &+ b)
            m.output("diff", .sint(7)).assign(a - b)
            m.output("sprod", .sint(8)).assign(s * t)
            m.output("uprod", .uint(10)).assign(a * b)
            m.output("neg", .sint(6)).assign(-s)
            m.output("cmp", .uint(6)).assign(cat(a < b.extended(to: 6), s <= t, s > t, s >= -3, a == 17, s != t))
            m.output("dshl", .uint(9)).assign(a << sel)
            m.output("dshr", .sint(5)).assign(s >> sel)
            m.output("lshr", .uint(6)).assign(a >> sel)
            m.output("shr", .sint(3)).assign(s >> 2)
            m.output("lz", .uint(3)).assign(leadingZeros(a))
            m.output("mag", .uint(5)).assign(s.magnitude())
            m.output("first", .uint(3)).assign(priorityEncoder(a).index)
            m.output("pick", .uint(6)).assign(select(sel, from: [a, b.extended(to: 6), (a &+ 1), s.asUInt.extended(to: 6)]))
        }
    }

    /// Two's-complement bit pattern of `v` in `w` bits.
    static func bits(_ v: Int, _ w: Int) -> Int { v & ((1 << w) - 1) }

    /// The expected output line, from Swift integers.
    static func expected(a: Int, b: Int, s: Int, t: Int, sel: Int) -> [Int] {
        let lz = (0..<6).reversed().prefix { (a >> $0) & 1 == 0 }.count
        let firstSet = (0..<6).first { (a >> $0) & 1 == 1 } ?? 5
        let cmp = [a < b, s <= t, s > t, s >= -3, a == 17, s != t].reduce(0) { $0 << 1 | ($1 ? 1 : 0) }
        let pick = [a, b, (a + 1) & 63, bits(s, 5)][sel]
        return [a + b, (a + b) & 63, bits(a - b, 7), bits(s * t, 8), a * b, bits(-s, 6), cmp,
                a << sel, bits(s >> sel, 5), a >> sel, bits(s >> 2, 3), lz, abs(s), firstSet, pick]
    }

    @Test func verilatedOperatorsMatchSwiftArithmetic() throws {
        let dir = try temporaryDirectory("operators")
        defer { try? FileManager.default.removeItem(at: dir) }
        try VerilogBackend().write(try elaborate(Self.operators()), to: dir)
        let testbench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/operators/operators_tb.cpp").path
        let build = try ExternalTool.verilator.run(
            ["--cc", "--exe", "--build", "-j", "2", "--top-module", "Operators", "-Mdir", "obj_dir",
             "-o", "operators_sim", "Operators.v", testbench, "-CFLAGS", "-O0",
             "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"], in: dir)
        try #require(build.status == 0, "verilator build failed:\n\(build.output)")

        // Every (a, s, sel) combination with a few b and t values: 64·32·4·4·3 = 98,304 vectors.
        var vectors: [[Int]] = []
        for a in 0..<64 { for s in -16..<16 { for sel in 0..<4 { for b in [0, 5, 9, 15] { for t in [-4, 0, 3] {
            vectors.append([a, b, s, t, sel])
        } } } } }
        let input = vectors.map { $0.map(String.init).joined(separator: " ") }.joined(separator: "\n") + "\n"
        let inputFile = dir.appendingPathComponent("vectors.txt")
        try input.write(to: inputFile, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = dir.appendingPathComponent("obj_dir/operators_sim")
        process.standardInput = try FileHandle(forReadingFrom: inputFile)
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = output.split(separator: "\n")
        try #require(lines.count == vectors.count)
        var mismatches = 0
        for (v, line) in zip(vectors, lines) {
            let got = line.split(separator: " ").compactMap { Int($0) }
            let want = Self.expected(a: v[0], b: v[1], s: v[2], t: v[3], sel: v[4])
            if got != want {
                mismatches += 1
                if mismatches <= 5 { Issue.record("inputs \(v): got \(got), expected \(want)") }
            }
        }
        #expect(mismatches == 0)
    }
}
