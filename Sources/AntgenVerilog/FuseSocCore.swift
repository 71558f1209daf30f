import AntgenDSL

/// A FuseSoC core description (CAPI2, `<top>.core`) of an emitted design, written next to
/// `<top>.f` by `antgen emit`, so a FuseSoC project can depend on the generated array by name.
///
/// The core has one fileset (the module files, dependencies first, top last) and these
/// targets, each with the design's top as `toplevel`:
/// - `default`: the fileset, for a parent core to pull in;
/// - `lint`: Verilator `--lint-only -Wall`;
/// - `sim`: Icarus Verilog (`-Wall`); `fusesoc run --build --target sim` is the Icarus
///   elaboration check, a full run elaborates and runs the top with no stimulus;
/// - `sim_verilator`: Verilator `--binary` (Verilator 5), the same run compiled.
///
/// The generated RTL has no Verilog parameters (every value is elaborated into it), so the
/// core's `parameters` are the integer build parameters as Verilog defines (`ANTGEN_ROWS`,
/// …) that record the configuration for a parent project; changing one does not change the
/// hardware (emit again for that).
public struct FuseSocCore: Sendable, Equatable {
    /// The core name, `vendor:library:name:version`.
    public let vlnv: String
    /// One line describing the design.
    public let description: String
    /// The Verilog files, dependencies first, the top last.
    public let files: [String]
    /// The top module.
    public let top: String
    /// Build parameters: name (a Verilog identifier) and integer value, in output order.
    public let parameters: [(name: String, value: Int)]

    public static func == (a: FuseSocCore, b: FuseSocCore) -> Bool {
        a.vlnv == b.vlnv && a.description == b.description && a.files == b.files && a.top == b.top
            && a.parameters.map(\.name) == b.parameters.map(\.name) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }

    /// The core of `design`, named `antgen:arrays:<top>:<version>`. Of `buildParameters`
    /// (e.g. a manifest's `rows`, `accumulatorWidth`) the integer ones become defines
    /// `ANTGEN_<NAME>` (camel case to upper snake case), sorted by name; the rest are
    /// listed in the description only when `summary` is nil.
    public init(design: Design, version: String, buildParameters: [String: String], summary: String? = nil) {
        top = design.top.name
        vlnv = "antgen:arrays:\(design.top.name):\(version)"
        files = design.modules.map { "\($0.name).v" }
        parameters = buildParameters.compactMap { key, value in
            Int(value).map { (name: "ANTGEN_" + Self.upperSnake(key), value: $0) }
        }.sorted { $0.name < $1.name }
        let listed = buildParameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        description = summary ?? "antgen \(design.top.circuitName): \(listed)"
    }

    /// The file name, `<top>.core`.
    public var fileName: String { "\(top).core" }

    /// `accumulatorWidth` → `ACCUMULATOR_WIDTH`, `weight_bits` → `WEIGHT_BITS`.
    static func upperSnake(_ key: String) -> String {
        var out = ""
        var previousLower = false
        for character in key {
            if character.isUppercase, previousLower { out += "_" }
            out += character == "-" ? "_" : character.uppercased()
            previousLower = character.isLowercase || character.isNumber
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// One target's lines.
    private func target(_ name: String, tool: String?, options: [String]) -> [String] {
        var lines = ["  \(name):", "    filesets: [rtl]"]
        if !parameters.isEmpty { lines.append("    parameters: [" + parameters.map(\.name).joined(separator: ", ") + "]") }
        lines.append("    toplevel: \(top)")
        if let tool {
            lines += ["    default_tool: \(tool)", "    tools:", "      \(tool):"] + options.map { "        \($0)" }
        }
        return lines
    }

    /// The CAPI2 YAML text, deterministic, ending in a newline.
    public var text: String {
        var lines = ["CAPI=2:", "# Written by antgen emit; emit again instead of editing.",
                     "name: \(vlnv)", "description: \(Self.quoted(description))", "",
                     "filesets:", "  rtl:", "    file_type: verilogSource", "    files:"]
        lines += files.map { "      - \($0)" }
        if !parameters.isEmpty {
            lines += ["", "parameters:"]
            for parameter in parameters {
                lines += ["  \(parameter.name):", "    datatype: int", "    default: \(parameter.value)",
                          "    description: \(Self.quoted("build parameter the RTL was generated for (informational)"))",
                          "    paramtype: vlogdefine"]
            }
        }
        lines += ["", "targets:"]
        lines += target("default", tool: nil, options: [])
        lines += target("lint", tool: "verilator", options: ["mode: lint-only", "verilator_options: [-Wall]"])
        lines += target("sim", tool: "icarus", options: ["iverilog_options: [-Wall]"])
        lines += target("sim_verilator", tool: "verilator", options: ["mode: binary"])
        return lines.joined(separator: "\n") + "\n"
    }
}
