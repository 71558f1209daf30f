import AntgenPerf
import Foundation

/// Benchmarks the performance model (docs/performance-model.md): BERT-base's 72 linear layers
/// at 128 tokens on a 32 × 32 array, cycles, traffic and energy, repeated 1,000 times, against
/// the "well under a second for a whole BERT-base" target. The cell counts are a fixed
/// stand-in of the ANT PE's size (the model's cost does not depend on their values).
func runPerfBenchmark() throws {
    var layers: [GemmLayer] = []
    for block in 0 ..< 12 {
        for (role, k, n) in [("query", 768, 768), ("key", 768, 768), ("value", 768, 768), ("attn_out", 768, 768),
                             ("ffn_up", 768, 3072), ("ffn_down", 3072, 768)] {
            layers.append(try GemmLayer(name: "encoder.\(block).\(role)", m: 128, k: k, n: n,
                                        activationBits: block % 3 == 0 ? .eight : .four, weightBits: .four))
        }
    }
    let cells = ArrayCells(rows: 32, cols: 32, processingElement: ["$_AND_": 200, "$_XOR_": 150, "$_MUX_": 120, "$_DFF_P_": 86],
                           rest: ["$_DFF_P_": 20_000, "$_MUX_": 4_000])
    let model = PerformanceModel(array: try PerfArray(rows: 32, cols: 32), cells: cells)
    let repetitions = 1_000
    var cycles = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0 ..< repetitions { cycles = try model.evaluate(layers).cycles }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(String(format: "perf benchmark: BERT-base (72 layers, 128 tokens) on 32x32: %d cycles; %.1f us per model evaluation (%d runs, %.3f s); target < 1 s: %@",
                 cycles, 1e6 * seconds / Double(repetitions), repetitions, seconds, seconds / Double(repetitions) < 1 ? "met" : "missed"))
}
