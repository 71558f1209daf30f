import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenVerilog
import Foundation
import Testing

/// Verilator smoke tests: the decoder exhaustively, the PE cycle by cycle, and the
/// whole array through its documented protocol, all against ``SpecModel``.
@Suite struct SimulationTests {
    /// The spec's 4-bit value tables (§1), in units, indexed by code (signed: by magnitude code).
    static let unsignedTables: [AntType: [Int]] = [
        .int: Array(0...15),
        .flint: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64],
        .pot: [0] + (0...14).map { 1 << $0 },
        .float: [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192],
    ]
    static let signedMagnitudes: [AntType: [Int]] = [
        .flint: [0, 1, 2, 3, 4, 6, 8, 16], .pot: [0, 1, 2, 4, 8, 16, 32, 64], .float: [0, 1, 2, 4, 8, 16, 32, 64],
    ]

    /// The test model reproduces the spec's literal tables, so it can judge the hardware.
    @Test func specModelMatchesTheSpecTables() {
        for (type, table) in Self.unsignedTables {
            #expect((0..<16).map { SpecModel.decode($0, bits: 4, type: type, signed: false).value } == table, "\(type)")
        }
        for (type, magnitudes) in Self.signedMagnitudes {
            #expect((0..<8).map { SpecModel.decode($0, bits: 4, type: type, signed: true).value } == magnitudes, "\(type)")
            #expect((8..<16).map { SpecModel.decode($0, bits: 4, type: type, signed: true).value } == magnitudes.map { -$0 })
        }
        #expect((0..<16).map { SpecModel.decode($0, bits: 4, type: .int, signed: true).value } == Array(0...7) + Array(-8 ... -1))
        // The unsigned flint4 (M, E) row of the spec.
        #expect((0..<16).map { SpecModel.decode($0, bits: 4, type: .flint, signed: false).m }
                == [0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 4, 6, 4, 4])
        // int8 nibble terms recombine exactly.
        for code in 0..<256 {
            for signed in [false, true] {
                let t = SpecModel.int8Terms(code, signed: signed)
                #expect(t.high.value + t.low.value == SpecModel.int8Value(code, signed: signed))
            }
        }
    }

    /// Every code × type × signedness (× int8 mode × term) of the generated decoder.
    @Test(arguments: [(4, true), (3, false), (5, false)])
    func decoderIsExhaustivelyExact(codeWidth: Int, int8: Bool) throws {
        let dir = try temporaryDirectory("decoder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let format = OperandFormat(codeWidth: codeWidth, types: AntType.allCases, int8: int8)
        let design = try emit(OperandDecoder(format: format), to: dir)
        let sim = try buildSimulation(in: dir, top: design.top.name, testbench: "decoder_tb.cpp",
                                      cflags: int8 ? ["-DHAS_INT8"] : [])
        let lines = try run(sim, arguments: ["\(format.codeInputWidth)", "\(format.mantissaWidth)", "\(format.exponentWidth)"])
        let combinations = (1 << format.codeInputWidth) * 4 * 2 * (int8 ? 4 : 1)
        #expect(lines.count == combinations)
        var mismatches = 0
        for line in lines {
            let f = line.split(separator: " ").compactMap { Int($0) }
            try #require(f.count == 8)
            let (code, type, signed, int8Mode, high) = (f[0], AntType(rawValue: f[1])!, f[2] == 1, f[3] == 1, f[4] == 1)
            let got = SpecOperand(s: f[5], m: f[6], e: f[7])
            let expected: SpecOperand
            if int8Mode {
                let terms = SpecModel.int8Terms(code, signed: signed)
                expected = high ? terms.high : terms.low
            } else {
                expected = SpecModel.decode(code & ((1 << codeWidth) - 1), bits: codeWidth, type: type, signed: signed)
            }
            // A zero magnitude may carry either sign ("−0"); only M and E then matter.
            let same = got.m == expected.m && got.e == expected.e && (got.s == expected.s || got.m == 0)
            if !same {
                mismatches += 1
                if mismatches <= 10 { Issue.record("code \(code) type \(type) signed \(signed) int8 \(int8Mode) high \(high): got \(got), want \(expected)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// The PE cycle by cycle: accumulate (with wrap at W = 16), first/last, bubbles,
    /// double-buffered result, drain chain and the systolic pass-through.
    @Test func processingElementMatchesTheModel() throws {
        let dir = try temporaryDirectory("pe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shape = PEShape(try arrayParameters(2, 2, accumulatorWidth: 16))
        let design = try emit(ProcessingElement(shape: shape), to: dir)
        let sim = try buildSimulation(in: dir, top: design.top.name, testbench: "pe_tb.cpp")

        var rng = SeededGenerator(seed: 42)
        let mask = (1 << 16) - 1  // W = 16
        var lines: [[Int]] = []
        for _ in 0..<40 {
            // A tile of random operands of random types; some bubbles and drain requests in between.
            let k = Int.random(in: 1...6, using: &rng)
            let actType = AntType.allCases.randomElement(using: &rng)!, weightType = AntType.allCases.randomElement(using: &rng)!
            let aSigned = Bool.random(using: &rng), wSigned = Bool.random(using: &rng)
            for step in 0..<k {
                while Int.random(in: 0..<4, using: &rng) == 0 {
                    lines.append([0, Int.random(in: 0...1, using: &rng), Int.random(in: 0...1, using: &rng),
                                  0, Int.random(in: 0...15, using: &rng), 3, 1, 15, 15,
                                  Int.random(in: 0...1, using: &rng), Int.random(in: 0...1, using: &rng),
                                  Int.random(in: 0...mask, using: &rng)])
                }
                let a = SpecModel.decode(Int.random(in: 0...15, using: &rng), bits: 4, type: actType, signed: aSigned)
                let x = SpecModel.decode(Int.random(in: 0...15, using: &rng), bits: 4, type: weightType, signed: wSigned)
                lines.append([1, step == 0 ? 1 : 0, step == k - 1 ? 1 : 0, a.s, a.m, a.e, x.s, x.m, x.e,
                              Int.random(in: 0...1, using: &rng), Int.random(in: 0...1, using: &rng),
                              Int.random(in: 0...mask, using: &rng)])
            }
        }
        let input = lines.map { $0.map(String.init).joined(separator: " ") }.joined(separator: "\n") + "\n"
        let widths = [shape.activationMantissa, shape.activationExponent, shape.weightMantissa, shape.weightExponent,
                      shape.accumulatorWidth]
        let output = try run(sim, arguments: widths.map(String.init), input: input).map { $0.split(separator: " ").compactMap { Int($0) } }
        #expect(output.count == lines.count)

        // Model registers after each edge.
        var acc = 0, result: Int? = nil, chain = 0
        var previous: [Int]? = nil
        var tilesChecked = 0, drainsChecked = 0
        for (cycle, (input, observed)) in zip(lines, output).enumerated() {
            try #require(observed.count == 11)
            if let p = previous {
                #expect(observed[1] == chain, "cycle \(cycle): drain chain")
                #expect(Array(observed[2...4]) == Array(p[0...2]), "cycle \(cycle): control pass-through")
                #expect(Array(observed[5...10]) == Array(p[3...8]), "cycle \(cycle): operand pass-through")
                if let r = result { #expect(observed[0] == r, "cycle \(cycle): result") }
            }
            let (valid, first, last) = (input[0] == 1, input[1] == 1, input[2] == 1)
            let product = (input[3] ^ input[6] == 1 ? -1 : 1) * input[4] * input[7] * (1 << (input[5] + input[8]))
            let next = ((first ? 0 : acc) + product) & mask
            if valid && last {
                result = next; tilesChecked += 1
            } else if input[9] == 1 || input[10] == 1 {
                result = input[11]; drainsChecked += 1
            }
            if valid { acc = next }
            chain = input[9] | input[10]
            previous = input
        }
        #expect(tilesChecked == 40)
        #expect(drainsChecked > 10)
    }
}
