import AntgenHardware
import AntgenSynth
import Foundation

/// `antgen synth --weight-format pwlq`: Yosys cost of the PWLQ array and its modules.
extension SynthCommand {
    func runPwlqSynthesis() throws {
        guard manifest == nil else { throw ParameterError(parameter: "manifest", message: "--manifest reads ANT manifests; give the PWLQ options instead") }
        let parameters = try EmitCommand.pwlqParameters(array)
        let design = try elaborateForSynthesis(PwlqArray(parameters))
        let fields = ["rows": "\(parameters.rows)", "cols": "\(parameters.cols)", "weightFormat": "pwlq",
                      "weightBits": "\(parameters.weightBits)", "accWidth": "\(parameters.accumulatorWidth)", "int8": parameters.int8 ? "on" : "off"]
        let report = try Synthesizer(tools: ToolInvocation(timeout: try checkedToolTimeout(toolTimeout))).synthesize(
            design, parameters: fields, options: SynthesisOptions(flatten: flatten, estimateFrequency: fmax))
        print(SynthesisTable(report: report, cellsPerModule: cells).text, terminator: "")
        if let json { try write(report.jsonText(), to: json) }
    }
}
