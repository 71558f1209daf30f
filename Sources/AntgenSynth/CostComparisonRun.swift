import AntgenSupport
import Foundation

extension CostComparison {
    /// `antgen synth --compare`: runs the comparison with `synthesizer` (progress lines to
    /// standard error), writes `hardware-cost.md` and `hardware-cost.svg` into `docsFolder`
    /// and, if given, the result as JSON to `json`; prints the PE and array ratios.
    /// The document records the command line that regenerates it.
    public func runAndDocument(with synthesizer: Synthesizer, docsFolder: String, json: String?) throws {
        let result = try run(with: synthesizer) { line in
            FileHandle.standardError.write(Data("antgen synth: \(line)\n".utf8))
        }
        let chartName = "hardware-cost.svg"
        let folder = URL(fileURLWithPath: docsFolder)
        let existing = try? String(contentsOf: folder.appendingPathComponent("hardware-cost.md"), encoding: .utf8)
        let document = CostReportDocument(result: result, command: commandLine, chartFile: chartName,
                                          keptSection: existing.flatMap(CostReportDocument.keptSection(of:)))
        _ = try writeAtomically([("hardware-cost.md", document.markdown), (chartName, result.chart.svg)], to: folder)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let url = URL(fileURLWithPath: json)
            try writeAtomically(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n", to: url)
            print("wrote \(url.path)")
        }
        let ant = result.antPE.cost.nand2Equivalent, int4 = result.int4PE.cost.nand2Equivalent
        print(String(format: "ANT PE / int4 PE: %.2fx (%.1f / %.1f NAND2 eq)", ant / int4, ant, int4))
        for pair in result.arrays {
            print(String(format: "%dx%d ANT / int-only array: %.2fx (%.2fx vs the int4-PE array); decoders %.1f %% of the ANT array",
                         pair.size, pair.size, pair.ratio, pair.ratioToInt4PE, 100 * pair.ant.decoderShare))
        }
        print("wrote \(folder.appendingPathComponent("hardware-cost.md").path) and \(chartName)")
    }

    /// `antgen synth --compare` with the options that differ from the defaults: the command
    /// the document says regenerates it.
    public var commandLine: String {
        var command = "antgen synth --compare"
        if arraySizes != CostComparison.defaultArraySizes { command += " --compare-sizes \(arraySizes.map(String.init).joined(separator: ","))" }
        if accumulatorWidth != CostComparison.defaultAccumulatorWidth { command += " --acc-width \(accumulatorWidth)" }
        if estimateFrequency { command += " --fmax" }
        return command
    }
}
