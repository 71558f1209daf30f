import AntgenDSL
import AntgenHardware
import AntgenSupport
import AntgenSynth
import Foundation

/// `antgen synth --mx FORMATS`: Yosys cost of the MX array per module (the MX PE, its
/// FP32 adder and rounders, the element decoders), in the same table as the ANT array.
func synthesizeMx(_ p: MxArrayParameters, flatten: Bool, fmax: Bool, cells: Bool, json: String?, timeout: Double?) throws {
    if let json { try checkWritable(json, what: "--json") }
    let design = try elaborateForSynthesis(MxArray(p))
    var fields = ["rows": "\(p.rows)", "cols": "\(p.cols)", "mx": p.formats.map(\.rawValue).joined(separator: ","),
                  "blockSize": "\(p.blockSize)", "blockSumWidth": "\(p.blockSumWidth)"]
    switch p.accumulation {
    case .float32: fields["accumulation"] = "fp32"
    case .window(let s): fields["accumulation"] = "window \(s) (\(p.windowAccumulatorWidth) b)"
    }
    let report = try Synthesizer(tools: ToolInvocation(timeout: timeout)).synthesize(design, parameters: fields,
                                                                                      options: SynthesisOptions(flatten: flatten, estimateFrequency: fmax))
    print(SynthesisTable(report: report, cellsPerModule: cells).text, terminator: "")
    if let json { try writeAtomically(report.jsonText(), to: URL(fileURLWithPath: json)) }
}
