import Foundation

/// One bar of the chart: stacked segments, drawn left to right.
public struct ChartBar: Sendable {
    /// The text left of the bar.
    public let label: String
    /// (value, colour) pairs.
    public let segments: [(value: Double, color: String)]

    /// Creates a bar.
    public init(label: String, segments: [(value: Double, color: String)]) {
        self.label = label
        self.segments = segments
    }

    /// The bar's full length in data units.
    public var total: Double { segments.reduce(0) { $0 + $1.value } }
}

/// A titled group of bars sharing the chart's scale.
public struct ChartSection: Sendable {
    /// Heading above the bars.
    public let title: String
    /// The bars.
    public let bars: [ChartBar]

    /// Creates a section.
    public init(title: String, bars: [ChartBar]) {
        self.title = title
        self.bars = bars
    }
}

/// A horizontal stacked bar chart as standalone SVG, every coordinate an integer or
/// fixed to one decimal, so the same data always gives the same bytes.
public struct CostBarChart: Sendable {
    /// Chart title.
    public let title: String
    /// Sections, top to bottom.
    public let sections: [ChartSection]
    /// (colour, meaning) entries of the legend.
    public let legend: [(color: String, text: String)]

    /// Creates the chart.
    public init(title: String, sections: [ChartSection], legend: [(color: String, text: String)]) {
        self.title = title
        self.sections = sections
        self.legend = legend
    }

    private static let width = 820, labelWidth = 340, barWidth = 380, rowHeight = 20, headingHeight = 28

    /// Escapes text for XML.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The SVG document.
    public var svg: String {
        let maximum = max(sections.flatMap(\.bars).map(\.total).max() ?? 1, 1e-9)
        var body: [String] = []
        var y = 40
        body.append("<text x=\"10\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(Self.escape(title))</text>")
        for section in sections {
            y += Self.headingHeight
            body.append("<text x=\"10\" y=\"\(y - 8)\" font-size=\"13\" font-weight=\"bold\">\(Self.escape(section.title))</text>")
            for bar in section.bars {
                body.append("<text x=\"\(Self.labelWidth - 6)\" y=\"\(y + 14)\" font-size=\"11\" text-anchor=\"end\">\(Self.escape(bar.label))</text>")
                var x = Double(Self.labelWidth)
                for segment in bar.segments where segment.value > 0 {
                    let length = segment.value / maximum * Double(Self.barWidth)
                    body.append(String(format: "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" ", x, y + 3, length, Self.rowHeight - 6)
                                + "fill=\"\(segment.color)\"/>")
                    x += length
                }
                body.append(String(format: "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.0f</text>", x + 4, y + 14, bar.total))
                y += Self.rowHeight
            }
        }
        y += 16
        var legendX = 10
        for entry in legend {
            body.append("<rect x=\"\(legendX)\" y=\"\(y)\" width=\"12\" height=\"12\" fill=\"\(entry.color)\"/>")
            body.append("<text x=\"\(legendX + 16)\" y=\"\(y + 10)\" font-size=\"11\">\(Self.escape(entry.text))</text>")
            legendX += 24 + 7 * entry.text.count
        }
        let height = y + 28
        return """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Self.width)" height="\(height)" viewBox="0 0 \(Self.width) \(height)" font-family="sans-serif">
            <rect width="\(Self.width)" height="\(height)" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}

extension CostComparisonResult {
    /// Colour of PE and other logic.
    static let logicColor = "#4e79a7"
    /// Colour of the boundary decoders.
    static let decoderColor = "#f28e2b"

    /// The report's chart: PEs and decoders in NAND2 equivalents, and arrays per PE
    /// with the boundary decoders' part stacked on the right.
    public var chart: CostBarChart {
        var seen = Set<String>()
        let pes = processingElements.filter { seen.insert($0.module).inserted }
            .map { ChartBar(label: $0.label, segments: [($0.cost.nand2Equivalent, Self.logicColor)]) }
        let decoderBars = decoders.map { ChartBar(label: $0.label, segments: [($0.cost.nand2Equivalent, Self.decoderColor)]) }
        var arrayBars: [ChartBar] = []
        for pair in arrays {
            let positions = Double(pair.size * pair.size)
            for (name, m) in [("int-only", pair.intOnly), ("ANT", pair.ant)] {
                arrayBars.append(ChartBar(label: "\(pair.size)×\(pair.size) \(name), per PE", segments: [
                    ((m.cost.nand2Equivalent - m.decoderNand2) / positions, Self.logicColor),
                    (m.decoderNand2 / positions, Self.decoderColor),
                ]))
            }
        }
        return CostBarChart(
            title: "NAND2-equivalent area (\(yosysVersion.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "Yosys"), abc -g)",
            sections: [ChartSection(title: "Processing elements", bars: pes),
                       ChartSection(title: "Decoders", bars: decoderBars),
                       ChartSection(title: "Arrays: whole design / PE count", bars: arrayBars)],
            legend: [(Self.logicColor, "PE and array logic"), (Self.decoderColor, "decoders")])
    }
}
