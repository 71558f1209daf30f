import Foundation

/// The float64 arithmetic the layer studies (`antgen mx-report`, `antgen pwlq-report`)
/// measure quantized layers with.
public enum LayerMath {
    /// The row-major product A[t, k] · B[n, k] summed over k: `tokens` × `outputs` values.
    public static func product(_ a: [Double], _ b: [Double], tokens: Int, outputs: Int, k: Int) -> [Double] {
        var y = [Double](repeating: 0, count: tokens * outputs)
        for t in 0 ..< tokens {
            for n in 0 ..< outputs {
                var s = 0.0
                for i in 0 ..< k { s += a[t * k + i] * b[n * k + i] }
                y[t * outputs + n] = s
            }
        }
        return y
    }

    /// 10·log10(Σ r² / Σ (r − a)²) in dB; +∞ when `approx` equals `reference`.
    public static func sqnr(_ reference: [Double], _ approx: [Double]) -> Double {
        var signal = 0.0, noise = 0.0
        for (r, a) in zip(reference, approx) {
            signal += r * r
            noise += (r - a) * (r - a)
        }
        return noise == 0 ? .infinity : 10 * log10(signal / noise)
    }
}
