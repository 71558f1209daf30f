import AntgenNumerics
import Foundation

/// Benchmarks SDP term selection (spec §8, `sdpMask`): 16M seeded int8 activations
/// (4,096 × 4,096, signed, roughly Gaussian with σ = 24, so groups have many small parts
/// and ties) masked in groups of G = 8 along the rows at T = 8 and T = 12, against the
/// target in docs/performance.md (< 1 s).
func runSdpBenchmark() throws {
    let threads = ProcessInfo.processInfo.activeProcessorCount
    let rows = 4_096, cols = 4_096
    var generator = SplitMix64(seed: 0x5D9)
    let values = (0 ..< rows * cols).map { _ in min(127, max(-128, Int((generator.gaussian() * 24).rounded()))) }
    print("sdp benchmark: term selection of \(rows * cols) int8 activations (\(rows) x \(cols)), G = 8, \(threads) threads")
    for terms in [8, 12] {
        let p = try SdpParameters(group: 8, terms: terms)
        let start = DispatchTime.now().uptimeNanoseconds
        let masked = try sdpMask(values, rows: rows, cols: cols, signed: true, parameters: p)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let s = masked.statistics
        print(String(format: "  T = %2d: %.3f s (target < 1 s: %@), %d groups, %d nonzero parts kept, %d dropped",
                     terms, seconds, seconds < 1 ? "met" : "MISSED", s.groups, s.keptNonzero, s.droppedNonzero))
    }
}
