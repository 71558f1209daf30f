import AntgenNumerics
import Foundation

/// One weight tensor's error under b-bit PWLQ, b-bit symmetric uniform and ANT at b bits
/// (`antgen pwlq-report`, docs/pwlq.md). MSE is the mean of (x̂ − x)² over the tensor.
public struct PwlqTensorComparison: Sendable, Codable, Equatable {
    /// The tensor's name.
    public let name: String
    /// Its shape ([out, in] for a linear layer).
    public let shape: [Int]
    /// Mean x².
    public let meanSquare: Double
    /// PWLQ (eq. 3, per output channel) with the Gaussian closed-form breakpoint.
    public let closedFormMSE: Double
    /// PWLQ with the coarse-to-fine grid search.
    public let searchMSE: Double
    /// Fraction of weights in the centre region with the closed form.
    public let closedFormCentreFraction: Double
    /// b-bit symmetric uniform, per output channel, range max |x|.
    public let uniformMSE: Double
    /// (b+1)-bit symmetric uniform: the same storage as a PWLQ code with its region bit.
    public let uniformWiderMSE: Double
    /// The ANT adaptive choice (its format name) and its MSE.
    public let antChosen: String
    /// MSE of the ANT adaptive choice.
    public let antMSE: Double
    /// The largest p/m over the channels, closed form and search (p/m = 1/2 is uniform-like).
    public let closedFormMaxRatio: Double
    public let searchMaxRatio: Double
}

/// Output errors of one linear layer Y = X·Wᵀ with b-bit weights (`antgen pwlq-report`).
/// SQNR is 10·log10(Σ Y² / Σ (Y − Ŷ)²) against the float64 product of the float tensors.
public struct PwlqLayerScheme: Sendable, Codable, Equatable {
    /// `pwlq4 closed-form`, `pwlq4 search`, `uniform4`, `ant4 (int)`, …
    public let scheme: String
    /// The weight tensor's MSE.
    public let weightMSE: Double
    /// SQNR with uniform integer activations (the hardware path: PWLQ through the three
    /// integer sums and the host's affine step).
    public let sqnr: Double
    /// SQNR with float activations (the weight error alone).
    public let sqnrFloatActivations: Double
}

/// A linear layer prepared for the studies: float operands, the uniform integer activations
/// of the hardware and the float reference output.
public struct PwlqLayer: Sendable {
    /// Tokens (rows of X), reduction length K, outputs (rows of W).
    public let tokens: Int, reduction: Int, outputs: Int
    /// X, row-major [tokens, K].
    public let activations: [Double]
    /// W, row-major [outputs, K].
    public let weight: Tensor
    /// The activation width a (symmetric: −(2^(a−1) − 1) … 2^(a−1) − 1).
    public let activationBits: Int
    /// s_x = max |x| / (2^(a−1) − 1), one per tensor.
    public let activationScale: Double
    /// round(x / s_x), half to even, as [tokens][K].
    public let integerActivations: [[Int]]
    /// X·Wᵀ in float64, row-major [tokens, outputs].
    public let reference: [Double]

    /// Checks the shapes (W [outputs, K], X [tokens, K]) and quantizes the activations per
    /// tensor to a-bit symmetric integers (a = 4 or 8: the array's int4 or int8 activations).
    public init(activations x: Tensor, weight w: Tensor, activationBits: Int = 8) throws(PwlqStudyError) {
        guard w.shape.count == 2, x.shape.count == 2, w.shape[1] == x.shape[1], w.count > 0, x.count > 0 else {
            throw .shapes(weight: w.shapeDescription, activation: x.shapeDescription)
        }
        guard activationBits == 4 || activationBits == 8 else { throw .activationBits(activationBits) }
        if let index = x.firstNonFiniteIndex { throw .nonFinite(index: index) }
        tokens = x.shape[0]
        reduction = x.shape[1]
        outputs = w.shape[0]
        activations = x.doubles
        weight = w
        self.activationBits = activationBits
        let top = Double((1 << (activationBits - 1)) - 1)
        let largest = activations.reduce(0) { max($0, abs($1)) }
        activationScale = largest > 0 ? largest / top : 1
        let scale = activationScale, k = reduction, xs = activations
        integerActivations = (0 ..< tokens).map { t in
            (0 ..< k).map { i in Int(max(-top, min((xs[t * k + i] / scale).rounded(.toNearestOrEven), top))) }
        }
        reference = LayerMath.product(xs, w.doubles, tokens: tokens, outputs: outputs, k: k)
    }

    /// The dequantised integer activations s_x·X, row-major.
    var dequantizedActivations: [Double] { integerActivations.flatMap { $0.map { Double($0) * activationScale } } }

    /// The PWLQ weight codes as the array takes them: K × outputs.
    func codeColumns(_ result: PwlqResult) -> [[PwlqCode]] {
        let k = reduction, bits = result.options.bits
        return (0 ..< k).map { i in (0 ..< outputs).map { j in PwlqCode(packed: result.codes[j * k + i], bits: bits) } }
    }
}

/// Why a study could not run.
public enum PwlqStudyError: Error, Equatable, Sendable, CustomStringConvertible {
    case shapes(weight: String, activation: String)
    case activationBits(Int)
    case nonFinite(index: Int)
    case passes(Int, reduction: Int)

    public var description: String {
        switch self {
        case .shapes(let w, let x): return "weight \(w) and activation \(x) are not [out, in] and [tokens, in] with the same in"
        case .activationBits(let bits): return "activation width \(bits) is not 4 or 8 (the PWLQ array's int4 or int8 activations)"
        case .nonFinite(let index): return "activation element \(index) is NaN or infinite"
        case .passes(let passes, let k): return "cannot split K = \(k) into \(passes) passes (1…K)"
        }
    }
}

/// The PWLQ figures (docs/pwlq.md): tensor MSE against uniform and ANT, and one layer's
/// output SQNR with the hardware's integer activations.
public enum PwlqLayerStudy {
    /// PWLQ (closed form and search), uniform and ANT at `bits` on one weight tensor.
    public static func compare(name: String, weight: Tensor, bits: Int = 4) throws -> PwlqTensorComparison {
        let closed = try PwlqQuantizer(options: PwlqOptions(bits: bits, breakpoint: .closedForm(.gaussian))).quantize(weight)
        let search = try PwlqQuantizer(options: PwlqOptions(bits: bits, breakpoint: .gridSearch)).quantize(weight)
        let uniform = try UniformBaseline(bits: bits).meanSquaredError(weight)
        let wider = bits < 8 ? try UniformBaseline(bits: bits + 1).meanSquaredError(weight) : .nan
        let ant = try AntQuantizer(options: QuantizerOptions(bits: bits, role: .weight)).quantize(weight)
        func maxRatio(_ r: PwlqResult) -> Double { r.channels.map { $0.range > 0 ? $0.breakpoint / $0.range : 0 }.max() ?? 0 }
        return PwlqTensorComparison(
            name: name, shape: weight.shape, meanSquare: closed.meanSquare, closedFormMSE: closed.meanSquaredError,
            searchMSE: search.meanSquaredError, closedFormCentreFraction: closed.centreFraction, uniformMSE: uniform, uniformWiderMSE: wider,
            antChosen: ant.chosenFormat.description, antMSE: ant.meanSquaredError,
            closedFormMaxRatio: maxRatio(closed), searchMaxRatio: maxRatio(search))
    }

    /// The accumulator width of the studies (the array's default W).
    public static let accumulatorWidth = 32

    /// PWLQ with `rule`, quantized per output channel, through the integer datapath (three
    /// W-bit sums per output, then the host's float64 affine step).
    public static func pwlq(_ layer: PwlqLayer, bits: Int = 4, rule: PwlqBreakpointRule) throws -> (result: PwlqResult, output: [Double]) {
        let result = try PwlqQuantizer(options: PwlqOptions(bits: bits, breakpoint: rule)).quantize(layer.weight)
        let sums = PwlqTileSums(activations: layer.integerActivations, weights: layer.codeColumns(result), accumulatorWidth: accumulatorWidth)
        return (result, sums.combine(channels: result.channels, activationScale: layer.activationScale, width: accumulatorWidth).flatMap { $0 })
    }

    /// The layer's output SQNR for PWLQ (closed form, search), uniform and ANT weights at `bits`.
    public static func schemes(_ layer: PwlqLayer, bits: Int = 4) throws -> [PwlqLayerScheme] {
        let k = layer.reduction, n = layer.outputs, t = layer.tokens
        let xFloat = layer.activations, xInt = layer.dequantizedActivations
        var rows: [PwlqLayerScheme] = []
        for rule in [PwlqBreakpointRule.closedForm(.gaussian), .gridSearch] {
            let (result, output) = try pwlq(layer, bits: bits, rule: rule)
            let weightOnly = LayerMath.product(xFloat, result.dequantized.doubles, tokens: t, outputs: n, k: k)
            rows.append(PwlqLayerScheme(scheme: "pwlq\(bits) \(rule)", weightMSE: result.meanSquaredError,
                                        sqnr: LayerMath.sqnr(layer.reference, output), sqnrFloatActivations: LayerMath.sqnr(layer.reference, weightOnly)))
        }
        let uniform = UniformBaseline(bits: bits)
        let w = layer.weight.doubles
        var wu = w
        for j in 0 ..< n {
            let m = (0 ..< k).reduce(0.0) { max($0, abs(w[j * k + $1])) }
            for i in 0 ..< k { wu[j * k + i] = uniform.value(uniform.code(w[j * k + i], range: m), range: m) }
        }
        let ant = try AntQuantizer(options: QuantizerOptions(bits: bits, role: .weight)).quantize(layer.weight)
        for (name, dequantized) in [("uniform\(bits)", wu), ("ant\(bits) (\(ant.chosenFormat))", ant.dequantized.doubles)] {
            let mse = zip(w, dequantized).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(w.count)
            rows.append(PwlqLayerScheme(
                scheme: name, weightMSE: mse,
                sqnr: LayerMath.sqnr(layer.reference, LayerMath.product(xInt, dequantized, tokens: t, outputs: n, k: k)),
                sqnrFloatActivations: LayerMath.sqnr(layer.reference, LayerMath.product(xFloat, dequantized, tokens: t, outputs: n, k: k))))
        }
        return rows
    }

    /// ‖a − b‖ / ‖b‖ (0 when both are zero).
    public static func relativeError(_ a: [Double], to b: [Double]) -> Double {
        var noise = 0.0, signal = 0.0
        for (x, y) in zip(a, b) {
            noise += (x - y) * (x - y)
            signal += y * y
        }
        return signal == 0 ? (noise == 0 ? 0 : .infinity) : (noise / signal).squareRoot()
    }
}
