import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSynth
import Foundation

/// `antgen synth --sdp --group G --terms T`: the SDP array's per-module table (SDP PE, its
/// MAC = the ANT PE of the same widths; the combinational selector is flattened into the
/// top there), then the SDP PE and the selector (synthesized alone) next to the PE of the
/// ANT array with the same weight types (int8 on), all from Yosys.
func synthSdp(_ array: ArrayOptions, _ options: SdpOptions, synthesizer: Synthesizer, cells: Bool) throws -> SynthesisReport {
    let weightTypes = try ArrayOptions.parseTypes(array.weightTypes ?? array.types, option: array.weightTypes == nil ? "types" : "weight-types")
    let p = try options.parameters(rows: array.rows, cols: array.cols, weightTypes: weightTypes, int8: array.int8, accWidth: array.accWidth)
    let fields = ["rows": "\(p.rows)", "cols": "\(p.cols)", "group": "\(p.group)", "terms": "\(p.terms)",
                  "weightTypes": p.weight.typeList, "weightInt8": p.weight.int8 ? "on" : "off", "accumulatorWidth": "\(p.accumulatorWidth)"]
    let report = try synthesizer.synthesize(try elaborateForSynthesis(SdpArray(p)), parameters: fields)
    print(SynthesisTable(report: report, cellsPerModule: cells).text, terminator: "")
    let antParameters = try ArrayParameters(rows: 1, cols: 1, codeWidth: 4, activationTypes: weightTypes, weightTypes: weightTypes,
                                            accumulatorWidth: p.accumulatorWidth, int8: true)
    let antPE = try synthesizer.synthesize(try elaborateForSynthesis(ProcessingElement(shape: PEShape(antParameters))))
    // The selector is combinational, so the per-module flow flattens it into the top: it is
    // synthesized on its own for its row.
    let selector = try synthesizer.synthesize(try elaborateForSynthesis(SdpSelector(group: p.group, terms: p.terms)))
    func own(_ generator: String) -> ModuleCost? { report.modules.first { $0.generator == generator }?.total }
    print("SDP blocks next to the ANT PE (\(antParameters.activation.typeList) + int8 on both operands, W = \(p.accumulatorWidth)):")
    let rows: [(String, ModuleCost?)] = [("ANT PE (ProcessingElement)", antPE.design),
                                         ("SDP PE (G-entry weight buffer + MAC)", own("SdpProcessingElement")),
                                         ("SDP selector (one per row)", selector.design)]
    for (label, cost) in rows {
        guard let cost else { continue }
        print(String(format: "  %@ %9.1f NAND2 eq, %5d flip-flops, depth %3d, %5d LUT4", label.padding(toLength: 38, withPad: " ", startingAt: 0),
                     cost.nand2Equivalent, cost.flipFlops, cost.logicDepth, cost.lut4))
    }
    return report
}
