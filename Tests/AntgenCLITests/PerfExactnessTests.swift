import Foundation
import Testing

/// Issue 14's exactness check: `antgen perf`'s cycle count equals the RTL's as `antgen run`
/// counts it (the `cycles` of its `--json`, first beat to last output row), for the
/// output-stationary and the weight-stationary array, every precision pair (a4w4, a8w4, a4w8,
/// a8w8), on fixed edge shapes and random ones with ragged M, K and N. One Verilator build per
/// dataflow serves every shape.
@Suite(.serialized) struct PerfExactnessTests {
    typealias CLI = CommandLineTests

    /// One GEMM: A is m × k, W is k × n, operands of `actBits` and `weightBits` (4 or 8).
    struct Shape: CustomStringConvertible {
        let m: Int, k: Int, n: Int, actBits: Int, weightBits: Int
        var description: String { "\(m)x\(k)x\(n) a\(actBits)w\(weightBits)" }
    }

    static let pairs = [(4, 4), (8, 4), (4, 8), (8, 8)]

    /// `fixed` dimensions at every precision pair in turn, then `count` random ones (1…max).
    static func shapes(fixed: [(Int, Int, Int)], count: Int, max: (m: Int, k: Int, n: Int), seed: UInt64) -> [Shape] {
        var s = seed
        func next(_ bound: Int) -> Int {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return 1 + Int((s >> 33) % UInt64(bound))
        }
        let dims = fixed + (0..<count).map { _ in (next(max.m), next(max.k), next(max.n)) }
        return dims.enumerated().map { i, d in
            Shape(m: d.0, k: d.1, n: d.2, actBits: pairs[i % 4].0, weightBits: pairs[i % 4].1)
        }
    }

    /// Runs every shape through `antgen run` and all of them through `antgen perf`; returns
    /// (shape, RTL cycles, model cycles) per shape.
    static func compare(dataflow: String, rows: Int, cols: Int, shapes: [Shape]) throws -> [(Shape, Int?, Int?)] {
        let dir = try CLI.temporaryFolder("perf-exact-\(dataflow)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let array = ["--rows", "\(rows)", "--cols", "\(cols)", "--types", "int", "--acc-width", "24"]
        var rtl: [Int?] = []
        for (i, shape) in shapes.enumerated() {
            let a = RunCommandTests.values(shape.m * shape.k, seed: UInt64(2 * i + 1))
            let w = RunCommandTests.values(shape.k * shape.n, seed: UInt64(2 * i + 2))
            try RunCommandTests.npy(a, shape: [shape.m, shape.k]).write(to: dir.appendingPathComponent("a\(i).npy"))
            try RunCommandTests.npy(w, shape: [shape.k, shape.n]).write(to: dir.appendingPathComponent("w\(i).npy"))
            let r = try CLI.run(["run", "--activations", "a\(i).npy", "--weights", "w\(i).npy", "--out", "c\(i).npy",
                                 "--json", "r\(i).json", "--dataflow", dataflow, "--mode", "int",
                                 "--act-bits", "\(shape.actBits)", "--weight-bits", "\(shape.weightBits)",
                                 "--cache-dir", CLI.root.appendingPathComponent(".antgen-cache").path] + array, in: dir)
            #expect(r.status == 0, "\(shape): \(r.err)")
            let report = try CLI.json(dir.appendingPathComponent("r\(i).json"))
            #expect(report["bitExact"] as? Bool == true, "\(shape)")
            rtl.append(report["cycles"] as? Int)
        }
        let layers = shapes.enumerated().map { i, s in
            "{\"name\": \"s\(i)\", \"m\": \(s.m), \"k\": \(s.k), \"n\": \(s.n), \"act_bits\": \(s.actBits), \"weight_bits\": \(s.weightBits)}"
        }
        try ("[" + layers.joined(separator: ",\n") + "]").write(to: dir.appendingPathComponent("layers.json"), atomically: true, encoding: .utf8)
        let perf = try CLI.run(["perf", "--layers", "layers.json", "--dataflow", dataflow, "--no-synth", "--json", "p.json"] + array, in: dir)
        #expect(perf.status == 0, "\(perf.err)")
        let modelLayers = try CLI.json(dir.appendingPathComponent("p.json"))["layers"] as? [[String: Any]] ?? []
        #expect(modelLayers.count == shapes.count)
        return shapes.enumerated().map { i, s in (s, rtl[i], i < modelLayers.count ? modelLayers[i]["cycles"] as? Int : nil) }
    }

    /// Output-stationary 4 × 3: R = 4 makes tiles with K·T < R stall (K = 1, 2, 3 at T = 1).
    @Test func outputStationaryCyclesEqualTheRTLs() throws {
        let shapes = Self.shapes(fixed: [(1, 1, 1), (4, 3, 3), (5, 1, 4), (8, 2, 6), (11, 9, 7), (3, 4, 2), (9, 3, 1), (1, 7, 8)],
                                 count: 8, max: (m: 11, k: 9, n: 8), seed: 14)
        for (shape, rtl, model) in try Self.compare(dataflow: "os", rows: 4, cols: 3, shapes: shapes) {
            #expect(rtl != nil && rtl == model, "os 4x3 \(shape): RTL \(rtl ?? -1), model \(model ?? -1)")
        }
    }

    /// Weight-stationary 3 × 5: K ragged against R = 3 (chunks of 1 or 2 real rows), N against
    /// C = 5, M down to 1 (one compute beat per tile: the drain wait dominates).
    @Test func weightStationaryCyclesEqualTheRTLs() throws {
        let shapes = Self.shapes(fixed: [(1, 1, 1), (3, 3, 5), (1, 4, 6), (6, 7, 11), (2, 2, 3), (7, 6, 10), (4, 10, 1), (5, 5, 5)],
                                 count: 8, max: (m: 7, k: 10, n: 12), seed: 41)
        for (shape, rtl, model) in try Self.compare(dataflow: "ws", rows: 3, cols: 5, shapes: shapes) {
            #expect(rtl != nil && rtl == model, "ws 3x5 \(shape): RTL \(rtl ?? -1), model \(model ?? -1)")
        }
    }
}
