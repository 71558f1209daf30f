import AntgenNumerics
import Foundation

/// `antgen quantize --mode pwlq`: the PWLQ options, checked (the run is
/// ``PwlqTensorQuantizer`` in the job loop).
extension QuantizeCommand {
    /// The PWLQ options named on the command line.
    func pwlqOptions() throws(CommandFailure) -> PwlqOptions {
        guard let tensorRole = TensorRole(rawValue: role) else {
            throw CommandFailure(message: "--role must be weight or activation, not '\(role)'")
        }
        guard let variant = PwlqVariant(rawValue: pwlqVariant) else {
            throw CommandFailure(message: "--pwlq-variant must be paper, nonoverlap or overlap, not '\(pwlqVariant)'")
        }
        guard (2 ... 8).contains(bits) else { throw CommandFailure(message: "--bits must be 2…8, not \(bits)") }
        guard !compat, scale == "alpha" else { throw CommandFailure(message: "--mode pwlq takes neither --compat nor --scale bias") }
        let rule: PwlqBreakpointRule
        if let breakpointRatio {
            rule = .fixedRatio(breakpointRatio)
        } else {
            guard let named = Self.breakpointRules[breakpoint] else {
                throw CommandFailure(message: "--breakpoint must be one of \(Self.breakpointRules.keys.sorted().joined(separator: ", ")), not '\(breakpoint)'")
            }
            rule = named
        }
        let options = PwlqOptions(bits: bits, variant: variant, breakpoint: rule, role: tensorRole, biasCorrection: biasCorrection)
        do {
            try PwlqQuantizer(options: options).validate()
        } catch {
            throw CommandFailure(message: error.description)
        }
        return options
    }

    /// `--breakpoint` names.
    static let breakpointRules: [String: PwlqBreakpointRule] = [
        "closed-form": .closedForm(.gaussian), "closed-form-laplace": .closedForm(.laplace),
        "gaussian": .bisection(.gaussian), "laplace": .bisection(.laplace), "search": .gridSearch,
    ]
}
