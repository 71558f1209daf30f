import AntgenGolden
import AntgenNumerics
import Foundation

/// PWLQ on a seeded Gaussian float32 4,000 × 4,000 weight tensor (per-channel, 4-bit, eq. 3):
/// the coarse-to-fine grid search (target < 2 s) and the Gaussian closed form (target < 0.3 s).
/// Three runs each; wall and CPU seconds (CPU / threads ≈ wall on an idle machine).
func runPwlqBenchmark() throws {
    let channels = 4_000, length = 4_000
    var generator = SplitMix64(seed: 0x5EED + UInt64(channels * length))
    let values = (0 ..< channels * length).map { _ in Float(generator.gaussian()) }
    let tensor = try Tensor(shape: [channels, length], float32: values)
    let threads = ProcessInfo.processInfo.activeProcessorCount
    print("pwlq benchmark: 4-bit paper variant, \(channels) x \(length) float32 weights, \(threads) threads")
    for (rule, target) in [(PwlqBreakpointRule.gridSearch, 2.0), (.closedForm(.gaussian), 0.3)] {
        let quantizer = PwlqQuantizer(options: PwlqOptions(bits: 4, breakpoint: rule))
        for run in 1 ... 3 {
            let cpuStart = processCPUSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try quantizer.quantize(tensor)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let cpu = processCPUSeconds() - cpuStart
            print(String(format: "  %@ run %d: %.3f s wall (target < %.1f s: %@), %.3f s CPU (%.3f s per thread), MSE %.6e",
                         rule.description, run, seconds, target, seconds < target ? "met" : "MISSED", cpu, cpu / Double(threads),
                         result.meanSquaredError))
        }
    }
}
