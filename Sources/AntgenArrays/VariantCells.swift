import AntgenPerf
import AntgenSupport
import AntgenSynth
import AntgenVerilog
import Foundation

extension ArrayVariant {
    /// The array's Yosys cell counts for the perf model's energy: read from
    /// `cacheRoot/perf-cells/<rows>x<cols>-<name>-<dataflow>-<key>.json`, or synthesized from
    /// ``elaborateForSynthesis()`` (iCE40 mapping off) and cached there. The key hashes the
    /// antgen and Yosys versions, the full selector and the design's Verilog text, so a
    /// generator change re-synthesizes even when the version string stays the same.
    /// - Parameter announce: called once before a synthesis run (a status line).
    /// - Throws: the synthesizer's error, or a cache write failure.
    public func perfCells(synthesizer: Synthesizer, cacheRoot: URL = URL(fileURLWithPath: ".antgen-cache"),
                          announce: (String) -> Void = { _ in }) throws -> ArrayCells {
        var key = ContentHash()
        let selector = selectorArguments.joined(separator: " ")
        for part in ["perf-cells-v4", antgenVersion, try synthesizer.yosysVersion(), selector] { key.add(part) }
        let design = try elaborateForSynthesis()
        for file in VerilogBackend().files(for: design) { key.add(file.name); key.add(file.contents) }
        let tag = "\(rows)x\(cols)-\(Self.name)-\(dataflow)"
        let cache = cacheRoot.appendingPathComponent("perf-cells/\(tag)-\(key.hex.prefix(16)).json")
        if let data = FileManager.default.contents(atPath: cache.path), let cached = try? JSONDecoder().decode(ArrayCells.self, from: data) {
            return cached
        }
        announce("antgen perf: synthesizing the \(configurationSummary) array with Yosys for its cell counts (cached afterwards)")
        var options = SynthesisOptions()
        options.ice40 = false
        let report = try synthesizer.synthesize(design, parameters: synthesisFields, options: options)
        let cells = try ArrayCells(report: report, processingElement: try perfShape.processingElementGenerator)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
        try writeAtomically(try encoder.encode(cells), to: cache)
        return cells
    }
}
