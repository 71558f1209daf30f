import Foundation

/// Writes `docs/hardware-cost.md` from a ``CostComparisonResult``: the measured tables,
/// the ratios in plain words, where the ANT PE's extra area goes, the chart and the
/// exact command and Yosys version. Pure text, no timestamps: the same measurements
/// give the same bytes.
public struct CostReportDocument: Sendable {
    /// The measurements.
    public let result: CostComparisonResult
    /// The command that regenerates the document.
    public let command: String
    /// File name of the chart, relative to the document.
    public let chartFile: String
    /// A section measured by other commands (the FPGA fit table of `antgen synth --fpga`),
    /// appended as is; it starts with ``keptSectionMarker``.
    public let keptSection: String?

    /// The line that starts the kept section: from it to the end, a document's text
    /// survives `antgen synth --compare` rewriting the rest.
    public static let keptSectionMarker = "<!-- kept by antgen synth --compare: measured by antgen synth --fpga -->"

    /// Creates the document.
    public init(result: CostComparisonResult, command: String, chartFile: String, keptSection: String? = nil) {
        self.result = result
        self.command = command
        self.chartFile = chartFile
        self.keptSection = keptSection
    }

    /// The kept section of an existing document's text (from the marker line to the end), or nil.
    public static func keptSection(of text: String) -> String? {
        text.range(of: keptSectionMarker).map { String(text[$0.lowerBound...]) }
    }

    /// `12.3`.
    static func number(_ x: Double) -> String { String(format: "%.1f", x) }
    /// `1.23×`.
    static func ratio(_ x: Double) -> String { String(format: "%.2f×", x) }
    /// `12.3 %`.
    static func percent(_ x: Double) -> String { String(format: "%.1f %%", 100 * x) }

    /// The Markdown text.
    public var markdown: String {
        [header, summary, peSection, areaSection, decoderSection, arraySection, frequencySection, methodSection, keptSection ?? ""]
            .filter { !$0.isEmpty }.joined(separator: "\n")
    }

    private var header: String {
        """
        # Hardware cost: what ANT's flexibility costs over an int-only array

        Measured by Yosys on the Verilog that `antgen` generates; nothing here is estimated by hand.
        All blocks use 4-bit codes and a \(result.accumulatorWidth)-bit accumulator.

        - Regenerate: `\(command)` (`make cost-report`)
        - Tool: \(result.yosysVersion)

        ![NAND2-equivalent area of PEs, decoders and arrays (per PE)](\(chartFile))

        """
    }

    private var summary: String {
        let int4 = result.int4PE.cost, ant = result.antPE.cost
        let measures = [
            ("NAND2 equivalents", ant.nand2Equivalent / int4.nand2Equivalent, Self.number(ant.nand2Equivalent), Self.number(int4.nand2Equivalent)),
            ("combinational gates", Double(ant.gates) / Double(max(int4.gates, 1)), "\(ant.gates)", "\(int4.gates)"),
            ("iCE40 LUT4s", Double(ant.lut4) / Double(max(int4.lut4, 1)), "\(ant.lut4)", "\(int4.lut4)"),
        ]
        var lines = ["## The answer", ""]
        lines.append("- **ANT PE / int4 PE = " + measures.map { "\(Self.ratio($0.1)) in \($0.0) (\($0.2) vs \($0.3))" }.joined(separator: ", ") + "**.")
        if let int8 = result.nativeInt8PE?.cost {
            lines.append("- For scale: a native int8 PE (8 × 8 multiplier, no shifter; not what antgen builds) is \(Self.number(int8.nand2Equivalent)) NAND2 eq and \(int8.lut4) LUT4s, \(Self.ratio(int8.nand2Equivalent / int4.nand2Equivalent)) the int4 PE; the ANT PE is \(Self.ratio(ant.nand2Equivalent / int8.nand2Equivalent)) of it in NAND2 equivalents and \(Self.ratio(Double(ant.lut4) / Double(max(int8.lut4, 1)))) in LUT4s.")
        }
        for pair in result.arrays {
            let lut = Double(pair.ant.cost.lut4) / Double(max(pair.intOnly.cost.lut4, 1))
            lines.append("- **ANT \(pair.size)×\(pair.size) array / int-only array = \(Self.ratio(pair.ratio))** in NAND2 equivalents (\(Self.ratio(pair.ratioToInt4PE)) against the int-only array priced with the no-shifter int4 PE), \(Self.ratio(lut)) in iCE40 LUT4s; the boundary decoders are \(Self.percent(pair.ant.decoderShare)) of the ANT array.")
        }
        lines.append("")
        let over = measures.filter { $0.1 > 1.5 }
        if over.isEmpty {
            lines.append("The ANT PE is within 1.5× of the int4 PE by every measure here.")
        } else {
            let flipFlopWeight = GateLibrary.nand2Weights[GateLibrary.flipFlopCell] ?? 0
            let ffShare = Double(int4.flipFlops) * flipFlopWeight / int4.nand2Equivalent
            let extra = ant.nand2Equivalent - int4.nand2Equivalent
            let logicShare = extra > 0 ? (extra - Double(ant.flipFlops - int4.flipFlops) * flipFlopWeight) / extra : 0
            lines.append("**The ANT PE is more than 1.5× the int4 PE in " + over.map { "\($0.0) (\(Self.ratio($0.1)))" }.joined(separator: " and ") + ".** "
                + "ANT's adaptivity is not free inside the PE: every PE pays for the exponent path (see \"Where the ANT PE's extra area goes\"). "
                + "The NAND2 ratio is lower because flip-flops, nearly the same in both PEs, are \(Self.percent(ffShare)) of the int4 PE's NAND2 estimate; "
                + "combinational logic, which is all an FPGA's LUTs count, carries \(Self.percent(logicShare)) of the difference.")
        }
        let shares = result.arrays.map { $0.ant.decoderShare }
        if shares.count > 1, let first = result.arrays.first, let last = result.arrays.last {
            let falling = zip(shares, shares.dropFirst()).allSatisfy { $0 > $1 }
            lines.append("")
            lines.append("The boundary decoders' share of the ANT array \(falling ? "falls" : "does not fall steadily") from \(Self.percent(first.ant.decoderShare)) (\(first.size)×\(first.size)) to \(Self.percent(last.ant.decoderShare)) (\(last.size)×\(last.size)): they are amortised over rows and columns. The PEs (\(Self.percent(last.ant.peShare)) of the \(last.size)×\(last.size) ANT array) set the array ratio; the rest is mostly skew and deskew registers, alike in both arrays. At \(last.size)×\(last.size): \(Self.ratio(last.ratioToInt4PE)) against the int4-PE array and \(Self.ratio(last.ratio)) against the emitted int-only array, for PE ratios of \(Self.ratio(result.antPE.cost.nand2Equivalent / result.int4PE.cost.nand2Equivalent)) and \(Self.ratio(result.antPE.cost.nand2Equivalent / (result.processingElement(CostComparison.emittedIntPELabel) ?? result.int4PE).cost.nand2Equivalent)).")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func row(_ block: MeasuredBlock, baseline: ModuleCost) -> String {
        let c = block.cost
        return "| \(block.label) | `\(block.module)` | \(c.gates) | \(c.flipFlops) | \(Self.number(c.nand2Equivalent)) | \(Self.ratio(c.nand2Equivalent / baseline.nand2Equivalent)) | \(c.logicDepth) | \(c.lut4) | \(c.carry) | \(c.ice40FlipFlops) |"
    }

    private static let blockHeader = """
        | block | module | gates | FFs | NAND2 eq | × int4 PE | depth | LUT4 | carry | iCE40 FFs |
        |---|---|---:|---:|---:|---:|---:|---:|---:|---:|
        """

    private var peSection: String {
        let baseline = result.int4PE.cost
        return (["## Processing elements", "", Self.blockHeader] + result.processingElements.map { row($0, baseline: baseline) }
                + ["", "Rows that name the same module are the same hardware: the decoded widths (M = 4 b, and E = 4 b once pot is enabled) already cover int8 and float, so neither adds anything to the PE.", ""])
            .joined(separator: "\n")
    }

    private var areaSection: String {
        guard let int8PE = result.processingElement(CostComparison.int8CapablePELabel)?.cost,
              let intFlint = result.processingElement(CostComparison.intFlintPELabel)?.cost else { return "" }
        let int4 = result.int4PE.cost, ant = result.antPE.cost
        let extra = ant.nand2Equivalent - int4.nand2Equivalent
        let ffExtra = Double(ant.flipFlops - int4.flipFlops) * (GateLibrary.nand2Weights[GateLibrary.flipFlopCell] ?? 0)
        let logicExtra = extra - ffExtra
        return """
        ## Where the ANT PE's extra area goes

        The ANT PE is \(Self.number(extra)) NAND2 equivalents larger than the int4 PE (\(Self.percent(extra / int4.nand2Equivalent)) more).
        Both PEs share the 4 × 4 multiplier, the conditional negate, the \(result.accumulatorWidth)-bit accumulator, the result buffer
        and the drain chain. The difference is the exponent path, which the int4 PE does not have:

        - **Exponent pass-through registers:** \(ant.flipFlops - int4.flipFlops) more flip-flops (the activation and weight E travel to the
          neighbouring PEs), \(Self.number(ffExtra)) NAND2 eq.
        - **Shift adder and barrel shifter:** the remaining \(Self.number(logicExtra)) NAND2 eq (\(ant.gates - int4.gates) more gates).
          The 8-bit product is shifted by Ea + Ew into the \(result.accumulatorWidth)-bit datapath; the shifter is 5 stages deep because
          pot's E reaches 14 at 4 bits (Ea + Ew ≤ 28). Logic depth grows from \(int4.logicDepth) to \(ant.logicDepth) gates.
        - **What pot costs:** the int/flint PE (E ≤ 4, shift ≤ 8) is \(Self.number(intFlint.nand2Equivalent)) NAND2 eq, so pot's wide
          exponent accounts for \(Self.number(ant.nand2Equivalent - intFlint.nand2Equivalent)) of the \(Self.number(extra)). The int8-capable
          PE has the same 3-bit exponent and the same cost (\(Self.number(int8PE.nand2Equivalent))): temporal int8 needs a shifter too.

        Where to save, if this matters for a target: only unsigned pot codes 9–15 (E = 8 … 14) need the fourth exponent bit; capping
        pot at E ≤ 7 gives exactly the int/flint PE above (the quantizer would lose those codes). A narrower W shrinks the shifter,
        the negate and the accumulator together. Neither is done here: the numbers above are the generator as it is.

        """
    }

    private var decoderSection: String {
        let lines = result.decoders.map { d in
            "| \(d.label) | `\(d.module)` | \(d.cost.gates) | \(Self.number(d.cost.nand2Equivalent)) | \(d.cost.logicDepth) | \(d.cost.lut4) |"
        }
        return (["## Decoders", "", "| decoder | module | gates | NAND2 eq | depth | LUT4 |", "|---|---|---:|---:|---:|---:|"] + lines
                + ["", "One unified decoder sits on each row and each column (2·n for an n × n array), not in the PEs.", ""])
            .joined(separator: "\n")
    }

    private var arraySection: String {
        var lines = ["## Arrays: int-only against ANT", "",
                     "| array | NAND2 eq | FFs | depth | LUT4 | carry | iCE40 FFs | decoders | decoder share | PE share | ANT / int |",
                     "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for pair in result.arrays {
            for (name, m) in [("int-only", pair.intOnly), ("ANT", pair.ant)] {
                let c = m.cost
                let ratio = name == "ANT" ? Self.ratio(pair.ratio) : "1.00×"
                lines.append("| \(pair.size)×\(pair.size) \(name) | \(Self.number(c.nand2Equivalent)) | \(c.flipFlops) | \(c.logicDepth) | \(c.lut4) | \(c.carry) | \(c.ice40FlipFlops) | \(m.decoderCount) | \(Self.percent(m.decoderShare)) | \(Self.percent(m.peShare)) | \(ratio) |")
            }
            lines.append("| \(pair.size)×\(pair.size) int-only, int4 PE | \(Self.number(pair.intOnlyWithInt4PE.nand2Equivalent)) | \(pair.intOnlyWithInt4PE.flipFlops) | | | | | | | | ANT: \(Self.ratio(pair.ratioToInt4PE)) |")
        }
        lines += ["", "The decoders are amortised over a whole row or column, so their share of the array falls as it grows; the PEs",
                  "(n² of them) set the ratio. The rest of an array is the input stage and the skew and deskew registers. \"int-only, int4 PE\" replaces every emitted int PE (1-bit E ports, a small shifter) by",
                  "the no-shifter int4 PE: the fairest int4 baseline, and the larger ratio.", ""]
        return lines.joined(separator: "\n")
    }

    private var frequencySection: String {
        guard !result.frequencies.isEmpty else { return "" }
        let lines = result.frequencies.map { "| \($0.label) | \($0.estimate.device)-\($0.estimate.package) | \(String(format: "%.2f", $0.estimate.megahertz)) MHz |" }
        return (["## iCE40 place and route (nextpnr-ice40, seed 1)", "", "| design | device | max frequency |", "|---|---|---:|"]
                + lines + ["", "2 × 2 arrays fit the device's I/O pins (pins are placed automatically, so this is an estimate of the logic, not of a board design).", ""])
            .joined(separator: "\n")
    }

    private var methodSection: String {
        let weights = GateLibrary.nand2Weights.sorted { $0.key < $1.key }.map { "`\($0.key)` \($0.value)" }.joined(separator: ", ")
        return """
        ## Method

        - **Generic gates:** `synth -top … -flatten` (reported modules kept with `keep_hierarchy`), `dfflegalize -cell $_DFF_P_ x`
          (enables and resets become gates), `abc -g \(GateLibrary.abcGates.joined(separator: ","))`, `stat`. NAND2-equivalent weights
          (area relative to NAND2, rounded from NanGate 45 nm X1 cells): \(weights).
        - **Logic depth:** `ltp -noff`, the longest combinational path in cells, cut at flip-flops and module boundaries; a design's depth is
          the deepest of its modules. The cuts lose little here: PE outputs are registers, PE inputs come from a neighbour's registers or
          the skew registers (the column's `drain_start` through one AND gate), and each decoder sits between two registers.
        - **FPGA:** `synth_ice40` with the same kept hierarchy; LUT4 = `SB_LUT4`, carry = `SB_CARRY`, FFs = `SB_DFF*`.
        - **Hierarchy:** each distinct module is synthesized once and totals are added up per instance, so logic is not optimised across
          module boundaries (the int-only array keeps its constant-zero exponent skew registers). The int4 PE is the exception: it is the
          generator's int-only PE with its exponent inputs tied to zero, synthesized flat, so Yosys removes the shifter.
        - The same module can come out a few gates apart in different designs (ABC's result depends on the order of its input
          netlist); within one design every copy of a module has the same cost, and repeated runs give identical numbers.
        - Cell counts are parsed from Yosys's text `stat`: Yosys 0.23's `stat -json` is not valid JSON for a module selection and drops
          duplicate cell-type entries.

        """
    }
}
