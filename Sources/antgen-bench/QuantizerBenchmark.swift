import AntgenNumerics
import Foundation

/// Benchmarks ANT selection (mode ant-int-pot-flint, 4 bits, weights, exact arithmetic) on
/// seeded Gaussian float32 tensors of 1,000 × 1,000 and 4,000 × 4,000 elements, and prints
/// wall time and peak resident memory (VmHWM) against the targets in docs/performance.md.
///
/// Memory convention: the tensor's size is counted as stored in float32, 4 bytes per
/// element; "peak" is VmHWM, and "above baseline" subtracts the resident size measured just
/// before the tensor was generated (the runtime's own footprint).
func runQuantizerBenchmark() throws {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    print("quantizer benchmark: ANT selection int-pot-flint, 4-bit weights, exact arithmetic, \(threads) threads")
    let cases = [(channels: 1_000, length: 1_000, target: 0.5), (channels: 4_000, length: 4_000, target: 5.0)]
    for benchmark in cases {
        let baseline = memoryStatus("VmRSS")
        let elements = benchmark.channels * benchmark.length
        var generator = SplitMix64(seed: 0x5EED + UInt64(elements))
        let values = (0 ..< elements).map { _ in Float(generator.gaussian()) }
        let tensor = try Tensor(shape: [benchmark.channels, benchmark.length], float32: values)
        let quantizer = AntQuantizer(options: QuantizerOptions(bits: 4, mode: "ant-int-pot-flint", role: .weight))
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try quantizer.quantize(tensor)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let peak = memoryStatus("VmHWM")
        let tensorBytes = Double(elements * 4)
        let aboveBaseline = peak - baseline
        print(String(
            format: "  %d x %d (%d elements, %.1f MB float32): %.3f s (target < %.1f s: %@), peak RSS %.1f MB, %.1f MB above baseline = %.2fx tensor (target < 4x: %@); chose %@",
            benchmark.channels, benchmark.length, elements, tensorBytes / 1e6, seconds, benchmark.target,
            seconds < benchmark.target ? "met" : "MISSED", peak / 1e6, aboveBaseline / 1e6, aboveBaseline / tensorBytes,
            aboveBaseline < 4 * tensorBytes ? "met" : "MISSED", result.chosenFormat.description
        ))
    }
}
