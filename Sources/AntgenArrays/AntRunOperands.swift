import AntgenGolden
import AntgenHardware
import AntgenNumerics
import Foundation

/// The quantized operands of `antgen run --array ant` and the float matrices the result is compared with.
struct RunOperands {
    /// A (M × K) as the array sees it.
    let a: QuantizedMatrix
    /// W (K × N) as the array sees it.
    let w: QuantizedMatrix
    /// Float A (M × K) and W (K × N) for the float32 comparison: the inputs when they were
    /// float, the dequantised codes otherwise.
    let floatA: [Float], floatW: [Float]
    /// Per operand: true when it came as codes (the float comparison then uses its
    /// dequantised codes), false when antgen quantized a float tensor.
    let actFromCodes: Bool, weightFromCodes: Bool
    /// Format names for the report (`flint4u`, `int8s`).
    let actFormat: String, weightFormat: String

    /// Loads, checks and quantizes both operands as the options say.
    static func prepare(_ c: LayerRunInputs, parameters p: ArrayParameters, plan: PlanHardwareMapping?) throws -> RunOperands {
        let aSource = RunInputs.Source(option: "--activations", path: c.activations, tensor: c.actTensor, format: c.actFormat)
        let wSource = RunInputs.Source(option: "--weights", path: c.weights, tensor: c.weightTensor, format: c.weightFormat)
        let nk = c.weightLayout == "nk"
        let aLoaded: Either = aSource.isCodes ? .codes(try RunInputs.loadCodes(aSource, codeWidth: p.codeWidth))
            : .float(try RunInputs.loadFloat(aSource))
        let wLoaded: Either = wSource.isCodes ? .codes(try RunInputs.loadCodes(wSource, codeWidth: p.codeWidth))
            : .float(try RunInputs.loadFloat(wSource))
        let (m, k) = aLoaded.shape
        let wk = nk ? wLoaded.shape.1 : wLoaded.shape.0, n = nk ? wLoaded.shape.0 : wLoaded.shape.1
        guard wk == k else {
            throw LayerRunError("shape mismatch: activations are \(m) × \(k) (K = \(k)) but the weights (\(c.weightLayout) layout) are \(wLoaded.shape.0) × \(wLoaded.shape.1) (K = \(wk)); check --weight-layout")
        }
        let a: QuantizedMatrix, w: QuantizedMatrix
        switch aLoaded {
        case .codes(let codes):
            guard codes.alphas.count == 1 else {
                throw LayerRunError("--activations: \(codes.alphas.count) α values; activations take one α per tensor")
            }
            a = try operand(codes.codes, rows: m, cols: k, format: codes.format, alphas: codes.alphas, codeWidth: p.codeWidth, option: "--activations")
        case .float(let f):
            let entry = plan?.entries.first { $0.name == f.name && $0.role == "activation" }
            a = try RunInputs.quantizeActivations(f, bits: entry?.bits ?? c.actBits ?? p.codeWidth,
                                                  mode: entry?.kind ?? c.mode ?? RunInputs.modeString(p.activation.types), codeWidth: p.codeWidth)
        }
        switch wLoaded {
        case .codes(let codes):
            guard codes.alphas.count == 1 || codes.alphas.count == n else {
                throw LayerRunError("--weights: \(codes.alphas.count) α values; weights take one α, or one per output channel (\(n))")
            }
            let kn = nk ? RunInputs.transpose(codes.codes, rows: n, cols: k) : codes.codes
            w = try operand(kn, rows: k, cols: n, format: codes.format, alphas: codes.alphas, codeWidth: p.codeWidth, option: "--weights")
        case .float(let f):
            let values = nk ? f.values : RunInputs.transpose(f.values, rows: k, cols: n)
            let entry = plan?.entries.first { $0.name == f.name && $0.role == "weight" }
            w = try RunInputs.quantizeWeights(RunInputs.FloatMatrix(name: f.name, rows: n, cols: k, values: values),
                                              bits: entry?.bits ?? c.weightBits ?? p.codeWidth,
                                              mode: entry?.kind ?? c.mode ?? RunInputs.modeString(p.weight.types), codeWidth: p.codeWidth)
        }
        let floatA = try aLoaded.floats ?? dequantize(a, codeWidth: p.codeWidth)
        let floatW = try wLoaded.floats.map { nk ? RunInputs.transpose($0, rows: n, cols: k) : $0 } ?? dequantize(w, codeWidth: p.codeWidth)
        let operands = RunOperands(a: a, w: w, floatA: floatA, floatW: floatW,
                                   actFromCodes: aLoaded.floats == nil, weightFromCodes: wLoaded.floats == nil,
                                   actFormat: try a.mode.format(codeWidth: p.codeWidth).description,
                                   weightFormat: try w.mode.format(codeWidth: p.codeWidth).description)
        try operands.checkModes(p)
        return operands
    }

    /// A loaded operand.
    enum Either {
        case float(RunInputs.FloatMatrix)
        case codes(RunInputs.CodeMatrix)

        var shape: (Int, Int) {
            switch self {
            case .float(let f): return (f.rows, f.cols)
            case .codes(let c): return (c.rows, c.cols)
            }
        }

        var floats: [Float]? {
            if case .float(let f) = self { return f.values }
            return nil
        }
    }

    /// An operand from codes of `format` with α per channel.
    static func operand(_ codes: [UInt8], rows: Int, cols: Int, format: NumberFormat, alphas: [Double], codeWidth: Int,
                        option: String) throws -> QuantizedMatrix {
        do {
            let mode = try GemmReference.operandMode(of: format, codeWidth: codeWidth)
            return try QuantizedMatrix(rows: rows, cols: cols, codes: codes, mode: mode, scales: alphas.map { $0 / format.maxPositiveUnits })
        } catch {
            throw LayerRunError("\(option): \(error)")
        }
    }

    /// Real values of an operand (scale × decode(code)), row-major.
    static func dequantize(_ q: QuantizedMatrix, codeWidth: Int) throws -> [Float] {
        let format = try q.mode.format(codeWidth: codeWidth)
        let table = try (0..<format.codeCount).map { Double(try format.decode(code: $0)) }
        return q.codes.enumerated().map { index, code in Float(q.scale(column: index % q.cols) * table[Int(code)]) }
    }

    /// Refuses modes the build does not decode (a plan or --mode that picks another type).
    func checkModes(_ p: ArrayParameters) throws {
        let act = p.activation.types, weight = p.weight.types
        for (mode, types, name, format) in [(a.mode, act, "activations", actFormat), (w.mode, weight, "weights", weightFormat)] {
            if mode.int8 ? !p.int8 : !types.contains(mode.type) {
                throw LayerRunError("the \(name) are \(format), which this \(p.rows)×\(p.cols) build does not decode (it has \(types.map(\.description).joined(separator: ","))\(p.int8 ? ",int8" : ""))")
            }
        }
    }

    /// Spec §3: K·P_max must fit W; refuses (with the minimum W) or warns under --allow-wrap.
    func checkAccumulator(_ p: ArrayParameters, allowWrap: Bool) throws {
        let model = try GoldenModel(configuration: ArrayConfiguration(
            rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, accumulatorWidth: p.accumulatorWidth,
            activationTypes: p.activation.types, weightTypes: p.weight.types, int8: p.int8))
        let product = GemmReference.maxMagnitude(model, mode: a.mode) * GemmReference.maxMagnitude(model, mode: w.mode)
        let needed = GemmReference.minimumAccumulatorWidth(maxProduct: product, k: a.cols) ?? 65
        guard needed > p.accumulatorWidth else { return }
        let line = "K = \(a.cols) with \(actFormat) × \(weightFormat) (P_max = \(product)) needs W ≥ \(needed) bits, this build has W = \(p.accumulatorWidth)"
        guard allowWrap else {
            throw LayerRunError("\(line): use --acc-width \(needed) (or --allow-wrap to accept results modulo 2^\(p.accumulatorWidth))")
        }
        FileHandle.standardError.write(Data("antgen: warning: \(line); results may wrap modulo 2^\(p.accumulatorWidth) (--allow-wrap)\n".utf8))
    }
}
