import AntgenDSL
import AntgenHardware
import AntgenVerilog
import Foundation
import Testing

/// The PWLQ PE (spec §7.6) on Verilator, cycle by cycle against an independent Swift model
/// of the three accumulators, and two mutants that must be caught.
@Suite struct PwlqSimulationTests {
    static let shape = PwlqPEShape(activationMantissa: 4, activationExponent: 3, weightBits: 4, accumulatorWidth: 16)

    /// Random steps: tiles of 1…6 valid steps with bubbles and drain traffic in between.
    static func stimulus() -> [[Int]] {
        var rng = SeededGenerator(seed: 77)
        var lines: [[Int]] = []
        func noise() -> [Int] { (0 ..< 3).map { _ in Int.random(in: 0 ..< (1 << 16), using: &rng) } }
        for _ in 0 ..< 60 {
            let k = Int.random(in: 1 ... 6, using: &rng)
            for step in 0 ..< k {
                if Int.random(in: 0 ..< 4, using: &rng) == 0 {
                    lines.append([0, 0, 0, 1, 15, 4, 1, 1, 7, Int.random(in: 0 ... 1, using: &rng), Int.random(in: 0 ... 1, using: &rng)] + noise())
                }
                // Activations: int4/uint4 values and int8 nibble terms (shift 0 or 4).
                let activation = [Int.random(in: 0 ... 1, using: &rng), Int.random(in: 0 ... 15, using: &rng), [0, 4].randomElement(using: &rng)!]
                // Weights: about 1 in 4 in the tail region.
                let weight = [Int.random(in: 0 ..< 4, using: &rng) == 0 ? 1 : 0, Int.random(in: 0 ... 1, using: &rng), Int.random(in: 0 ... 7, using: &rng)]
                lines.append([1, step == 0 ? 1 : 0, step == k - 1 ? 1 : 0] + activation + weight
                             + [Int.random(in: 0 ... 1, using: &rng), Int.random(in: 0 ... 1, using: &rng)] + noise())
            }
        }
        return lines
    }

    /// The expected drain outputs: (centre, tail, offset, shift) seen in each cycle.
    static func expected(_ lines: [[Int]]) -> [[Int]] {
        let mask = (1 << 16) - 1
        var acc = [0, 0, 0], result = [0, 0, 0], chain = 0
        var seen: [[Int]] = []
        for line in lines {
            seen.append(result + [chain])
            let (valid, first, last) = (line[0] == 1, line[1] == 1, line[2] == 1)
            let sign = line[3] ^ line[7] == 1 ? -1 : 1
            let x = line[4] << line[5]
            let tail = line[6] == 1
            let addends = [tail ? 0 : sign * x * line[8], tail ? sign * x * line[8] : 0, tail ? sign * x : 0]
            let next = (0 ..< 3).map { ((first ? 0 : acc[$0]) + addends[$0]) & mask }
            if valid && last {
                result = next
            } else if line[9] == 1 || line[10] == 1 {
                result = Array(line[11 ... 13])
            }
            if valid { acc = next }
            chain = line[9] | line[10]
        }
        return seen
    }

    private func simulate(_ design: Design, label: String, input lines: [[Int]]) throws -> [[Int]] {
        let dir = try temporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: dir) }
        try VerilogBackend().write(design, to: dir)
        let sim = try buildSimulation(in: dir, top: design.top.name, testbench: "../pwlq/pwlq_pe_tb.cpp")
        let input = lines.map { $0.map(String.init).joined(separator: " ") }.joined(separator: "\n") + "\n"
        let arguments = [Self.shape.activationMantissa, Self.shape.activationExponent, Self.shape.weightBits, Self.shape.accumulatorWidth]
        return try run(sim, arguments: arguments.map(String.init), input: input).map { $0.split(separator: " ").compactMap { Int($0) } }
    }

    @Test func pwlqProcessingElementMatchesTheModel() throws {
        let lines = Self.stimulus()
        let observed = try simulate(try elaborate(PwlqProcessingElement(shape: Self.shape)), label: "pwlq-pe", input: lines)
        let expected = Self.expected(lines)
        #expect(observed.count == lines.count)
        let mismatches = zip(observed, expected).enumerated().filter { $1.0 != $1.1 }
        #expect(mismatches.isEmpty, "first mismatch: \(mismatches.first.map { "cycle \($0.offset): \($0.element.0) vs \($0.element.1)" } ?? "")")
    }

    /// "region bit ignored" (every product goes to the centre accumulator) and "offset
    /// accumulator dropped" (A3 never adds): each must change what the PE drains.
    @Test(arguments: ["centre_term", "offset_term"])
    func mutantsAreCaught(target: String) throws {
        let design = try elaborate(PwlqProcessingElement(shape: Self.shape))
        let sites = design.connectionSites(circuit: "PwlqProcessingElement", target: target)
        try #require(sites.count == 1)
        // centre_term = mux(region, 0, term): forcing the false arm ignores the region bit;
        // offset_term = mux(region, ±X, 0): forcing the false arm drops the offset sum.
        let mutant = try design.applying([Mutation(site: sites[0], operator: .forceSelect(false))], tag: "m")
        let lines = Self.stimulus()
        let observed = try simulate(mutant, label: "pwlq-mutant", input: lines)
        #expect(zip(observed, Self.expected(lines)).contains { $0 != $1 })
    }
}
