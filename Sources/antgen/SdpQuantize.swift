import AntgenNumerics
import ArgumentParser
import Foundation

/// `antgen quantize --mode sdp` options: the budget and the optional layer weights.
struct SdpQuantizeOptions: ParsableArguments {
    @Option(help: "With --mode sdp: values per group G along the last axis (1…64).")
    var group: Int = 8

    @Option(help: "With --mode sdp: kept parts per group T (1…2G; default G).")
    var terms: Int?

    @Option(help: "With --mode sdp: a .safetensors file of the layers' weights ([out, in]); an activation tensor X.input is compared on the layer output X.weight, against exact int8, next to int4, int6 and the DRQ-style baseline.")
    var layerWeights: String?
}

/// `antgen quantize FILE --mode sdp --group G --terms T [--layer-weights W]`: every tensor
/// (a matrix whose last axis is the reduction axis) quantized to int8 with the clip search
/// and masked (spec §8); prints the kept-term statistics and the activation error against
/// int8; with --layer-weights also the layer-output comparison rows.
func quantizeSdp(files: [String], tensors: String?, options: SdpQuantizeOptions) throws {
    let p = try SdpParameters(group: options.group, terms: options.terms ?? options.group)
    let wanted = tensors.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    let weights = try options.layerWeights.map { try SafetensorsFile.OpenedFile(atPath: $0) }
    print("SDP \(p): \(String(format: "%.2f", p.termsPerValue)) parts per value, \(String(format: "%.2f", p.averageBits)) bits on average (spec §8)")
    for file in files {
        let names = try wanted.map { w in try (file.hasSuffix(".safetensors") ? SafetensorsFile.tensorNames(atPath: file) : [String]()).filter { w.contains($0) } }
        let named = try readTensorFile(atPath: file, names: names)
        for t in named where t.tensor.shape.count >= 1 && t.tensor.count > 0 {
            let cols = t.tensor.shape.last!, rows = t.tensor.count / cols
            let values = t.tensor.doubles
            let q = uniformQuantize(values, bits: 8)
            let masked = try sdpMask(q.codes, rows: rows, cols: cols, signed: q.signed, parameters: p)
            let s = masked.statistics
            var signal = 0.0, noise = 0.0
            for (a, b) in zip(q.codes, masked.values) { signal += Double(a * a); noise += Double((a - b) * (a - b)) }
            print("\(t.name) \(t.tensor.shapeDescription) int8 \(q.signed ? "signed" : "unsigned"), scale \(String(format: "%.4g", q.scale))")
            print(String(format: "  groups %d, slots %d: kept %d nonzero parts (%d high, %d low), %d zero slots; dropped %d nonzero parts (%d high); %.1f %% of values exact",
                         s.groups, s.slots, s.keptNonzero, s.keptHigh, s.keptLow, s.zeroSlots, s.droppedNonzero, s.droppedHigh,
                         100 * Double(s.exactValues) / Double(max(1, s.values))))
            print(String(format: "  activation error vs int8: relative %.4f, SQNR %.2f dB", signal == 0 ? 0 : (noise / signal).squareRoot(),
                         noise == 0 ? Double.infinity : 10 * log10(signal / noise)))
            guard let weights, t.name.hasSuffix(".input") else { continue }
            let weightName = String(t.name.dropLast(".input".count)) + ".weight"
            guard weights.names.contains(weightName) else { print("  (no \(weightName) in \(options.layerWeights!))"); continue }
            let w = try weights.tensor(named: weightName).tensor
            guard w.shape.count == 2, w.shape[1] == cols else { print("  (\(weightName) is \(w.shapeDescription), not [out, \(cols)])"); continue }
            let layer = try SdpLayer(activations: values, tokens: rows, features: cols, weights: w.doubles, outputs: w.shape[0])
            var table: [SdpComparisonRow] = [try layer.sdp(p).row]
            table.append(try layer.drq(termsPerValue: p.termsPerValue, blockRows: 1, blockCols: p.group).row)
            table += [layer.uniform(bits: 4), layer.uniform(bits: 6)]
            print("  layer output vs exact int8 (\(weightName), int8 weights per channel):")
            for r in table {
                print(String(format: "    %@ %.2f parts/value (%.2f b)  SQNR %6.2f dB  relative error %.4f", r.scheme.padding(toLength: 16, withPad: " ", startingAt: 0), r.termsPerValue, r.averageBits, r.sqnr, r.relativeError))
            }
        }
    }
}
