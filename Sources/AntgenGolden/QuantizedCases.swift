import Foundation
import AntgenNumerics

/// Source (c): real data. Gaussian and Laplace float matrices are quantized by ANT's
/// adaptive quantizer (activations per tensor, weights per output channel), each operand
/// in the type ANT selects, and the dequantised integer GEMM is compared with an FP32 GEMM.
public enum QuantizedCaseGenerator {
    /// The distribution of a generated matrix.
    public enum Distribution: String, Sendable {
        /// Standard normal (Box–Muller).
        case gaussian
        /// Laplace with scale 1 (heavier tails: favours pot/flint).
        case laplace
    }

    /// `count` float matrices drawn from `distribution`.
    static func matrix(_ count: Int, _ distribution: Distribution, rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in
            switch distribution {
            case .gaussian:
                return Float(rng.gaussian())
            case .laplace:
                // Inverse CDF of Laplace(0, 1).
                let u = rng.unitInterval()
                return Float(u < 0.5 ? log(2 * u) : -log(2 * (1 - u)))
            }
        }
    }

    /// The mode string enabling exactly `types` (`int` alone, or `ant-int-flint-…`).
    static func modeString(_ types: [AntType]) -> String {
        types.count == 1 ? types[0].description : "ant-" + types.map(\.description).joined(separator: "-")
    }

    /// The operand mode the quantizer's chosen format corresponds to.
    static func mode(of format: NumberFormat, codeWidth: Int) throws -> OperandMode {
        if format.bits != codeWidth && format.bits == 8 && format.kind == .int {
            return OperandMode(type: .int, signed: format.isSigned, int8: true)
        }
        guard format.bits == codeWidth else {
            throw ConfigurationError("the quantizer chose \(format), but the array decodes \(codeWidth)-bit codes (and int8)")
        }
        guard let type = format.kind.hardwareType else {
            throw ConfigurationError("the quantizer chose \(format), which the array does not decode")
        }
        return OperandMode(type: type, signed: format.isSigned)
    }

    /// The random draws of one quantized case (made in order from the one stream, so the
    /// cases do not depend on how many run in parallel).
    struct Draw: Sendable {
        let index: Int
        let distribution: Distribution
        let k: Int
        let actValues: [Float]
        let weightValues: [Float]
    }

    /// `count` quantized tiles. Case i uses a Gaussian (even i) or Laplace (odd i) source,
    /// ReLU'd activations every third case (so unsigned activation types occur), and in
    /// int8 builds 8-bit quantization of the activations (i mod 4 = 2), the weights
    /// (i mod 4 = 3) or both (i mod 8 = 1). The draws come from `rng` in case order; the
    /// quantization (the expensive part) runs on every core.
    public static func cases(_ model: GoldenModel, count: Int, rng: inout SplitMix64) throws -> [GoldenCase] {
        let c = model.configuration
        var draws: [Draw] = []
        draws.reserveCapacity(count)
        for index in 0..<count {
            let distribution: Distribution = index % 2 == 0 ? .gaussian : .laplace
            let k = max(2, CaseGenerator.reduction(index: index, rows: c.rows, cols: c.cols, rng: &rng))
            var actValues = matrix(c.rows * k, distribution, rng: &rng)      // A as [rows, K]
            if index % 3 == 0 { actValues = actValues.map { max($0, 0) } }
            if actValues.allSatisfy({ $0 == 0 }) { actValues[0] = 1 }
            let weightValues = matrix(c.cols * k, distribution, rng: &rng)   // Wᵀ as [cols, K]
            draws.append(Draw(index: index, distribution: distribution, k: k, actValues: actValues, weightValues: weightValues))
        }
        let results = ParallelResults<Result<GoldenCase, any Error>>(count: count)
        let allDraws = draws
        DispatchQueue.concurrentPerform(iterations: count) { i in
            results[i] = Result { try quantizedCase(model, allDraws[i]) }
        }
        return CaseGenerator.numbered(try results.values.map { try $0!.get() })
    }

    /// Quantizes one draw with ANT's adaptive quantizer and builds its case.
    static func quantizedCase(_ model: GoldenModel, _ draw: Draw) throws -> GoldenCase {
        let c = model.configuration
        let index = draw.index, k = draw.k
        let actBits = c.int8 && (index % 4 == 2 || index % 8 == 1) ? 8 : c.codeWidth
        let weightBits = c.int8 && (index % 4 == 3 || index % 8 == 1) ? 8 : c.codeWidth
        // 8-bit operands run as int8 nibble terms, so their only type is int.
        let actMode = actBits == c.codeWidth ? modeString(c.activationTypes) : "int"
        let weightMode = weightBits == c.codeWidth ? modeString(c.weightTypes) : "int"
        let aq = try AntQuantizer(options: QuantizerOptions(bits: actBits, mode: actMode, role: .activation, threadCount: 1))
            .quantize(try Tensor(shape: [c.rows, k], float32: draw.actValues))
        let wq = try AntQuantizer(options: QuantizerOptions(bits: weightBits, mode: weightMode, role: .weight, threadCount: 1))
            .quantize(try Tensor(shape: [c.cols, k], float32: draw.weightValues))
        let act = try mode(of: aq.chosenFormat, codeWidth: c.codeWidth), weight = try mode(of: wq.chosenFormat, codeWidth: c.codeWidth)
        guard c.activationModes.contains(act), c.weightModes.contains(weight) else {
            throw ConfigurationError("the quantizer chose \(act) × \(weight), which this build does not decode")
        }
        let a = (0..<k).map { kk in (0..<c.rows).map { UInt64(aq.codes[$0 * k + kk]) } }
        let w = (0..<k).map { kk in (0..<c.cols).map { UInt64(wq.codes[$0 * k + kk]) } }
        var golden = model.makeCase(source: "quant-\(draw.distribution.rawValue)", activation: act, weight: weight, a: a, w: w)
        golden.floatError = relativeError(model, golden, actValues: draw.actValues, weightValues: draw.weightValues, k: k,
                                          actScale: aq.alphas[0] / aq.chosenFormat.maxPositiveUnits,
                                          weightScales: wq.alphas.map { $0 / wq.chosenFormat.maxPositiveUnits })
        golden.accumulatorWrapped = model.wraps(a: a, w: w, activation: act, weight: weight)
        return golden
    }

    /// ‖C_deq − C_fp32‖_F / ‖C_fp32‖_F, with C_deq = α_a/q_max,a · α_w,j/q_max,w · acc[i][j]
    /// (the accumulators as the array returns them, wrap included) and C_fp32 the float32 GEMM.
    static func relativeError(_ model: GoldenModel, _ golden: GoldenCase, actValues: [Float], weightValues: [Float], k: Int,
                              actScale: Double, weightScales: [Double]) -> Double {
        let c = model.configuration
        var difference = 0.0, reference = 0.0
        for i in 0..<c.rows {
            for j in 0..<c.cols {
                var fp32: Float = 0
                for kk in 0..<k { fp32 += actValues[i * k + kk] * weightValues[j * k + kk] }
                let deq = actScale * weightScales[j] * Double(model.signedValue(golden.expected[i][j]))
                difference += (deq - Double(fp32)) * (deq - Double(fp32))
                reference += Double(fp32) * Double(fp32)
            }
        }
        return reference > 0 ? (difference / reference).squareRoot() : difference.squareRoot()
    }
}
