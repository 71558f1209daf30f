import AntgenNumerics
import Foundation

/// The markdown tables `antgen pwlq-report` prints (docs/pwlq.md quotes them).
public enum PwlqReportTables {
    private static func e(_ x: Double) -> String { x.isFinite ? String(format: "%.3e", x) : "—" }
    /// A figure; an SQNR of +∞ (no error) is "exact", anything else undefined is "—" (never inf or NaN).
    private static func f(_ x: Double, _ digits: Int = 3) -> String {
        x.isFinite ? String(format: "%.\(digits)f", x) : x == .infinity ? "exact" : "—"
    }

    /// Per tensor: uniform, PWLQ closed form and search, ANT (MSE and ratio to uniform), and
    /// a closing line counting the tensors where PWLQ beats uniform.
    public static func tensors(_ rows: [PwlqTensorComparison], bits b: Int) -> String {
        var lines = [
            "| tensor | shape | uniform\(b) MSE | PWLQ\(b) closed form MSE (× uniform) | PWLQ\(b) search MSE (× uniform) | ANT\(b) adaptive MSE (× uniform) | uniform\(b + 1) MSE (× uniform) | centre % (closed form) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in rows {
            let u = r.uniformMSE
            func cell(_ x: Double) -> String { u > 0 && x.isFinite && u.isFinite ? "\(e(x)) (\(f(x / u)))" : e(x) }
            lines.append("| \(r.name) | \(r.shape.map(String.init).joined(separator: "×")) | \(e(u)) | \(cell(r.closedFormMSE)) | \(cell(r.searchMSE)) | \(cell(r.antMSE)) \(r.antChosen) | \(cell(r.uniformWiderMSE)) | \(f(100 * r.closedFormCentreFraction, 1)) |")
        }
        let closed = rows.filter { $0.closedFormMSE < $0.uniformMSE }.count
        let search = rows.filter { $0.searchMSE < $0.uniformMSE }.count
        let ant = rows.filter { $0.closedFormMSE < $0.antMSE }.count
        let wider = rows.filter { $0.closedFormMSE < $0.uniformWiderMSE }.count
        let ratios = rows.filter { $0.uniformMSE > 0 }
        func range(_ key: (PwlqTensorComparison) -> Double) -> String {
            let values = ratios.map { key($0) / $0.uniformMSE }.filter(\.isFinite)
            guard let low = values.min(), let high = values.max() else { return "—" }
            return "\(f(low))–\(f(high))"
        }
        lines.append("")
        if b >= 8 { lines.append("uniform\(b + 1): — (the uniform baseline is defined for 2…8 bits).") }
        if ratios.count < rows.count { lines.append("× uniform: — for \(rows.count - ratios.count) tensor(s) whose uniform\(b) MSE is 0 (all-zero or exactly representable).") }
        lines.append("PWLQ\(b) below uniform\(b): closed form \(closed) of \(rows.count) tensors (× uniform \(range(\.closedFormMSE))), search \(search) of \(rows.count) (\(range(\.searchMSE))); closed form below ANT\(b): \(ant) of \(rows.count); below uniform\(b + 1) (the same \(b + 1) stored bits): \(wider) of \(rows.count) (\(range(\.uniformWiderMSE)) × uniform\(b)).")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The layer's output SQNR per weight scheme.
    public static func schemes(_ rows: [PwlqLayerScheme], layer: PwlqLayer, name: String) -> String {
        var lines = [
            "\(name): X [\(layer.tokens), \(layer.reduction)] · W [\(layer.outputs), \(layer.reduction)]ᵀ, activations int\(layer.activationBits) symmetric per tensor (s_x = max|x|/\((1 << (layer.activationBits - 1)) - 1))",
            "",
            "| weights | weight MSE | output SQNR, int\(layer.activationBits) activations (dB) | output SQNR, float activations (dB) |",
            "|---|---|---|---|",
        ]
        for r in rows { lines.append("| \(r.scheme) | \(e(r.weightMSE)) | \(f(r.sqnr, 2)) | \(f(r.sqnrFloatActivations, 2)) |") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The K splits next to the quantization error, and the codec bound check.
    public static func splits(_ rows: [PwlqPassSplit], quantizationSQNR: Double, layer: PwlqLayer, bits b: Int) -> String {
        let quantization = pow(10, -quantizationSQNR / 20)
        var lines = [
            "K = \(layer.reduction) split into P passes, PWLQ\(b) closed form × int\(layer.activationBits), three W = 32-bit sums per output; 12-bit codes between passes (PartialSumCodec)",
            "quantization error itself (exact 32-bit sums vs float): ‖Y − Y_float‖/‖Y_float‖ ≈ \(e(quantization)) (SQNR \(f(quantizationSQNR, 2)) dB)",
            "",
            "| P | ‖Y_P − Y_exact‖/‖Y_exact‖ | … last pass also 12-bit | SQNR vs float (dB) | encodings (exact) | max \\|err\\|/\\|S\\| (bound 2^−7 = 0.0078) | max err / bound | over bound | largest \\|S\\| | psum bytes 32-bit | psum bytes 12-bit |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in rows {
            lines.append("| \(r.passes) | \(e(r.relativeError)) | \(e(r.finalEncodedRelativeError)) | \(f(r.sqnr, 2)) | \(r.encodings) (\(r.exactEncodings)) | \(String(format: "%.5f", r.maxRelativeCodecError)) | \(f(r.maxBoundFraction)) | \(r.boundViolations) | \(r.largestEncodedMagnitude) | \(r.bytesExact) | \(r.bytesCoded) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
