import AntgenDSL
import AntgenHardware
import AntgenVerilog
import ArgumentParser
import Foundation

/// `antgen emit`: generates the ANT systolic array (Verilog, file list, manifest).
struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Generate the ANT systolic array: one Verilog file per module, a file list and manifest.json.")

    @Option(help: "PE rows (1…128).")
    var rows: Int = 32

    @Option(help: "PE columns (1…128).")
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

    @Option(name: [.short, .customLong("output")], help: "Output directory.")
    var output: String = "rtl-out/ant_32x32"

    @Option(help: "A plan from `antgen tune --plan`: enable exactly its types and precisions and size W for it (overrides --code-width, --types, --weight-types, --acc-width, --int8).")
    var plan: String?

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

    func run() throws {
        do {
            try emit()
        } catch let error as ExitCode {
            throw error
        } catch {
            // One line per error, as the project's CLI convention asks.
            let text = "\(error)".split(separator: "\n").map { "antgen: error: \($0)" }.joined(separator: "\n")
            FileHandle.standardError.write(Data((text + "\n").utf8))
            throw ExitCode.failure
        }
    }

    private func emit() throws {
        let planMapping = try plan.map { try PlanHardwareMapping.read(atPath: $0) }
        let parameters = try planMapping.map { mapping in
            try mapping.parameters(rows: rows, cols: cols, activationTypes: try actTypes.map { try Self.parseTypes($0, option: "act-types") },
                                   maxReduction: maxK)
        } ?? ArrayParameters(
            rows: rows, cols: cols, codeWidth: codeWidth,
            activationTypes: try Self.parseTypes(actTypes ?? types, option: actTypes == nil ? "types" : "act-types"),
            weightTypes: try Self.parseTypes(weightTypes ?? types, option: weightTypes == nil ? "types" : "weight-types"),
            accumulatorWidth: accWidth, int8: int8, maxReduction: maxK)
        let design = try elaborate(AntArray(parameters))
        let directory = URL(fileURLWithPath: output)
        let backend = VerilogBackend()
        let written = try backend.write(design, to: directory)
        let manifest = ArrayManifest(parameters: parameters, top: design.top, modules: design.modules.map(\.name),
                                     version: antgenVersion, plan: planMapping.map { $0.summary(for: parameters) })
        try manifest.write(to: directory)
        let timing = ArrayTiming(rows: parameters.rows, cols: parameters.cols)
        print("antgen emit: \(parameters.rows)x\(parameters.cols) array, top \(design.top.name)")
        print("  modules: \(design.modules.count) (\(written.count - 1) Verilog files + \(design.top.name).f + manifest.json)")
        print("  ports:   \(manifest.ports.count) top-level")
        print("  latency: \(timing.firstRowLatency(termsPerBeat: 1)) cycles to the first output row, \(timing.lastRowLatency(termsPerBeat: 1)) to the last (4x4; \(ArrayTiming.firstRowFormula))")
        print("  W:       \(parameters.accumulatorWidth) bits (minimum \(parameters.minimumAccumulatorWidth) for K = \(parameters.maxReduction))")
        if let warning = parameters.accumulatorWarning {
            FileHandle.standardError.write(Data("antgen: warning: \(warning)\n".utf8))
        }
        print("wrote \(directory.path)")
    }
}
