import AntgenNumerics
import AntgenQuantize
import ArgumentParser
import Foundation

/// `antgen quantize`: runs the ANT reference quantizer on .npy / .safetensors tensors and
/// prints, per tensor, the chosen type, every candidate's MSE, the relative error and the
/// α range.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize tensors with ANT adaptive types and report the error of every candidate.",
        discussion: """
        FILE is a .npy (float16/32/64, C order) or .safetensors (F16, BF16, F32, F64) file.

        Weights get one α per output channel (first axis) and are signed; activations get one α \
        per tensor and are signed only if they contain a negative value. Above 6 bits the type is \
        always int. --out writes <name>.dequantized.npy, <name>.codes.npy (uint8) and \
        <name>.alpha.npy (float64, per channel) for every tensor, and with --scale bias also \
        <name>.bias.npy (the bias per channel: a code of q units means q · 2^−bias).

        --mode pwlq runs piecewise-linear quantization (docs/numeric-formats.md §7) and reports \
        its MSE next to b-bit uniform and the ANT types; --out then writes <name>.codes.npy \
        (sign-magnitude, uint8), <name>.region.npy (uint8), <name>.range.npy and \
        <name>.breakpoint.npy (float64 per channel), with --bias-correction also \
        <name>.bias-shift.npy and <name>.bias-scale.npy.
        """
    )

    @Argument(help: "Tensor files (.npy or .safetensors).")
    var files: [String]

    @OptionGroup var sdpOptions: SdpQuantizeOptions

    @Option(help: "Code width in bits (2…8).")
    var bits: Int = 4

    @Option(name: .customLong("mode"), help: "ant-<types> for adaptive selection among int, flint, pot, float, float1…float4, apot; or one type name; or pwlq, sdp, mxfp4 … (any case).")
    var modeName: String = "ant-int-pot-flint"

    /// `--mode`, lower-cased (the help's headings spell MX modes MXFP4 …).
    var mode: String { modeName.lowercased() }

    @Option(help: "weight (signed, per-channel α) or activation (per-tensor α).")
    var role: String = "weight"

    @Option(help: "alpha (free α: ANT's clip search) or bias (power-of-two scale: libnumber's bias, searched per channel; exact arithmetic only).")
    var scale: String = "alpha"

    @Flag(help: "Emulate the reference's float32 arithmetic (and its selection quirks) instead of exact arithmetic.")
    var compat = false

    @Option(help: "Write the report as JSON to this file.")
    var json: String?

    @Option(help: "Write dequantised tensors, codes and α as .npy files into this directory.")
    var out: String?

    @Option(help: "Only these tensors (comma-separated names; an .npy file's tensor is named after the file).")
    var tensors: String?

    @Option(help: "PWLQ breakpoint rule (--mode pwlq): closed-form (Gaussian fit, the default), closed-form-laplace, gaussian or laplace (bisection), search (grid search).")
    var breakpoint: String = "closed-form"

    @Option(name: .customLong("pwlq-variant"), help: "PWLQ quantizer (--mode pwlq): paper (eq. 3), nonoverlap (released pw-2) or overlap (released pw-1).")
    var pwlqVariant: String = "paper"

    @Option(name: .customLong("breakpoint-ratio"), help: "PWLQ: a fixed breakpoint p = ratio · max|x| for every channel, ratio in (0, 1) (overrides --breakpoint).")
    var breakpointRatio: Double?

    @Flag(name: .customLong("bias-correction"), help: "PWLQ: apply the per-channel bias correction (q + Δμ)·ρ.")
    var biasCorrection = false
    @OptionGroup(title: "MX modes (--mode mxfp4|mxfp6e2m3|mxfp6e3m2|mxfp8e4m3|mxfp8e5m2|mxint8)")
    var mx: MxQuantizeOptions

    func run() throws {
        try reportingErrors { () throws(CommandFailure) in try checkModeOptions() }
        if mode == "sdp" {
            return try reportingErrors {
                try quantizeSdp(files: files, tensors: tensors, group: sdpOptions.group, terms: sdpOptions.terms,
                                layerWeights: sdpOptions.layerWeights, sweep: sdpOptions.sweep)
            }
        }
        try reportingErrors(execute)
    }

    /// A failure already phrased for the user.
    typealias CommandFailure = QuantizeFailure

    /// The files, selection and outputs of this run (the job loop of every mode).
    var jobs: QuantizeRun { QuantizeRun(files: files, tensors: tensors, out: out, json: json) }

    private func execute() throws(CommandFailure) {
        if mode == "pwlq" { return try jobs.run(PwlqTensorQuantizer(options: try pwlqOptions())) }
        if mode.hasPrefix("mx") { return try jobs.run(try mxQuantizer()) }
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        guard let scaleKind = ScaleKind(rawValue: scale) else {
            throw CommandFailure(message: "--scale must be alpha or bias, not '\(scale)'")
        }
        guard !(compat && scaleKind == .bias) else { throw CommandFailure(message: QuantizerError.biasNeedsExactArithmetic.description) }
        let options = QuantizerOptions(bits: bits, mode: mode, role: tensorRole, arithmetic: compat ? .compat : .exact, scale: scaleKind)
        guard (2 ... 8).contains(bits) else { throw CommandFailure(message: "--bits must be 2…8, not \(bits)") }
        do {
            _ = try candidateTypes(forMode: mode, referenceMatching: compat)
        } catch {
            guard mode.hasPrefix("ant-") else { throw CommandFailure(message: "invalid mode '\(modeName)': expected \(Self.modeList)") }
            throw CommandFailure(message: error.description)
        }
        try jobs.run(AntTensorQuantizer(options: options))
    }
}
