import AntgenArrays
import AntgenHardware
import AntgenPerf
import Foundation
import Testing

/// The manifest and the performance model state one timing: for every registry variant and
/// every precision its manifest lists, the perf model's cycles of one tile of one beat equal
/// the cycles the manifest's stated last-row latency implies (read as numbers from the JSON,
/// not from the shared ``StreamTiming``), and both carry the variant's ``StreamTiming``.
@Suite struct TimingAgreementTests {
    /// One stated latency: the layer that is one tile of one beat at that precision, the
    /// manifest's last-row latency, and the cycles before the beat is accepted.
    struct Stated {
        let layer: GemmLayer
        let lastRow: Int
        let before: Int
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func bits(_ int8: Bool) -> LayerBits { int8 ? .eight : .four }

    /// The stated latencies of `variant`'s manifest, by its kind.
    static func stated(_ variant: any ArrayVariant, manifest m: [String: Any]) throws -> [Stated] {
        let (r, c) = (variant.rows, variant.cols)
        let latency = m["latency"] as? [String: Any] ?? [:]
        func number(_ key: String) throws -> Int {
            let value = try #require(latency[key], "manifest latency has no \(key)")
            return try #require((value as? Int) ?? (value as? String).flatMap { Int($0) }, "\(key) is not a number")
        }
        switch (type(of: variant).name, variant.dataflow) {
        case ("ant", let dataflow):
            let modes = try #require(m["modes"] as? [[String: Any]])
            return try modes.map { mode in
                let a = bits((mode["actInt8"] as? Int) == 1), w = bits((mode["weightInt8"] as? Int) == 1)
                let last = try #require(mode["lastRowLatency"] as? Int)
                // os: one beat of one K index; ws: R load beats, then one compute beat (M = 1).
                let layer = dataflow == .os ? try GemmLayer(name: "t", m: r, k: 1, n: c, activationBits: a, weightBits: w)
                                            : try GemmLayer(name: "t", m: 1, k: r, n: c, activationBits: a, weightBits: w)
                return Stated(layer: layer, lastRow: last, before: dataflow == .os ? 0 : r)
            }
        case ("pwlq", _):
            let int8 = (latency["int8LastRow"] as? String) != "n/a"
            return try [false, int8 ? true : nil].compactMap { $0 }.map { a8 in
                Stated(layer: try GemmLayer(name: "t", m: r, k: 1, n: c, activationBits: bits(a8)),
                       lastRow: try number(a8 ? "int8LastRow" : "int4LastRow"), before: 0)
            }
        case ("sdp", _):
            let p = try #require(m["parameters"] as? [String: String])
            let group = try #require(Int(p["group"] ?? "")), terms = try #require(Int(p["terms"] ?? ""))
            let steps = p["weightInt8"] == "on" ? [terms, 2 * terms] : [terms]
            return try steps.map { s in
                Stated(layer: try GemmLayer(name: "t", m: r, k: group, n: c, activationBits: .eight, weightBits: bits(s != terms)),
                       lastRow: try number("last_S\(s)"), before: 0)
            }
        case ("mx", _):
            // One beat, padded to R beats (the drain shows one row a cycle): accepted in cycle R − 1.
            return [Stated(layer: try GemmLayer(name: "t", m: r, k: 1, n: c), lastRow: try number("lastRow"), before: r - 1)]
        case ("fpint", _):
            // One FP16 beat of 9 passes (the small build's layer format), issued in cycles 1 … 9
            // (the first tile waits for no drain, so it is not padded to R).
            return [Stated(layer: try GemmLayer(name: "t", m: r, k: 1, n: c), lastRow: try number("lastRow"), before: 9 - 1)]
        default:
            Issue.record("no timing expectation for --array \(type(of: variant).name) \(variant.dataflow): add one here")
            return []
        }
    }

    @Test(arguments: VariantRegistry.names)
    func perfCyclesOfOneTileEqualTheManifestLatency(_ name: String) throws {
        let type = try VariantRegistry.type(named: name)
        for dataflow in type.dataflows {
            let variant = try type.small(dataflow: dataflow)
            let label = variant.selectorArguments.joined(separator: " ")
            let text = try variant.manifestJSON(for: try variant.elaborate())
            let manifest = try Self.json(text)
            let array = try variant.perfArray(clockMHz: 500, buffers: .standard)
            #expect(array.timing == variant.streamTiming, "\(label): perf counts with the variant's timing")
            let serialised = try JSONSerialization.data(withJSONObject: try #require(manifest["streamTiming"], "\(label): manifest has streamTiming"))
            #expect(try JSONDecoder().decode(StreamTiming.self, from: serialised) == variant.streamTiming, "\(label): the manifest serialises it")
            let stated = try Self.stated(variant, manifest: manifest)
            #expect(!stated.isEmpty, "\(label): the manifest states a latency")
            for s in stated {
                let perf = try PerformanceModel(array: array).evaluate([s.layer]).layers[0]
                #expect(perf.tiles == 1, "\(label): one tile")
                #expect(perf.cycles == s.before + s.lastRow + 1,
                        "\(label) \(perf.layer.precisionLabel): perf \(perf.cycles) cycles, manifest last row \(s.lastRow) after cycle \(s.before)")
            }
        }
    }
}
