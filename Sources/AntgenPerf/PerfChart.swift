import Foundation

/// A small horizontal stacked-bar chart in SVG: panels of bars, each bar a stack of named
/// segments (the same segment names share a colour across the chart). Deterministic text.
public struct PerfChart: Sendable, Equatable {
    /// One bar: a label and its segments (name, value), drawn left to right.
    public struct Bar: Sendable, Equatable {
        /// The bar's label (left of the bar).
        public let label: String
        /// Named values stacked in order.
        public let segments: [(name: String, value: Double)]
        /// Text right of the bar.
        public let note: String
        /// Creates a bar.
        public init(label: String, segments: [(name: String, value: Double)], note: String) {
            self.label = label
            self.segments = segments
            self.note = note
        }
        /// Σ of the segments.
        public var total: Double { segments.reduce(0) { $0 + $1.value } }
        public static func == (l: Bar, r: Bar) -> Bool {
            l.label == r.label && l.note == r.note && l.segments.map(\.name) == r.segments.map(\.name)
                && l.segments.map(\.value) == r.segments.map(\.value)
        }
    }

    /// A panel: a title and its bars, scaled to the panel's longest bar.
    public struct Panel: Sendable, Equatable {
        /// The panel's title.
        public let title: String
        /// The bars, top to bottom.
        public let bars: [Bar]
        /// Creates a panel.
        public init(title: String, bars: [Bar]) {
            self.title = title
            self.bars = bars
        }
    }

    /// The chart's title.
    public let title: String
    /// The panels, top to bottom.
    public let panels: [Panel]

    /// Creates the chart.
    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]

    /// The SVG document.
    public var svg: String {
        let labelWidth = 260.0, barWidth = 420.0, noteWidth = 200.0, rowHeight = 22.0
        let width = labelWidth + barWidth + noteWidth + 20
        var names: [String] = []
        for panel in panels { for bar in panel.bars { for s in bar.segments where !names.contains(s.name) { names.append(s.name) } } }
        var y = 34.0
        var body = ""
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func num(_ v: Double) -> String { String(format: "%.1f", v) }
        for panel in panels {
            y += 18
            body += "<text x=\"10\" y=\"\(num(y))\" font-weight=\"bold\">\(esc(panel.title))</text>\n"
            y += 8
            let longest = max(panel.bars.map(\.total).max() ?? 1, 1e-300)
            for bar in panel.bars {
                body += "<text x=\"\(num(labelWidth - 6))\" y=\"\(num(y + 15))\" text-anchor=\"end\">\(esc(bar.label))</text>\n"
                var x = labelWidth
                for s in bar.segments {
                    let w = barWidth * s.value / longest
                    let colour = Self.palette[(names.firstIndex(of: s.name) ?? 0) % Self.palette.count]
                    body += "<rect x=\"\(num(x))\" y=\"\(num(y + 3))\" width=\"\(num(max(w, 0)))\" height=\"\(num(rowHeight - 6))\" fill=\"\(colour)\"><title>\(esc(s.name))</title></rect>\n"
                    x += w
                }
                body += "<text x=\"\(num(x + 6))\" y=\"\(num(y + 15))\">\(esc(bar.note))</text>\n"
                y += rowHeight
            }
        }
        y += 14
        var legendX = 10.0
        if names.count > 1 {
            for (i, name) in names.enumerated() {
                body += "<rect x=\"\(num(legendX))\" y=\"\(num(y))\" width=\"12\" height=\"12\" fill=\"\(Self.palette[i % Self.palette.count])\"/>\n"
                body += "<text x=\"\(num(legendX + 16))\" y=\"\(num(y + 11))\">\(esc(name))</text>\n"
                legendX += 24 + Double(name.count) * 7
            }
            y += 24
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(num(width))" height="\(num(y))" viewBox="0 0 \(num(width)) \(num(y))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="20" font-size="14" font-weight="bold">\(esc(title))</text>
        \(body)</svg>

        """
    }
}

extension PerformanceReport {
    /// Per layer: cycles, and energy stacked by where it is spent.
    public func chart(title: String) -> PerfChart {
        let cycleBars = layers.map {
            PerfChart.Bar(label: "\($0.layer.name) (\($0.layer.precisionLabel))", segments: [("cycles", Double($0.cycles))],
                          note: "\($0.cycles) cycles, \(String(format: "%.0f%%", 100 * $0.utilization))")
        }
        let energyBars = layers.map { r in
            PerfChart.Bar(label: "\(r.layer.name) (\(r.layer.precisionLabel))", segments: Self.energySegments(r.energy),
                          note: Units.energy(picojoules: r.energy.total))
        }
        return PerfChart(title: title, panels: [PerfChart.Panel(title: "cycles per layer", bars: cycleBars),
                                                PerfChart.Panel(title: "energy per layer", bars: energyBars)])
    }

    /// The energy parts as chart segments.
    public static func energySegments(_ e: LayerEnergy) -> [(name: String, value: Double)] {
        [("PEs", e.processingElements), ("array logic", e.arrayLogic), ("buffers", e.buffers), ("DRAM", e.dram)]
    }
}
