import Foundation

extension FpIntCostComparison {
    /// The comparison as markdown: assumptions, the baseline lane's blocks, the design ×
    /// precision table, the ratios next to the paper's claims, and what is missing.
    public func markdown() -> String {
        let a = assumptions
        var lines = ["# FP-on-INT cost: TOPS/mm² and TOPS/W against a typical mixed-precision baseline", ""]
        lines += ["Assumptions:", "",
                  "- same throughput: both designs have N = \(a.lanes) lanes and run at the same clock, so both do \(a.lanes) INT4 MACs per cycle; the baseline does every precision at 1 MAC per lane per cycle on its own unit, fpint at N / passes",
                  "- clock \(format(a.clockGigahertz)) GHz for both (absolute TOPS/mm² only; the ratios do not depend on it); logic depth is reported as the timing proxy",
                  "- area: NAND2 equivalents × \(format(a.nand2SquareMicrons)) µm² (NanGate 45 nm NAND2_X1), no placement or wiring overhead",
                  "- energy: activity \(format(a.activityFactor)) × Σ cell transition energies of the switching block per cycle (NanGate 45 nm table); baseline: only the active unit and the lane's own cells switch (operand isolation, accumulator enables); fpint: every cell switches on every pass",
                  "- \(format(a.opsPerMac)) operations per MAC; TOPS/W = ops per pJ",
                  "- fpint FP passes charged with a second-window rate of \(format(a.secondWindowRate)) (FP16 9 · (1 + r), BF16 4 · (1 + r))", ""]
        lines += ["## Baseline lane blocks", "", "| block | NAND2 eq | flip-flops | fJ (all cells once) | logic depth |", "|---|---|---|---|---|"]
        for b in [baselineLane.int4, baselineLane.int8, baselineLane.float, baselineLane.glue, baselineLane.lane] {
            lines.append("| \(b.label) | \(format(b.nand2, 1)) | \(b.flipFlops) | \(format(b.femtojoulesAllCells, 1)) | \(b.logicDepth) |")
        }
        for side in fpint {
            lines.append("| \(side.design): \(side.block.label) | \(format(side.block.nand2, 1)) | \(side.block.flipFlops) | \(format(side.block.femtojoulesAllCells, 1)) | \(side.block.logicDepth) |")
        }
        lines += ["", "## Designs × precisions", "",
                  "| design | precision | MACs/cycle | NAND2 eq | pJ/MAC | TOPS/mm² | TOPS/W | logic depth |", "|---|---|---|---|---|---|---|---|"]
        for r in rows {
            lines.append("| \(r.design) | \(r.precision.label) | \(format(r.macsPerCycle, 3)) | \(format(r.nand2, 0)) | \(format(r.picojoulesPerMac, 4)) | \(format(r.topsPerSquareMillimetre, 3)) | \(format(r.topsPerWatt, 2)) | \(r.logicDepth) |")
        }
        lines += ["", "## fpint against the baseline, next to the paper", ""]
        if ratios.isEmpty {
            lines.append("No fpint unit was given: the ratios need its synthesized cells.")
        } else {
            lines += ["| fpint | precision | against | TOPS/mm² gain | paper | TOPS/W gain | paper |", "|---|---|---|---|---|---|---|"]
            for r in ratios {
                lines.append("| \(r.fpint) | \(r.precision.label) | \(r.baseline) | \(percent(r.areaEfficiencyGain)) | \(percent(r.paperAreaGain)) | \(percent(r.energyEfficiencyGain)) | \(percent(r.paperEnergyGain)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as pretty-printed JSON with sorted keys.
    /// - Throws: an encoding error (none for finite numbers).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    private func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
    private func percent(_ x: Double) -> String { String(format: "%+.0f %%", x * 100) }
}
