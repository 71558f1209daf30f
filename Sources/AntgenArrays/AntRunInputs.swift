import AntgenGolden
import AntgenHardware
import AntgenNumerics
import Foundation

/// The two operands of `antgen run` as loaded from disk: float tensors (quantized by antgen)
/// or already-quantized codes with their α (taken as they are).
///
/// The codes form is what `antgen quantize --out DIR` writes for a tensor NAME:
/// `DIR/NAME.codes.npy` (uint8, the tensor's shape) and `DIR/NAME.alpha.npy` (float64: one α
/// per tensor, or one per output channel for weights); the format (e.g. `flint4s`, `int8s`)
/// comes from `--act-format` / `--weight-format` (quantize's report names it). A real value
/// is α / q_max · decode(code), q_max the format's largest positive value in units.
enum RunInputs {
    /// An operand given on the command line.
    struct Source {
        /// `--activations` / `--weights`.
        let option: String
        /// The file.
        let path: String
        /// The tensor's name in a .safetensors file.
        let tensor: String?
        /// The codes' format (codes form only).
        let format: String?

        /// True for the codes form (`*.codes.npy`).
        var isCodes: Bool { path.lowercased().hasSuffix(".codes.npy") }
    }

    /// A float operand: its 2-D shape and values (C order).
    struct FloatMatrix {
        let name: String
        let rows: Int, cols: Int
        let values: [Float]
    }

    /// A codes operand: shape, codes (C order), α per channel, format.
    struct CodeMatrix {
        let rows: Int, cols: Int
        let codes: [UInt8]
        let alphas: [Double]
        let format: NumberFormat
    }

    /// Loads a float operand; refuses anything but a 2-D tensor.
    static func loadFloat(_ source: Source) throws -> FloatMatrix {
        if let format = source.format {
            let flag = source.option == "--activations" ? "--act-format" : "--weight-format"
            throw LayerRunError("\(flag) \(format): \(source.path) holds float values, which antgen quantizes itself (--mode or --plan); \(flag) names the format of a .codes.npy input")
        }
        let named: NamedTensor
        do throws(TensorFileError) {
            if source.path.lowercased().hasSuffix(".safetensors") {
                let file = try SafetensorsFile.OpenedFile(atPath: source.path)
                guard let name = source.tensor ?? (file.names.count == 1 ? file.names[0] : nil) else {
                    let sample = file.names.prefix(4).joined(separator: ", ")
                    throw TensorFileError(path: source.path, kind: .noSuchTensor,
                                          problem: "holds \(file.names.count) tensors (\(sample)\(file.names.count > 4 ? ", …" : "")); name one with \(source.option == "--activations" ? "--act-tensor" : "--weight-tensor")")
                }
                named = try file.tensor(named: name)
            } else {
                guard source.path.lowercased().hasSuffix(".npy") else {
                    throw TensorFileError(path: source.path, kind: .unknownExtension, problem: "is neither .npy nor .safetensors")
                }
                named = try NpyFile.read(atPath: source.path)
            }
        } catch {
            throw LayerRunError("\(source.option): \(error.description)")
        }
        let shape = named.tensor.shape
        guard shape.count == 2 else {
            throw LayerRunError("\(source.option): \(source.path): tensor '\(named.name)' has shape \(named.tensor.shapeDescription); a GEMM operand must be 2-D")
        }
        let values: [Float]
        switch named.tensor.storage {
        case .float32(let v): values = v
        case .float64(let v): values = v.map(Float.init)
        }
        return FloatMatrix(name: named.name, rows: shape[0], cols: shape[1], values: values)
    }

    /// Loads a codes operand and its α file.
    static func loadCodes(_ source: Source, codeWidth: Int) throws -> CodeMatrix {
        guard let formatName = source.format else {
            throw LayerRunError("\(source.option): \(source.path) holds codes; say their format with \(source.option == "--activations" ? "--act-format" : "--weight-format") (e.g. flint4s, int8s)")
        }
        let format = try parseFormat(formatName, option: source.option == "--activations" ? "--act-format" : "--weight-format")
        let alphaPath = String(source.path.dropLast(".codes.npy".count)) + ".alpha.npy"
        do throws(TensorFileError) {
            let (shape, codes) = try NpyFile.readCodes(atPath: source.path)
            guard shape.count == 2 else {
                throw TensorFileError(path: source.path, kind: .malformedHeader, problem: "codes of shape \(shape); a GEMM operand must be 2-D")
            }
            let limit = 1 << format.bits
            if let bad = codes.firstIndex(where: { Int($0) >= limit }) {
                throw TensorFileError(path: source.path, kind: .malformedHeader,
                                      problem: "code \(codes[bad]) at element \(bad) does not fit \(format) (\(format.bits) bits)")
            }
            let alpha = try NpyFile.read(atPath: alphaPath).tensor
            guard alpha.count == 1 || alpha.count == shape[0] || alpha.count == shape[1] else {
                throw TensorFileError(path: alphaPath, kind: .malformedHeader,
                                      problem: "\(alpha.count) α values for codes of shape \(shape) (expected 1 or one per channel)")
            }
            return CodeMatrix(rows: shape[0], cols: shape[1], codes: codes, alphas: alpha.doubles, format: format)
        } catch {
            throw LayerRunError("\(source.option): \(error.description)")
        }
    }

    /// `flint4s`, `int8u`, `pot4s`, `float4s`: type, bits, signedness.
    static func parseFormat(_ text: String, option: String) throws -> NumberFormat {
        let signed: Bool
        switch text.last {
        case "s": signed = true
        case "u": signed = false
        default: throw LayerRunError("invalid \(option.dropFirst(2)): '\(text)' (expected a type, a width and s or u, e.g. flint4s, int8u)")
        }
        let body = text.dropLast()
        let digits = body.reversed().prefix { $0.isNumber }.count
        guard digits > 0, let bits = Int(body.suffix(digits)), let type = AntType(name: String(body.dropLast(digits))) else {
            throw LayerRunError("invalid \(option.dropFirst(2)): '\(text)' (expected int, flint, pot or float, a width and s or u, e.g. flint4s)")
        }
        do {
            return try NumberFormat(kind: NumberKind(type), bits: bits, signed: signed)
        } catch {
            throw LayerRunError("invalid \(option.dropFirst(2)): '\(text)': \(error)")
        }
    }

    /// The quantizer mode selecting among `types` (one name, or `ant-…`).
    static func modeString(_ types: [AntType]) -> String {
        types.count == 1 ? types[0].description : "ant-" + types.map(\.description).joined(separator: "-")
    }

    /// Quantizes A (M × K) per tensor with `mode` at `bits`.
    static func quantizeActivations(_ a: FloatMatrix, bits: Int, mode: String, codeWidth: Int) throws -> QuantizedMatrix {
        let result = try quantize(a.values, shape: [a.rows, a.cols], bits: bits, mode: mode, role: .activation, option: "--activations")
        let operand = try GemmReference.operandMode(of: result.chosenFormat, codeWidth: codeWidth)
        return try QuantizedMatrix(rows: a.rows, cols: a.cols, codes: result.codes, mode: operand,
                                   scales: [result.alphas[0] / result.chosenFormat.maxPositiveUnits])
    }

    /// Quantizes W given as N × K (one α per output channel n) and returns it as K × N.
    static func quantizeWeights(_ wNK: FloatMatrix, bits: Int, mode: String, codeWidth: Int) throws -> QuantizedMatrix {
        let result = try quantize(wNK.values, shape: [wNK.rows, wNK.cols], bits: bits, mode: mode, role: .weight, option: "--weights")
        let operand = try GemmReference.operandMode(of: result.chosenFormat, codeWidth: codeWidth)
        let n = wNK.rows, k = wNK.cols
        return try QuantizedMatrix(rows: k, cols: n, codes: transpose(result.codes, rows: n, cols: k), mode: operand,
                                   scales: result.alphas.map { $0 / result.chosenFormat.maxPositiveUnits })
    }

    private static func quantize(_ values: [Float], shape: [Int], bits: Int, mode: String, role: TensorRole,
                                 option: String) throws -> QuantizationResult {
        do {
            let tensor = try Tensor(shape: shape, float32: values)
            return try AntQuantizer(options: QuantizerOptions(bits: bits, mode: mode, role: role)).quantize(tensor)
        } catch {
            throw LayerRunError("\(option): cannot quantize: \(error)")
        }
    }

    /// The matrix `values` (rows × cols, C order) transposed.
    static func transpose<T>(_ values: [T], rows: Int, cols: Int) -> [T] {
        guard let first = values.first else { return [] }
        var out = [T](repeating: first, count: values.count)
        for r in 0..<rows {
            for c in 0..<cols { out[c * rows + r] = values[r * cols + c] }
        }
        return out
    }
}
