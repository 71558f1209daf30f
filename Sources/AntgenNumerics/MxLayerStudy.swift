import Foundation

/// One quantization scheme's errors on one linear layer Y = X·Wᵀ (docs/mx.md).
public struct MxSchemeResult: Sendable, Codable {
    /// `mxfp4`, `ant4-int`, …
    public let scheme: String
    /// MSE / mean x² of the weight.
    public let weightRelativeMSE: Double
    /// MSE / mean x² of the activation.
    public let activationRelativeMSE: Double
    /// Output SQNR in dB: 10 log10(Σ Y² / Σ (Y − Ŷ)²), Ŷ the product of the dequantised
    /// tensors in float64.
    public let outputSQNR: Double
}

/// The bounded-window accumulator against FP32 accumulation for one MX format (docs/mx.md).
public struct MxWindowResult: Sendable, Codable {
    /// The element format of both operands.
    public let format: String
    /// The window S, nil for the FP32 accumulator.
    public let window: Int?
    /// ‖Y_acc − Y_exact‖ / ‖Y_exact‖, Y_exact the exact dot of the MX operands (float64).
    public let relativeError: Double
    /// Fraction of outputs whose binary32 result differs from the FP32 accumulator's.
    public let differsFromFP32: Double
    /// Blocks dropped (more than S binades below the running maximum) per output.
    public let droppedBlocksPerOutput: Double
}

/// MX vs ANT on a real layer: per-tensor MSE, output SQNR, and the window accumulator.
public enum MxLayerStudy {
    static func relativeMSE(_ x: [Double], _ q: [Double]) -> Double {
        var error = 0.0, square = 0.0
        for (a, b) in zip(x, q) {
            error += (a - b) * (a - b)
            square += a * a
        }
        return square == 0 ? 0 : error / square
    }

    /// Compares MXFP4, MXINT8 (and the other MX formats) with ANT 4-bit int, flint, pot and
    /// the adaptive choice (weights per output channel, activations per tensor) on
    /// Y = X·Wᵀ, X `[tokens, k]`, W `[outputs, k]`.
    public static func schemes(x: [Double], w: [Double], tokens: Int, outputs: Int, k: Int) throws -> [MxSchemeResult] {
        let reference = LayerMath.product(x, w, tokens: tokens, outputs: outputs, k: k)
        var results: [MxSchemeResult] = []
        for format in MxElementFormat.allCases {
            let q = MxQuantizer(format: format)
            let wq = q.quantize(w, shape: [outputs, k]).dequantized
            let xq = q.quantize(x, shape: [tokens, k]).dequantized
            results.append(MxSchemeResult(scheme: format.modeName, weightRelativeMSE: relativeMSE(w, wq), activationRelativeMSE: relativeMSE(x, xq),
                                          outputSQNR: LayerMath.sqnr(reference, LayerMath.product(xq, wq, tokens: tokens, outputs: outputs, k: k))))
        }
        let wTensor = try Tensor(shape: [outputs, k], float64: w)
        let xTensor = try Tensor(shape: [tokens, k], float64: x)
        for mode in ["int", "flint", "pot", "ant-int-pot-flint"] {
            let wr = try AntQuantizer(options: QuantizerOptions(bits: 4, mode: mode, role: .weight)).quantize(wTensor)
            let xr = try AntQuantizer(options: QuantizerOptions(bits: 4, mode: mode, role: .activation)).quantize(xTensor)
            let wq = wr.dequantized.doubles, xq = xr.dequantized.doubles
            let name = mode.hasPrefix("ant-") ? "ant4-adaptive (\(wr.chosenType.name) / \(xr.chosenType.name))" : "ant4-\(mode)"
            results.append(MxSchemeResult(scheme: name, weightRelativeMSE: relativeMSE(w, wq), activationRelativeMSE: relativeMSE(x, xq),
                                          outputSQNR: LayerMath.sqnr(reference, LayerMath.product(xq, wq, tokens: tokens, outputs: outputs, k: k))))
        }
        return results
    }

    /// The FP32 and window-S accumulators (spec §5.6) on the MX codes of `format`, against
    /// the exact dot product of the same codes.
    public static func windows(x: [Double], w: [Double], tokens: Int, outputs: Int, k: Int, format: MxElementFormat,
                               windows: [Int]) -> [MxWindowResult] {
        let q = MxQuantizer(format: format)
        let xq = q.quantize(x, shape: [tokens, k]), wq = q.quantize(w, shape: [outputs, k])
        let exact = LayerMath.product(xq.dequantized, wq.dequantized, tokens: tokens, outputs: outputs, k: k)
        let blocks = (k + q.blockSize - 1) / q.blockSize
        var sums: [[MxBlockSum]] = []
        sums.reserveCapacity(tokens * outputs)
        for t in 0..<tokens {
            for n in 0..<outputs {
                sums.append((0..<blocks).map { b in
                    let lo = b * q.blockSize, hi = min(lo + q.blockSize, k)
                    return MxBlockSum(a: (lo..<hi).map { Int(xq.codes[t * k + $0]) }, formatA: format, scaleA: MxScale(code: Int(xq.scales[t * blocks + b])),
                                      b: (lo..<hi).map { Int(wq.codes[n * k + $0]) }, formatB: format, scaleB: MxScale(code: Int(wq.scales[n * blocks + b])))
                })
            }
        }
        let fp32 = sums.map { MxDotProduct.float32($0) }
        func result(_ values: [Float], window: Int?, dropped: Int) -> MxWindowResult {
            let approx = values.map(Double.init)
            var noise = 0.0, signal = 0.0
            for (e, a) in zip(exact, approx) {
                noise += (e - a) * (e - a)
                signal += e * e
            }
            let differs = zip(values, fp32).filter { $0.bitPattern != $1.bitPattern }.count
            return MxWindowResult(format: format.modeName, window: window, relativeError: signal == 0 ? 0 : (noise / signal).squareRoot(),
                                  differsFromFP32: Double(differs) / Double(values.count),
                                  droppedBlocksPerOutput: Double(dropped) / Double(values.count))
        }
        var out = [result(fp32, window: nil, dropped: 0)]
        let width = MxDotProduct.blockSumWidth(format, format) + 32 + 8
        for s in windows {
            var dropped = 0
            for list in sums {
                var reference = Int.min
                for block in list where block.sum != 0 {
                    if reference != Int.min, reference - block.exponent > s { dropped += 1 }
                    reference = max(reference, block.exponent)
                }
            }
            out.append(result(sums.map { MxDotProduct.windowed($0, window: s, width: width) }, window: s, dropped: dropped))
        }
        return out
    }
}
