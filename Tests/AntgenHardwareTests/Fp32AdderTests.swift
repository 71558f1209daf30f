import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The DSL binary32 adder against Swift's IEEE `Float` addition, through Verilator:
/// every pair of a set of edge operands (zeros, subnormals, the normal boundary, ulps
/// around 1, the largest finite, ∞, NaN) and random operands biased to nearby exponents
/// (cancellation, ties) and to arbitrary bit patterns.
@Suite("FP32 adder in the DSL (spec §5.6)")
struct Fp32AdderTests {
    static func edgeOperands() -> [UInt32] {
        let magnitudes: [UInt32] = [0, 1, 2, 3, 0x007F_FFFF, 0x0080_0000, 0x0080_0001, 0x00FF_FFFF, 0x0100_0000,
                                    0x3F80_0000, 0x3F80_0001, 0x3F7F_FFFF, 0x3FC0_0000, 0x4B80_0000, 0x4B7F_FFFF,
                                    0x3400_0000, 0x3380_0000, 0x3380_0001, 0x7F7F_FFFF, 0x7F7F_FFFE, 0x7F00_0000,
                                    0x7F80_0000, 0x7FC0_0000, 0x7F80_0001]
        return magnitudes + magnitudes.map { $0 | 0x8000_0000 }
    }

    static func randomPairs(count: Int, seed: UInt64) -> [(UInt32, UInt32)] {
        var rng = SeededGenerator(seed: seed)
        var pairs: [(UInt32, UInt32)] = []
        for i in 0..<count {
            let a = UInt32(truncatingIfNeeded: rng.next())
            var b = UInt32(truncatingIfNeeded: rng.next())
            switch i % 4 {
            case 0: break   // arbitrary patterns
            case 1:   // exponent within ±3 of a's, either sign: cancellation and carries
                let delta = Int(rng.next() % 7) - 3
                let exponent = UInt32(max(0, min(254, Int((a >> 23) & 0xFF) + delta)))
                b = (b & 0x807F_FFFF) | (exponent << 23)
            case 2:   // exponent 20…30 below: ties and sticky bits
                let delta = 20 + Int(rng.next() % 11)
                let exponent = UInt32(max(0, Int((a >> 23) & 0xFF) - delta))
                b = (b & 0x807F_FFFF) | (exponent << 23)
            default:   // small exponents: subnormal results
                b = b & 0x80FF_FFFF
                pairs.append((a & 0x80FF_FFFF, b))
                continue
            }
            pairs.append((a, b))
        }
        return pairs
    }

    static func expected(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let sum = Float(bitPattern: a) + Float(bitPattern: b)
        return sum.isNaN ? 0x7FC0_0000 : sum.bitPattern
    }

    @Test("bit-exact with Float + on edge pairs and 40,000 random pairs (Verilator)")
    func againstSwiftFloat() throws {
        let directory = try temporaryDirectory("fp32add")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(Fp32Adder(), to: directory)
        let bench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/mx/fp32_adder_tb.cpp")
        let files = try String(contentsOf: directory.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let result = try ExternalTool.verilator.run(
            ["--cc", "--exe", "--build", "-j", "2", "-Wall", "--top-module", design.top.name, "--prefix", "Vdut",
             "-Mdir", "obj_dir", "-o", "sim"] + verilatorOptimization() + files + [bench.path], in: directory)
        try #require(result.status == 0, "verilator build failed:\n\(result.output.suffix(3000))")
        let edges = Self.edgeOperands()
        var pairs = edges.flatMap { a in edges.map { (a, $0) } }
        pairs += Self.randomPairs(count: 40000, seed: 5)
        let input = pairs.map { String(format: "%08x %08x", $0.0, $0.1) }.joined(separator: "\n") + "\n"
        let lines = try run(directory.appendingPathComponent("obj_dir/sim"), input: input)
        try #require(lines.count == pairs.count)
        var failures = 0
        for (pair, line) in zip(pairs, lines) {
            let got = UInt32(line, radix: 16) ?? 0xDEAD_BEEF
            let want = Self.expected(pair.0, pair.1)
            if got != want {
                failures += 1
                if failures <= 10 {
                    Issue.record("\(String(format: "%08x + %08x", pair.0, pair.1)): RTL \(String(format: "%08x", got)), Float \(String(format: "%08x", want))")
                }
            }
        }
        #expect(failures == 0)
    }
}
