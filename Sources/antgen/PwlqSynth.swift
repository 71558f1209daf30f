import AntgenHardware
import AntgenSynth
import Foundation

/// `antgen synth --weight-format pwlq`: Yosys cost of the PWLQ array and its modules. With
/// `--psum-codec` it also synthesizes one 12-bit encoder and one decoder on their own (inside
/// the array they are combinational leaves, flattened into the PartialSumStage row).
extension SynthCommand {
    func runPwlqSynthesis() throws {
        guard manifest == nil else { throw ParameterError(parameter: "manifest", message: "--manifest reads ANT manifests; give the PWLQ options instead") }
        let parameters = try EmitCommand.pwlqParameters(array)
        let design = try elaborateForSynthesis(PwlqArray(parameters))
        let fields = ["rows": "\(parameters.rows)", "cols": "\(parameters.cols)", "weightFormat": "pwlq",
                      "weightBits": "\(parameters.weightBits)", "accWidth": "\(parameters.accumulatorWidth)", "int8": parameters.int8 ? "on" : "off"]
        let synthesizer = Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout)))
        let report = try synthesizer.synthesize(design, parameters: fields, options: SynthesisOptions(flatten: flatten, estimateFrequency: fmax))
        print(SynthesisTable(report: report, cellsPerModule: cells).text, terminator: "")
        if parameters.codec {
            print("\n12-bit partial-sum codec, one field (the stage holds one encoder and one decoder per field: 3 × cols each):")
            let w = parameters.accumulatorWidth
            for block in [try elaborateForSynthesis(PartialSumEncoder(sumWidth: w)), try elaborateForSynthesis(PartialSumDecoder(sumWidth: w))] {
                let codec = try synthesizer.synthesize(block, parameters: ["w": "\(w)"], options: SynthesisOptions(flatten: true))
                print(SynthesisTable(report: codec, cellsPerModule: false).text, terminator: "")
            }
        }
        if let json { try write(report.jsonText(), to: json) }
    }
}
