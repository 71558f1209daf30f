import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The mixed-precision baseline lane (issue 27 part 4): lint, hand-worked dot products, and
/// the RTL on Verilator bit-exact against ``MixedPrecisionBaselineReference`` on random and
/// special operands.
@Suite("Mixed-precision baseline lane")
struct MixedPrecisionBaselineTests {
    /// One dot product: mode, codes.
    struct Case {
        let precision: BaselinePrecision
        let a: [Int], b: [Int]
    }

    /// Hand-worked cases with their accumulator bits, computed on paper (not by the reference).
    static let handWorked: [(Case, UInt64)] = [
        // FP16: 1.0 · 1.5 + 2.0 · (−0.25) = 1.0.
        (Case(precision: .fp16, a: [0x3C00, 0x4000], b: [0x3E00, 0xB400]), 0x3F80_0000),
        // FP16: smallest subnormal squared = 2^−48 (biased exponent 79).
        (Case(precision: .fp16, a: [0x0001], b: [0x0001]), 0x2780_0000),
        // FP16: 65504² = 2^32 − 2^22 + 2^10, exact in binary32: exponent 158, fraction 0x7FC004.
        (Case(precision: .fp16, a: [0x7BFF], b: [0x7BFF]), 0x4F7F_C004),
        // FP16: ∞ · 0 is NaN; NaN stays.
        (Case(precision: .fp16, a: [0x3C00, 0x7C00], b: [0x3C00, 0x0000]), 0x7FC0_0000),
        // FP16: −0 · 1 = −0; −0 + −0 = −0.
        (Case(precision: .fp16, a: [0x8000], b: [0x3C00]), 0x8000_0000),
        // FP16: +∞ · 1 + 1 = +∞.
        (Case(precision: .fp16, a: [0x7C00, 0x3C00], b: [0x3C00, 0x3C00]), 0x7F80_0000),
        // BF16: 1 · 3 = 3.
        (Case(precision: .bf16, a: [0x3F80], b: [0x4040]), 0x4040_0000),
        // BF16: largest finite · 2 overflows binary32: +∞.
        (Case(precision: .bf16, a: [0x7F7F], b: [0x4000]), 0x7F80_0000),
        // BF16: 2^−126 · 2^−126 = 2^−252 rounds to +0; −0 + +0 = +0.
        (Case(precision: .bf16, a: [0x0080], b: [0x0080]), 0x0000_0000),
        // BF16: −2^−252 rounds to −0; −0 + −0 = −0.
        (Case(precision: .bf16, a: [0x8080], b: [0x0080]), 0x8000_0000),
        // INT4: (−8)(−8) + 7 · (−8) = 8.
        (Case(precision: .int4, a: [-8, 7], b: [-8, -8]), 8),
        // INT8: (−128)(−128) + 127 · 127 = 32513.
        (Case(precision: .int8, a: [-128, 127], b: [-128, 127]), 32513),
        // INT8: −128 · 127 = −16256, as a 32-bit pattern.
        (Case(precision: .int8, a: [-128], b: [127]), 0xFFFF_C080),
    ]

    @Test("the reference gives the hand-worked accumulators")
    func referenceHandWorked() throws {
        for (c, want) in Self.handWorked {
            let got = try MixedPrecisionBaselineReference.accumulator(a: c.a, b: c.b, precision: c.precision, accumulatorWidth: 32)
            #expect(got == want, "\(c.precision) \(c.a) · \(c.b)")
        }
    }

    @Test("bad input is one line")
    func badInput() {
        #expect(throws: FpIntError("operand lengths differ (1 and 2)")) {
            try MixedPrecisionBaselineReference.accumulator(a: [1], b: [1, 2], precision: .int4, accumulatorWidth: 32)
        }
        #expect(throws: FpIntError("8 is not an int4 value (-8…7)")) {
            try MixedPrecisionBaselineReference.accumulator(a: [8], b: [1], precision: .int4, accumulatorWidth: 32)
        }
        #expect(throws: FpIntError("N = 0 lanes is out of range (1…256)")) { try MixedPrecisionBaselineArray(lanes: 0) }
    }

    @Test("the array lints clean on Verilator, Icarus and Yosys")
    func lintClean() throws {
        let directory = try temporaryDirectory("baseline-lint")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(try MixedPrecisionBaselineArray(lanes: 2), to: directory)
        for finding in try VerilogLinter().lint(directory: directory, top: design.top.name) {
            #expect(finding.clean, "\(finding)")
        }
    }

    /// Random dot products per precision: floats mix arbitrary codes (specials included),
    /// codes of nearby exponents (cancellation) and small exponents (subnormals).
    static func randomCases(count: Int, seed: UInt64) -> [Case] {
        var rng = SeededGenerator(seed: seed)
        var cases: [Case] = []
        for i in 0 ..< count {
            let precision = BaselinePrecision.allCases[i % 4]
            let k = 1 + Int(rng.next() % 8)
            func code() -> Int {
                let raw = Int(rng.next() & 0xFFFF)
                switch precision {
                case .int4: return raw % 16 - 8
                case .int8: return raw % 256 - 128
                case .fp16, .bf16:
                    switch (i / 4) % 3 {
                    case 0: return raw
                    case 1: return precision == .fp16 ? (raw & 0x83FF) | 0x3C00 : (raw & 0x807F) | 0x3F80  // exponent 0, either sign
                    default: return precision == .fp16 ? raw & 0x87FF : raw & 0x80FF  // subnormal or smallest binade
                    }
                }
            }
            let a = (0 ..< k).map { _ in code() }, b = (0 ..< k).map { _ in code() }
            cases.append(Case(precision: precision, a: a, b: b))
        }
        return cases
    }

    /// Every FP special against every other, one product each.
    static func specialCases() -> [Case] {
        let half = [0x0000, 0x8000, 0x0001, 0x83FF, 0x0400, 0x3C00, 0xBC00, 0x7BFF, 0x7C00, 0xFC00, 0x7E00, 0x7C01]
        let brain = [0x0000, 0x8000, 0x0001, 0x807F, 0x0080, 0x3F80, 0xBF80, 0x7F7F, 0x7F80, 0xFF80, 0x7FC0, 0x7F81]
        var cases: [Case] = []
        for (precision, codes) in [(BaselinePrecision.fp16, half), (.bf16, brain)] {
            for x in codes { for y in codes { cases.append(Case(precision: precision, a: [x, y], b: [y, codes[5]])) } }
        }
        return cases
    }

    @Test("bit-exact with the reference on Verilator: hand-worked, specials and 2,000 random dot products")
    func verilatorBitExact() throws {
        let directory = try temporaryDirectory("baseline-lane")
        defer { try? FileManager.default.removeItem(at: directory) }
        let design = try emit(MixedPrecisionBaselineLane(), to: directory)
        let bench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/fpint/baseline_lane_tb.cpp")
        let files = try String(contentsOf: directory.appendingPathComponent("\(design.top.name).f"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let build = try ExternalTool.verilator.run(
            ["--cc", "--exe", "--build", "-j", "2", "-Wall", "--top-module", design.top.name, "--prefix", "Vdut",
             "-Mdir", "obj_dir", "-o", "sim", "-CFLAGS", "-O1"] + files + [bench.path], in: directory)
        try #require(build.status == 0, "verilator build failed:\n\(build.output.suffix(3000))")
        let cases = Self.handWorked.map(\.0) + Self.specialCases() + Self.randomCases(count: 2000, seed: 27)
        let input = cases.map { c in
            "\(c.precision.rawValue) \(c.a.count) " + zip(c.a, c.b).map { String(format: "%x %x", $0 & 0xFFFF, $1 & 0xFFFF) }.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        let lines = try run(directory.appendingPathComponent("obj_dir/sim"), input: input)
        try #require(lines.count == cases.count)
        var failures = 0
        for (c, line) in zip(cases, lines) {
            let fields = line.split(separator: " ").compactMap { UInt64($0, radix: 16) }
            try #require(fields.count == 3)
            let want = try MixedPrecisionBaselineReference.accumulator(a: c.a, b: c.b, precision: c.precision, accumulatorWidth: 32)
            let got = c.precision == .int4 ? fields[0] : c.precision == .int8 ? fields[1] : fields[2]
            if got != want {
                failures += 1
                if failures <= 10 { Issue.record("\(c.precision) \(c.a) · \(c.b): RTL \(String(got, radix: 16)), reference \(String(want, radix: 16))") }
            }
        }
        #expect(failures == 0)
    }
}
