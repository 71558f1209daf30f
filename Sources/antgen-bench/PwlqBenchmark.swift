import AntgenGolden
import AntgenNumerics
import Foundation

/// PWLQ on a seeded Gaussian float32 4,000 × 4,000 weight tensor (per-channel, 4-bit, eq. 3):
/// the coarse-to-fine grid search (target < 2 s) and the Gaussian closed form (target < 0.3 s).
func runPwlqBenchmark() throws {
    let channels = 4_000, length = 4_000
    var generator = SplitMix64(seed: 0x5EED + UInt64(channels * length))
    let values = (0 ..< channels * length).map { _ in Float(generator.gaussian()) }
    let tensor = try Tensor(shape: [channels, length], float32: values)
    print("pwlq benchmark: 4-bit paper variant, \(channels) x \(length) float32 weights, \(ProcessInfo.processInfo.activeProcessorCount) threads")
    for (rule, target) in [(PwlqBreakpointRule.gridSearch, 2.0), (.closedForm(.gaussian), 0.3)] {
        let quantizer = PwlqQuantizer(options: PwlqOptions(bits: 4, breakpoint: rule))
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try quantizer.quantize(tensor)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "  %@: %.3f s (target < %.1f s: %@), MSE %.4e", rule.description, seconds, target,
                     seconds < target ? "met" : "MISSED", result.meanSquaredError))
    }
}

/// The figures of docs/pwlq.md from the MiniLM data (`make fetch-model`): one real layer's
/// output SQNR with real activations (int8 per-tensor activations, 4-bit weights per
/// channel), computed through the golden model's three integer sums and the host's affine step.
/// Argument: the data folder (default /work/main/data/minilm).
func runPwlqFiguresBenchmark() throws {
    let folder = CommandLine.arguments.dropFirst(2).first ?? "data/minilm"
    let layer = "encoder.layer.0.attention.self.query"
    guard FileManager.default.fileExists(atPath: folder + "/activations.safetensors") else {
        print("pwlq figures: skipped (no \(folder)/activations.safetensors; run make fetch-model)")
        return
    }
    let model = try SafetensorsFile.OpenedFile(atPath: folder + "/model.safetensors")
    let activations = try SafetensorsFile.OpenedFile(atPath: folder + "/activations.safetensors")
    let weight = try model.tensor(named: layer + ".weight").tensor  // [N, K]
    let input = try activations.tensor(named: layer + ".input").tensor  // [M, K]
    let n = weight.shape[0], k = weight.shape[1], rows = input.shape[0]
    // int8 symmetric per-tensor activations: X = round(x / s_x), s_x = max|x| / 127.
    let xs = input.doubles
    let sx = (xs.map(abs).max() ?? 1) / 127
    let xq = (0 ..< rows).map { i in (0 ..< k).map { Int((xs[i * k + $0] / sx).rounded(.toNearestOrEven)) } }
    let w = weight.doubles
    var reference = [[Double]](repeating: [Double](repeating: 0, count: n), count: rows)
    for i in 0 ..< rows { for j in 0 ..< n { var s = 0.0; for t in 0 ..< k { s += xs[i * k + t] * w[j * k + t] }; reference[i][j] = s } }
    func sqnr(_ y: [[Double]]) -> Double {
        var signal = 0.0, noise = 0.0
        for i in 0 ..< rows { for j in 0 ..< n { signal += reference[i][j] * reference[i][j]; noise += (y[i][j] - reference[i][j]) * (y[i][j] - reference[i][j]) } }
        return 10 * log10(signal / noise)
    }
    print("pwlq figures: \(layer), weights [\(n), \(k)], activations [\(rows), \(k)] int8 per tensor")
    for rule in [PwlqBreakpointRule.closedForm(.gaussian), .gridSearch] {
        let result = try PwlqQuantizer(options: PwlqOptions(bits: 4, breakpoint: rule)).quantize(weight)
        let codes = (0 ..< k).map { t in (0 ..< n).map { j in PwlqCode(packed: result.codes[j * k + t], bits: 4) } }
        let sums = PwlqTileSums(activations: xq, weights: codes, accumulatorWidth: 32)
        let y = sums.combine(channels: result.channels, activationScale: sx, width: 32)
        print(String(format: "  pwlq4 %@: output SQNR %.2f dB (weight MSE %.4e)", rule.description, sqnr(y), result.meanSquaredError))
    }
    // Baselines through float math on dequantised weights with the same int8 activations.
    func dequantizedSQNR(_ wq: [Double]) -> Double {
        var y = reference
        for i in 0 ..< rows { for j in 0 ..< n { var s = 0.0; for t in 0 ..< k { s += Double(xq[i][t]) * sx * wq[j * k + t] }; y[i][j] = s } }
        return sqnr(y)
    }
    let uniform = UniformBaseline(bits: 4)
    var wu = w
    for j in 0 ..< n {
        let m = (0 ..< k).map { abs(w[j * k + $0]) }.max() ?? 0
        for t in 0 ..< k { wu[j * k + t] = uniform.value(uniform.code(w[j * k + t], range: m), range: m) }
    }
    print(String(format: "  uniform4: output SQNR %.2f dB", dequantizedSQNR(wu)))
    let ant = try AntQuantizer(options: QuantizerOptions(bits: 4, role: .weight)).quantize(weight)
    print(String(format: "  ant4 (%@): output SQNR %.2f dB", ant.chosenFormat.description, dequantizedSQNR(ant.dequantized.doubles)))
}
