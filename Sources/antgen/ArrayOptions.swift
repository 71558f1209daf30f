import AntgenHardware
import AntgenNumerics
import ArgumentParser
import Foundation

/// The array parameters `antgen emit` and `antgen synth` share, parsed the same way.
struct ArrayOptions: ParsableArguments {
    @Option(help: "PE rows (1…256).")
    var rows: Int = 32

    @Option(help: "PE columns (1…256).")
    var cols: Int = 32

    @Option(help: "Native code width in bits (2…8).")
    var codeWidth: Int = 4

    @Option(help: "ANT types both operand streams decode (comma-separated: int, flint, pot, float).")
    var types: String = "int,flint,pot"

    @Option(help: "Activation types (overrides --types).")
    var actTypes: String?

    @Option(help: "Weight types (overrides --types).")
    var weightTypes: String?

    @Option(help: "Accumulator width W in bits (2…256).")
    var accWidth: Int = 32

    @Flag(inversion: .prefixedNo, help: "int8 operands through 4-bit nibble terms.")
    var int8: Bool = true

    @Option(name: .customLong("max-k"), help: "Longest reduction K for the minimum-W check.")
    var maxK: Int = 4608

    @Flag(name: .customLong("psum-preload"), help: "A partial-sum preload queue at the outputs of the ANT (os) or PWLQ array: tiles start from preloaded W-bit partial sums (docs/architecture.md §14).")
    var psumPreload = false

    @Flag(name: .customLong("psum-codec"), help: "The partial-sum stage with the 12-bit codec: preload rows arrive as 12-bit codes and outputs also leave as codes (implies --psum-preload).")
    var psumCodec = false

    @Option(help: "A plan from `antgen tune --plan`: enable exactly its types and precisions and size W for it (overrides --code-width, --types, --weight-types, --acc-width, --int8).")
    var plan: String?

    /// True when `--psum-preload` or `--psum-codec` was given.
    var partialSums: Bool { psumPreload || psumCodec }

    /// `p` with the partial-sum stage `--psum-preload`/`--psum-codec` ask for (unchanged without).
    func withPartialSums(_ p: ArrayParameters) throws -> ArrayParameters {
        partialSums ? try p.withPartialSums(preload: psumPreload, codec: psumCodec) : p
    }

    /// Parses a comma-separated type list, naming the option on error.
    static func parseTypes(_ text: String, option: String) throws -> [AntType] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try names.map { name in
            guard let type = AntType(name: name) else {
                throw ParameterError(parameter: option, message: name.lowercased() == "apot"
                    ? "apot is quantizer-only (a sum of powers of two, not one M·2^E); the hardware decodes int, flint, pot and float"
                    : "unknown type '\(name)'; expected int, flint, pot or float")
            }
            return type
        }
    }

    /// The plan named by `--plan`, if any.
    func planMapping() throws -> PlanHardwareMapping? {
        try plan.map { try PlanHardwareMapping.read(atPath: $0) }
    }

    /// The validated parameters: from the plan when one is given, else from the options.
    func parameters() throws -> ArrayParameters { try parameters(plan: planMapping()) }

    /// The validated parameters for an already read `--plan` (nil: from the options).
    func parameters(plan: PlanHardwareMapping?) throws -> ArrayParameters {
        if let mapping = plan {
            return try mapping.parameters(rows: rows, cols: cols,
                                          activationTypes: try actTypes.map { try Self.parseTypes($0, option: "act-types") },
                                          maxReduction: maxK)
        }
        return try ArrayParameters(
            rows: rows, cols: cols, codeWidth: codeWidth,
            activationTypes: try Self.parseTypes(actTypes ?? types, option: actTypes == nil ? "types" : "act-types"),
            weightTypes: try Self.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types"),
            accumulatorWidth: accWidth, int8: int8, maxReduction: maxK)
    }
}
