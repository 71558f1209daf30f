/// The Yosys scripts of the synthesis flows, as pure text.
///
/// Both flows read every Verilog file, elaborate from `top`, and keep the hierarchy of
/// the `kept` modules (`keep_hierarchy`), flattening everything else into its parent;
/// so the per-module reports cover exactly the kept modules and the top.
public struct YosysScript: Sendable, Equatable {
    /// Verilog files, dependencies first (names relative to the run folder).
    public let files: [String]
    /// The top module.
    public let top: String
    /// Modules below the top that stay separate (reported on their own).
    public let kept: [String]

    /// Creates the script set.
    public init(files: [String], top: String, kept: [String]) {
        self.files = files
        self.top = top
        self.kept = kept
    }

    /// File written by the generic flow's `stat`.
    public static let genericStatFile = "generic-stat.txt"
    /// File written by the generic flow's `ltp -noff`.
    public static let longestPathFile = "generic-ltp.txt"
    /// File written by the ice40 flow's `stat`.
    public static let ice40StatFile = "ice40-stat.txt"

    /// Reading, elaboration and the hierarchy to keep.
    private var preamble: [String] {
        var lines = ["read_verilog " + files.joined(separator: " "), "hierarchy -check -top \(top)"]
        if !kept.isEmpty { lines.append("setattr -mod -set keep_hierarchy 1 " + kept.joined(separator: " ")) }
        return lines
    }

    /// Generic synthesis: `synth`, flip-flops legalised to `$_DFF_P_`, `abc -g` onto the
    /// fixed gate library, `stat`; then the kept submodule instances are deleted so
    /// `ltp -noff` measures each module's own logic, cut at flip-flops and at the
    /// boundaries of kept modules (which are reported on their own).
    public var generic: String {
        var lines = preamble + [
            "synth -top \(top) -flatten",
            "dfflegalize -cell $_DFF_P_ x",
            "abc -g " + GateLibrary.abcGates.joined(separator: ","),
            "opt_clean -purge",
            "tee -q -o \(Self.genericStatFile) stat",
        ]
        if !kept.isEmpty { lines.append("delete " + kept.map { "t:\($0)" }.joined(separator: " ")) }
        lines.append("tee -q -o \(Self.longestPathFile) ltp -noff")
        return lines.joined(separator: "\n") + "\n"
    }

    /// FPGA synthesis with the standard `synth_ice40` script, then `stat`.
    public var ice40: String {
        (preamble + ["synth_ice40 -top \(top)", "tee -q -o \(Self.ice40StatFile) stat"]).joined(separator: "\n") + "\n"
    }

    /// File written by an FPGA family flow's `stat` (``fpga(_:)``).
    public static let fpgaStatFile = "fpga-stat.txt"

    /// An FPGA family's synthesis (``FpgaFamily/synthesisCommand(top:)``) with the kept
    /// hierarchy, then `stat` (as text: Yosys 0.23's `stat -json` is not valid JSON for a
    /// design with a hierarchy, see ``YosysReportParser``).
    public func fpga(_ family: FpgaFamily) -> String {
        (preamble + [family.synthesisCommand(top: top), "tee -q -o \(Self.fpgaStatFile) stat"]).joined(separator: "\n") + "\n"
    }

    /// A flat `synth_ice40` netlist in JSON for nextpnr.
    public func ice40Netlist(json: String) -> String {
        let lines = ["read_verilog " + files.joined(separator: " "), "hierarchy -check -top \(top)",
                     "synth_ice40 -top \(top) -json \(json)"]
        return lines.joined(separator: "\n") + "\n"
    }
}
