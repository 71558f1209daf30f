import Foundation

extension ModelComparisonResult {
    /// The Pareto charts: `energy` (fidelity vs energy), `cycles` (fidelity vs cycles) and, when
    /// the arrays were synthesized, `area` (fidelity vs array area).
    public var charts: [(name: String, svg: String)] {
        var charts = [("energy", paretoChart(title: "Fidelity vs energy", axis: "energy (µJ, log scale)") { $0.energyPJ.map { $0 / 1e6 } }),
                      ("cycles", paretoChart(title: "Fidelity vs cycles", axis: "cycles (log scale)") { $0.cycles.map(Double.init) })]
        if entries.contains(where: { $0.areaNand2 != nil }) {
            let axis = "array area (NAND2-eq, log scale" + (synthesizedAt.map { "; synthesized at \($0), scaled per PE" } ?? "") + ")"
            charts.append(("area", paretoChart(title: "Fidelity vs area", axis: axis) { $0.areaNand2 }))
        }
        return charts
    }

    /// An SVG scatter of mean cosine against `cost` (log x), one labelled point per entry that
    /// ran, the Pareto front (cheaper and at least as faithful) joined by a line. Same style as
    /// `antgen perf --svg` (PerfChart): white ground, sans-serif 12, its palette. Deterministic text.
    public func paretoChart(title: String, axis: String, cost: (ComparisonRow) -> Double?) -> String {
        let points = entries.compactMap { r -> (String, String, Double, Double)? in
            guard let x = cost(r), x > 0, let y = r.fidelity?.meanCosine else { return nil }
            return (r.entry.name, r.entry.family, x, y)
        }
        let (left, top, plotW, plotH) = (70.0, 40.0, 520.0, 320.0)
        let width = left + plotW + 150, height = top + plotH + 60
        func num(_ v: Double) -> String { String(format: "%.1f", v) }
        let xs = points.map { log10($0.2) }, ys = points.map(\.3)
        let (x0, x1) = ((xs.min() ?? 0) - 0.05, (xs.max() ?? 1) + 0.05)
        let y0 = min(ys.min() ?? 0.9, 0.999) - 0.002, y1 = 1.0005
        func px(_ v: Double) -> Double { left + plotW * (log10(v) - x0) / max(x1 - x0, 1e-9) }
        func py(_ v: Double) -> Double { top + plotH * (y1 - v) / (y1 - y0) }
        let families = ["ant", "int", "pwlq", "sdp", "mx"]
        let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]
        var body = "<rect x=\"\(num(left))\" y=\"\(num(top))\" width=\"\(num(plotW))\" height=\"\(num(plotH))\" fill=\"none\" stroke=\"#999\"/>\n"
        for i in 0...4 {
            let v = y0 + (y1 - y0) * Double(i) / 4
            body += "<text x=\"\(num(left - 6))\" y=\"\(num(py(v) + 4))\" text-anchor=\"end\">\(String(format: "%.4f", v))</text>\n"
            let lx = x0 + (x1 - x0) * Double(i) / 4
            body += "<text x=\"\(num(left + plotW * Double(i) / 4))\" y=\"\(num(top + plotH + 16))\" text-anchor=\"middle\">\(String(format: "%.3g", pow(10, lx)))</text>\n"
        }
        body += "<text x=\"\(num(left + plotW / 2))\" y=\"\(num(top + plotH + 36))\" text-anchor=\"middle\">\(axis)</text>\n"
        body += "<text x=\"14\" y=\"\(num(top + plotH / 2))\" transform=\"rotate(-90 14 \(num(top + plotH / 2)))\" text-anchor=\"middle\">mean cosine vs FP32</text>\n"
        let front = points.sorted { ($0.2, -$0.3) < ($1.2, -$1.3) }.reduce(into: [(String, String, Double, Double)]()) { front, p in
            if p.3 > (front.last?.3 ?? -.infinity) { front.append(p) }
        }
        if front.count > 1 {
            body += "<polyline fill=\"none\" stroke=\"#555\" stroke-dasharray=\"4 3\" points=\"\(front.map { "\(num(px($0.2))),\(num(py($0.3)))" }.joined(separator: " "))\"/>\n"
        }
        for p in points {
            let colour = palette[(families.firstIndex(of: p.1) ?? 6) % palette.count]
            body += "<circle cx=\"\(num(px(p.2)))\" cy=\"\(num(py(p.3)))\" r=\"4\" fill=\"\(colour)\"><title>\(p.0)</title></circle>\n"
            body += "<text x=\"\(num(px(p.2) + 6))\" y=\"\(num(py(p.3) - 5))\" font-size=\"10\">\(p.0)</text>\n"
        }
        return """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(num(width))" height="\(num(height))" viewBox="0 0 \(num(width)) \(num(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="20" font-size="14" font-weight="bold">\(title) (\(sentences) sentences, \(rows)×\(cols) arrays; dashed: Pareto front)</text>
        \(body)</svg>

        """
    }
}
