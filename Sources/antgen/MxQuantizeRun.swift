import AntgenNumerics
import AntgenQuantize
import ArgumentParser
import Foundation

/// The options of `antgen quantize --mode mx…` (spec §5.3).
struct MxQuantizeOptions: ParsableArguments {
    @Option(name: .customLong("block-size"), help: "MX elements per block along the last axis (OCP MX v1.0: 32).")
    var blockSize: Int = 32

    @Option(name: .customLong("mx-rounding"), help: "even (round to nearest, ties to even; the spec's required mode) or away (ties away from zero, as the emulation library's default).")
    var rounding: String = "even"

    @Option(name: .customLong("mx-overflow"), help: "FP8 overflow mode: saturate (SAT) or overflow (OVF: E5M2 to ±Inf, E4M3 to NaN).")
    var overflow: String = "saturate"

    @Option(name: .customLong("mx-int8-range"), help: "symmetric (codes −127…127) or full (also 0x80 = −2.0).")
    var int8Range: String = "symmetric"

    @Option(name: .customLong("mx-compare"), help: "The ANT mode reported next to the MX result, at the MX element width.")
    var compare: String = "ant-int-pot-flint"
}

extension QuantizeCommand {
    /// `--mode mx…`, checked: the format, block size, encoding options and the ANT comparison.
    func mxQuantizer() throws(CommandFailure) -> MxTensorQuantizer {
        guard let format = MxElementFormat.allCases.first(where: { $0.modeName == mode }) else {
            let names = MxElementFormat.allCases.map(\.modeName).joined(separator: ", ")
            throw CommandFailure(message: "unknown MX mode '\(mode)' (expected one of \(names))")
        }
        let options = try mxEncodingOptions()
        guard (1 ... 1 << 20).contains(mx.blockSize) else { throw CommandFailure(message: "--block-size must be 1…1048576, not \(mx.blockSize)") }
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        let antOptions = QuantizerOptions(bits: format.bits, mode: mx.compare, role: tensorRole)
        do {
            _ = try candidateTypes(forMode: mx.compare, referenceMatching: false)
        } catch {
            throw CommandFailure(message: "--mx-compare: " + error.description)
        }
        return MxTensorQuantizer(format: format, blockSize: mx.blockSize, options: options, antOptions: antOptions)
    }

    private func mxEncodingOptions() throws(CommandFailure) -> MxEncodingOptions {
        guard let rounding = MxRounding(rawValue: mx.rounding) else {
            throw CommandFailure(message: "--mx-rounding must be even or away, not '\(mx.rounding)'")
        }
        guard let overflow = MxOverflow(rawValue: mx.overflow) else {
            throw CommandFailure(message: "--mx-overflow must be saturate or overflow, not '\(mx.overflow)'")
        }
        guard let range = MxInt8Range(rawValue: mx.int8Range) else {
            throw CommandFailure(message: "--mx-int8-range must be symmetric or full, not '\(mx.int8Range)'")
        }
        return MxEncodingOptions(rounding: rounding, overflow: overflow, int8Range: range)
    }
}
