import AntgenArrays
import AntgenSupport
import Foundation

/// The files `compare` and `merge` write for a comparison: the markdown table, the JSON and
/// the SVG Pareto charts (PREFIX-energy.svg, PREFIX-cycles.svg and, with synthesis, PREFIX-area.svg),
/// staged and committed together so a failure leaves none of them half-written.
struct ComparisonOutputs {
    var markdown: String?
    var json: String?
    var svgPrefix: String?

    /// Refuses an unwritable target before any work starts.
    func checkTargets(withArea: Bool) throws {
        let charts = withArea ? ["energy", "cycles", "area"] : ["energy", "cycles"]
        let svgTargets = svgPrefix.map { p in charts.map { "\(p)-\($0).svg" } } ?? []
        for path in [markdown, json].compactMap({ $0 }) + svgTargets { try checkWritable(path, what: "output") }
    }

    /// Writes every requested file, then prints the markdown table.
    func write(_ result: ModelComparisonResult) throws {
        let staged = StagedFiles()
        if let markdown { try staged.write(Data(result.markdown.utf8), to: markdown) }
        if let json { try staged.write(try result.jsonData(), to: json) }
        if let svgPrefix {
            for chart in result.charts { try staged.write(Data(chart.svg.utf8), to: "\(svgPrefix)-\(chart.name).svg") }
        }
        try staged.commit()
        print(result.markdown, terminator: "")
    }
}
