import AntgenNumerics
import Foundation

/// Which `antgen quantize` options each mode takes. An option given (a value other than its
/// default) to a mode that does not take it is refused in one line naming both, never ignored.
enum QuantizeModeKind: String, CaseIterable {
    case ant, pwlq, sdp, mx

    /// The kind of a `--mode` value (already lower-cased).
    init(mode: String) {
        if mode == "pwlq" { self = .pwlq } else if mode == "sdp" { self = .sdp } else if mode.hasPrefix("mx") { self = .mx } else { self = .ant }
    }

    /// How the help names the modes of this kind.
    var label: String {
        switch self {
        case .ant: return "ant-… (or a type name)"
        case .pwlq: return "pwlq"
        case .sdp: return "sdp"
        case .mx: return "mx…"
        }
    }
}

extension QuantizeCommand {
    /// Every mode-specific option: its flag, whether it was given, and the modes that take it.
    var modeOptions: [(flag: String, given: Bool, modes: Set<QuantizeModeKind>)] {
        [("--bits", bits != 4, [.ant, .pwlq]), ("--role", role != "weight", [.ant, .pwlq, .mx]),
         ("--scale", scale != "alpha", [.ant]), ("--compat", compat, [.ant]),
         ("--json", json != nil, [.ant, .pwlq, .mx]), ("--out", out != nil, [.ant, .pwlq, .mx]),
         ("--breakpoint", breakpoint != "closed-form", [.pwlq]), ("--pwlq-variant", pwlqVariant != "paper", [.pwlq]),
         ("--breakpoint-ratio", breakpointRatio != nil, [.pwlq]), ("--bias-correction", biasCorrection, [.pwlq]),
         ("--group", sdpOptions.group != 8, [.sdp]), ("--terms", sdpOptions.terms != nil, [.sdp]),
         ("--layer-weights", sdpOptions.layerWeights != nil, [.sdp]), ("--sweep", sdpOptions.sweep, [.sdp]),
         ("--block-size", mx.blockSize != 32, [.mx]), ("--mx-rounding", mx.rounding != "even", [.mx]),
         ("--mx-overflow", mx.overflow != "saturate", [.mx]), ("--mx-int8-range", mx.int8Range != "symmetric", [.mx]),
         ("--mx-compare", mx.compare != "ant-int-pot-flint", [.mx])]
    }

    /// Refuses an option the chosen mode does not take, and `--sweep` without `--layer-weights`.
    func checkModeOptions() throws(CommandFailure) {
        let kind = QuantizeModeKind(mode: mode)
        if let option = modeOptions.first(where: { $0.given && !$0.modes.contains(kind) }) {
            let owners = QuantizeModeKind.allCases.filter { option.modes.contains($0) }.map { "--mode " + $0.label }
            throw CommandFailure(message: "\(option.flag) is not an option of --mode \(mode) (it is for \(owners.joined(separator: ", ")))")
        }
        if kind == .mx, mx.overflow != "saturate", !["mxfp8e4m3", "mxfp8e5m2"].contains(mode) {
            throw CommandFailure(message: "--mx-overflow is not an option of --mode \(mode) (it is for the FP8 modes mxfp8e4m3, mxfp8e5m2)")
        }
        if kind == .mx, mx.int8Range != "symmetric", mode != "mxint8" {
            throw CommandFailure(message: "--mx-int8-range is not an option of --mode \(mode) (it is for --mode mxint8)")
        }
        if kind == .sdp, sdpOptions.sweep, sdpOptions.layerWeights == nil {
            throw CommandFailure(message: "--sweep compares layer outputs: it needs --layer-weights W.safetensors")
        }
    }

    /// The modes `--mode` takes, for an error about an unknown one.
    static var modeList: String {
        "ant-<types> (e.g. ant-int-pot-flint), a type name (int, flint, pot, float, float1…float4, apot), pwlq, sdp, or an MX mode ("
            + MxElementFormat.allCases.map(\.modeName).joined(separator: ", ") + ")"
    }
}
