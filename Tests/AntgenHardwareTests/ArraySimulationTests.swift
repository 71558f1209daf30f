import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenVerilog
import Foundation
import Testing

/// The whole array through the documented top-level protocol: random tiles in every
/// type pair and precision mode, compared with ``SpecModel``; exact latency and
/// one-beat-per-step throughput when there are no bubbles.
@Suite struct ArraySimulationTests {
    struct Tile {
        var act: SpecModel.Config, weight: SpecModel.Config
        var a: [[Int]], w: [[Int]]  // a[k][i], w[k][j] codes as driven on the ports
        var terms: Int { (act.int8 ? 2 : 1) * (weight.int8 ? 2 : 1) }
    }

    /// The C++ glue for this build's port names (the only per-build part of the bench).
    static func portsHeader(rows: Int, cols: Int, accumulatorWidth: Int, int8: Bool) -> String {
        var text = "#pragma once\n#define ROWS \(rows)\n#define COLS \(cols)\n"
        if int8 { text += "#define HAS_INT8 1\n" }
        text += "static inline void set_a(Vdut &d, int i, unsigned v) { switch (i) {\n"
        for i in 0..<rows { text += "  case \(i): d.a_code_\(i) = v; break;\n" }
        text += "  default: break; } }\nstatic inline void set_w(Vdut &d, int j, unsigned v) { switch (j) {\n"
        for j in 0..<cols { text += "  case \(j): d.w_code_\(j) = v; break;\n" }
        text += "  default: break; } }\nstatic inline long long get_out(Vdut &d, int j) { unsigned long long raw = 0; switch (j) {\n"
        for j in 0..<cols { text += "  case \(j): raw = d.out_data_\(j); break;\n" }
        let shift = 64 - accumulatorWidth
        text += "  default: break; }\n  return ((long long)(raw << \(shift))) >> \(shift); }\n"
        return text
    }

    static func randomTiles(count: Int, rows: Int, cols: Int, types: [AntType], int8: Bool, kRange: ClosedRange<Int>,
                            rng: inout SeededGenerator) -> [Tile] {
        (0..<count).map { _ in
            func config() -> SpecModel.Config {
                SpecModel.Config(type: types.randomElement(using: &rng)!,
                                 signed: Bool.random(using: &rng), int8: int8 && Int.random(in: 0..<3, using: &rng) == 0)
            }
            let act = config(), weight = config()
            let k = Int.random(in: kRange, using: &rng)
            // Native codes carry random junk in bits 7:4 when the port is 8 bits wide: it must be ignored.
            let codeLimit = int8 ? 255 : 15
            let a = (0..<k).map { _ in (0..<rows).map { _ in Int.random(in: 0...codeLimit, using: &rng) } }
            let w = (0..<k).map { _ in (0..<cols).map { _ in Int.random(in: 0...codeLimit, using: &rng) } }
            return Tile(act: act, weight: weight, a: a, w: w)
        }
    }

    /// Runs `tiles` through a verilated build; checks every result, and with no bubbles the timing.
    func check(rows: Int, cols: Int, accumulatorWidth: Int, types: [AntType], int8: Bool,
               runs: [(seed: UInt32, tiles: [Tile], checkTiming: Bool)]) throws {
        let p = try arrayParameters(rows, cols, act: types, accumulatorWidth: accumulatorWidth, int8: int8)
        let dir = try temporaryDirectory("array")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try emit(AntArray(p), to: dir)
        try Self.portsHeader(rows: rows, cols: cols, accumulatorWidth: accumulatorWidth, int8: int8)
            .write(to: dir.appendingPathComponent("ports.h"), atomically: true, encoding: .utf8)
        let sim = try buildSimulation(in: dir, top: design.top.name, testbench: "array_tb.cpp")
        let timing = ArrayTiming(rows: rows, cols: cols)

        for run in runs {
            var input = "\(run.seed) \(run.tiles.count)\n"
            for t in run.tiles {
                input += "\(t.a.count) \(t.act.type.rawValue) \(t.act.signed ? 1 : 0) \(t.act.int8 ? 1 : 0) "
                input += "\(t.weight.type.rawValue) \(t.weight.signed ? 1 : 0) \(t.weight.int8 ? 1 : 0)\n"
                for k in 0..<t.a.count {
                    input += (t.a[k] + t.w[k]).map(String.init).joined(separator: " ") + "\n"
                }
            }
            let lines = try self.run(sim, input: input)
            var accepts: [(cycle: Int, tile: Int, k: Int)] = []
            var outs: [(cycle: Int, row: Int, data: [Int])] = []
            for line in lines {
                let f = line.split(separator: " ")
                let n = f.dropFirst().compactMap { Int($0) }
                if f.first == "accept" { accepts.append((n[0], n[1], n[2])) }
                if f.first == "out" { outs.append((n[0], n[1], Array(n[2...]))) }
            }
            #expect(accepts.count == run.tiles.reduce(0) { $0 + $1.a.count })
            try #require(outs.count == run.tiles.count * rows, "seed \(run.seed): \(outs.count) output rows")
            for (t, tile) in run.tiles.enumerated() {
                let native = { (codes: [[Int]], config: SpecModel.Config) in
                    config.int8 ? codes : codes.map { $0.map { $0 & 15 } }
                }
                let expected = SpecModel.tile(a: native(tile.a, tile.act), w: native(tile.w, tile.weight), bits: 4,
                                              act: tile.act, weight: tile.weight, accumulatorWidth: accumulatorWidth)
                let rowsOut = outs[(t * rows)..<((t + 1) * rows)]
                #expect(rowsOut.map(\.row) == Array((0..<rows).reversed()), "tile \(t): row order")
                for o in rowsOut {
                    #expect(o.data == expected[o.row], "seed \(run.seed) tile \(t) (\(tile.act) × \(tile.weight)) row \(o.row)")
                }
                // Rows leave on consecutive cycles.
                #expect(rowsOut.last!.cycle - rowsOut.first!.cycle == rows - 1)
                if run.checkTiming {
                    let lastAccept = accepts.last { $0.tile == t }!.cycle
                    #expect(rowsOut.first!.cycle - lastAccept == timing.firstRowLatency(termsPerBeat: tile.terms),
                            "tile \(t): latency")
                }
            }
            if run.checkTiming {
                // Full throughput: every beat is accepted exactly `terms` cycles after the one before.
                let flat = run.tiles.flatMap { t in Array(repeating: t.terms, count: t.a.count) }
                for b in 1..<accepts.count {
                    #expect(accepts[b].cycle - accepts[b - 1].cycle == flat[b - 1], "beat \(b): stall")
                }
            }
        }
    }

    private func run(_ executable: URL, input: String) throws -> [Substring] {
        try AntgenHardwareTests.run(executable, input: input)
    }

    /// 3×5, all four types, int8: every precision pair, with and without bubbles, and
    /// short tiles (K < rows) that the wrapper must stall for.
    @Test func threeByFiveAllModes() throws {
        var rng = SeededGenerator(seed: 7)
        let types = AntType.allCases
        let long = Self.randomTiles(count: 24, rows: 3, cols: 5, types: types, int8: true, kRange: 3...9, rng: &rng)
        let any = Self.randomTiles(count: 24, rows: 3, cols: 5, types: types, int8: true, kRange: 1...9, rng: &rng)
        try check(rows: 3, cols: 5, accumulatorWidth: 32, types: types, int8: true,
                  runs: [(0, long, true), (12345, any, false), (0, any, false)])
    }

    /// 4×2 with W = 12: results wrap; 1×1 with int8: the degenerate array.
    @Test func wrappingAndDegenerateShapes() throws {
        var rng = SeededGenerator(seed: 99)
        let wrapTiles = Self.randomTiles(count: 12, rows: 4, cols: 2, types: [.pot, .flint], int8: false, kRange: 4...12, rng: &rng)
        try check(rows: 4, cols: 2, accumulatorWidth: 12, types: [.pot, .flint], int8: false,
                  runs: [(0, wrapTiles, true), (777, wrapTiles, false)])
        let single = Self.randomTiles(count: 10, rows: 1, cols: 1, types: [.int], int8: true, kRange: 1...4, rng: &rng)
        try check(rows: 1, cols: 1, accumulatorWidth: 20, types: [.int], int8: true, runs: [(0, single, true), (5, single, false)])
    }
}
