import AntgenNumerics
import Foundation

/// `antgen quantize FILE --mode sdp --group G --terms T [--layer-weights W]`: every tensor
/// (a matrix whose last axis is the reduction axis) quantized to int8 with the clip search
/// and masked (spec §8); prints the kept-term statistics and the activation error against
/// int8; with `layerWeights` also the layer-output comparison rows (with `sweep`, the
/// docs/sdp.md table of ``printSdpSweep(_:group:weightName:print:)``). Lines go to `print`.
public func quantizeSdp(files: [String], tensors: String?, group: Int, terms: Int?, layerWeights: String?, sweep: Bool,
                        print: (String) -> Void = { Swift.print($0) }) throws {
    let p = try SdpParameters(group: group, terms: terms ?? group)
    let wanted = tensors.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    let weights = try layerWeights.map { try SafetensorsFile.OpenedFile(atPath: $0) }
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
            print("  activation error vs int8: " + sdpErrorText(signal: signal, noise: noise))
            guard let weights, t.name.hasSuffix(".input") else { continue }
            let weightName = String(t.name.dropLast(".input".count)) + ".weight"
            guard weights.names.contains(weightName) else { print("  (no \(weightName) in \(layerWeights!))"); continue }
            let w = try weights.tensor(named: weightName).tensor
            guard w.shape.count == 2, w.shape[1] == cols else { print("  (\(weightName) is \(w.shapeDescription), not [out, \(cols)])"); continue }
            let layer = try SdpLayer(activations: values, tokens: rows, features: cols, weights: w.doubles, outputs: w.shape[0])
            if sweep { try printSdpSweep(layer, group: p.group, weightName: weightName, print: print); continue }
            var table: [SdpComparisonRow] = [try layer.sdp(p).row]
            table.append(try layer.drq(termsPerValue: p.termsPerValue, blockRows: 1, blockCols: p.group).row)
            table += [layer.uniform(bits: 4), layer.uniform(bits: 6)]
            print("  layer output vs exact int8 (\(weightName), int8 weights per channel):")
            for r in table {
                let error = r.sqnr.isFinite && r.relativeError.isFinite
                    ? String(format: "SQNR %6.2f dB  relative error %.4f", r.sqnr, r.relativeError)
                    : r.relativeError == 0 ? "exact (no error)" : "— (the exact output is all zero)"
                print(String(format: "    %@ %.2f parts/value (%.2f b)  ", r.scheme.padding(toLength: 16, withPad: " ", startingAt: 0), r.termsPerValue, r.averageBits) + error)
            }
        }
    }
}

/// The error of masked int8 codes against the unmasked ones (both in code units, so the
/// figure does not depend on the tensor's scale): relative RMS error and SQNR, or "exact"
/// when nothing was dropped and "—" with the reason for an all-zero tensor (never NaN or ∞).
public func sdpErrorText(signal: Double, noise: Double) -> String {
    if noise == 0 { return signal == 0 ? "— (the tensor is all zero: nothing to compare)" : "exact (every value kept whole)" }
    if signal == 0 { return "— (the int8 codes are all zero)" }
    return String(format: "relative %.4f, SQNR %.2f dB", (noise / signal).squareRoot(), 10 * log10(signal / noise))
}

/// The docs/sdp.md table for one layer: SDP at T/G = 1, 1.25, 1.5, 2; the DRQ-style baseline
/// (1 × G blocks) at the same average parts; int4 and int6; and the DRQ run that matches each
/// SDP run's SQNR. Cycles are term steps on an 8 × 8 output-stationary array: SDP takes T
/// steps per group (measured on the RTL: 32·T per K = 256 tile back to back), DRQ G or 2G per
/// group of an 8-row tile (lock step), the ANT array 1 (int4) or 2 (int6 run as int8) per beat.
public func printSdpSweep(_ layer: SdpLayer, group g: Int, weightName: String, print: (String) -> Void = { Swift.print($0) }) throws {
    let tile = 8
    let rowTiles = (layer.tokens + tile - 1) / tile, colTiles = (layer.outputs + tile - 1) / tile
    let groups = (layer.features + g - 1) / g
    func cell(_ x: Double) -> String { x.isInfinite ? "exact" : x.isNaN ? "—" : String(format: "%.2f", x) }
    print("  \(weightName): \(layer.tokens)x\(layer.features) · \(layer.features)x\(layer.outputs); cycles for an 8x8 array (\(rowTiles * colTiles) tiles)")
    print("  | scheme | parts/value | bits | SQNR vs int8 (dB) | rel. error vs int8 | SQNR vs FP32 (dB) | cycles |")
    print("  |---|---|---|---|---|---|---|")
    func line(_ r: SdpComparisonRow, cycles: Int) {
        print("  | \(r.scheme) | \(String(format: "%.3f", r.termsPerValue)) | \(String(format: "%.2f", r.averageBits)) | \(cell(r.sqnr)) | \(String(format: "%.4f", r.relativeError)) | \(cell(r.floatSqnr)) | \(cycles) |")
    }
    var sdpRows: [(SdpComparisonRow, Int)] = []
    for ratio in [1.0, 1.25, 1.5, 2.0] {
        let t = Int((ratio * Double(g)).rounded())
        let sdp = try layer.sdp(SdpParameters(group: g, terms: t)).row
        let sdpCycles = rowTiles * colTiles * groups * t
        sdpRows.append((sdp, sdpCycles))
        line(sdp, cycles: sdpCycles)
        let drq = try layer.drq(termsPerValue: ratio, blockRows: 1, blockCols: g)
        line(drq.row, cycles: colTiles * drq.result.lockStepSteps(rows: layer.tokens, tileRows: tile, group: g))
    }
    line(layer.uniform(bits: 4), cycles: rowTiles * colTiles * layer.features)
    line(layer.uniform(bits: 6), cycles: rowTiles * colTiles * layer.features * 2)
    print("  equal SQNR: the cheapest DRQ-style run (parts/value on a 0.02 grid) at or above each SDP run's SQNR")
    print("  | SDP | SDP SQNR | DRQ parts/value | DRQ SQNR | DRQ cycles (lock step) | DRQ/SDP cycles | DRQ/SDP ideal (parts) |")
    print("  |---|---|---|---|---|---|---|")
    var drqCurve: [(Double, SdpComparisonRow, Int)] = []
    for k in 0...50 {
        let target = 1 + Double(k) / 50
        let d = try layer.drq(termsPerValue: target, blockRows: 1, blockCols: g)
        drqCurve.append((d.row.termsPerValue, d.row, colTiles * d.result.lockStepSteps(rows: layer.tokens, tileRows: tile, group: g)))
    }
    for (sdp, cycles) in sdpRows {
        guard let match = drqCurve.first(where: { $0.1.sqnr >= sdp.sqnr }) else { continue }
        print("  | \(sdp.scheme) | \(cell(sdp.sqnr)) | \(String(format: "%.2f", match.0)) | \(cell(match.1.sqnr)) | \(match.2) | \(String(format: "%.2f", Double(match.2) / Double(cycles))) | \(String(format: "%.2f", match.0 / sdp.termsPerValue)) |")
    }
}
