import AntgenDSL

/// A deliberate defect injected into the generated hardware, so the verification
/// harness can prove it detects real bugs (issue 5, "the harness must be able to fail").
///
/// `.none` is the default everywhere and changes nothing: no module name, parameter or
/// byte of the emitted Verilog differs from a build without mutations. Any other case
/// appends `_mutation<name>` (e.g. `_mutationpe_sign`) to the names of the modules it changes, so a mutant never
/// shares a module name (or a build cache entry) with correct hardware.
public enum HardwareMutation: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Correct hardware.
    case none
    /// `FlintDecoder` shifts the code left by one more than its leading-ones count.
    case flintWrongShift = "flint-shift"
    /// `ProcessingElement` ignores sa ⊕ sw and always adds the product.
    case peDropsSign = "pe-sign"
    /// `AntArray` delays the last row's activation stream by one cycle too many.
    case skewOffByOne = "skew"
    /// `ProcessingElement` wraps its accumulator at W − 1 bits (sign-extended to W).
    case narrowAccumulator = "acc-narrow"

    /// Every real defect (all cases but `.none`).
    public static var defects: [HardwareMutation] { allCases.filter { $0 != .none } }

    /// The command-line name (`none`, `flint-shift`, `pe-sign`, `skew`, `acc-narrow`).
    public var description: String { rawValue }

    /// The extra module parameter naming the defect; empty for `.none`.
    var nameParameters: [Parameter] {
        self == .none ? [] : [Parameter("mutation", String(rawValue.map { $0 == "-" ? "_" : $0 }))]
    }
}
