import AntgenNumerics
import AntgenTuner
import Foundation

/// Benchmarks the tuner (docs/tuning.md): 20 weight tensors of 1,000 × 1,000 float32 elements
/// (20,000,000 parameters), every tensor fitted in 4 kinds (int, flint, pot, float) × 7
/// widths (2…8; 26 valid formats per tensor), then the allocation under an SQNR floor of
/// 25 dB. Runs three scale settings — free α per channel (the `antgen tune` default, ANT's
/// clip search of 75 or 55 ratios), power-of-two bias per channel (15 biases), free α per
/// tensor — and prints wall time and peak resident memory (VmHWM) against the 30 s target.
///
/// Data: seeded Gaussian tensors with spreads from 0.02 to 0.2, every fourth cubed (heavy
/// tails) so the chosen formats differ. Data generation is not timed.
func runTunerBenchmark() throws {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    print("tuner benchmark: 20 tensors x 1,000 x 1,000 float32 (20,000,000 parameters), 4 kinds x 7 widths, sqnr>=25, \(threads) threads")
    let baseline = memoryStatus("VmRSS")
    let inputs = (0 ..< 20).map { index in
        var generator = SplitMix64(seed: 0x7E57 + UInt64(index))
        let spread = 0.02 + 0.01 * Double(index % 19)
        let heavy = index % 4 == 3
        let values = (0 ..< 1_000_000).map { _ -> Float in
            let normal = generator.gaussian()
            return Float((heavy ? normal * normal * normal : normal) * spread)
        }
        // 1,000 × 1,000 elements by construction.
        return TuningInput(file: "synthetic", tensor: NamedTensor(name: "layer\(index).weight", tensor: try! Tensor(shape: [1_000, 1_000], float32: values)))
    }
    let dataBytes = 20.0 * 1_000_000 * 4
    print(String(format: "  data: %.0f MB float32 (resident %.1f MB before, %.1f MB after generation)", dataBytes / 1e6, baseline / 1e6, memoryStatus("VmRSS") / 1e6))
    let settings: [(label: String, scale: ScaleKind, perChannel: Bool)] = [
        ("alpha per channel", .alpha, true), ("bias per channel", .bias, true), ("alpha per tensor", .alpha, false),
    ]
    for setting in settings {
        let space = TuningSpace(kinds: AntType.allCases.map(TypeCandidate.init), widths: Array(2 ... 8), scale: setting.scale, perChannel: setting.perChannel)
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try tuneWithProxy(inputs, space: space, objective: .storedBits, constraint: ProxyConstraint(minimumSQNR: 25))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let formats = Dictionary(grouping: result.plan.tensors, by: \.format).map { "\($0.key) x\($0.value.count)" }.sorted()
        print(String(
            format: "  %@: %.2f s (target < 30 s: %@), peak RSS %.1f MB; %d options; %.2f bits/parameter, %.2fx vs FP32, %.2fx vs int8; %@",
            setting.label, seconds, seconds < 30 ? "met" : "MISSED", memoryStatus("VmHWM") / 1e6,
            result.sets.reduce(0) { $0 + $1.options.count }, Double(result.plan.totals.storedBits) / 2e7,
            result.plan.totals.compressionVsFP32, result.plan.totals.compressionVsInt8, formats.joined(separator: ", ")))
    }
}
