import Foundation

/// One row of the alignment study (docs/fp-on-int.md): one layer, one format, one S.
public struct FpIntStudyRow: Sendable, Codable {
    /// The layer (weight name without `.weight`).
    public let layer: String
    /// `fp16` or `bf16` (both operands).
    public let format: String
    /// The local shift capacity S; nil for exact alignment.
    public let shift: Int?
    /// ‖Y_unit − Y_cast‖ / ‖Y_cast‖: Y_cast the float64 dot of the same cast operands.
    public let relativeError: Double
    /// max |Y_unit − Y_cast| / rms(Y_cast).
    public let maxErrorOverRMS: Double
    /// Layer output SQNR (dB) of Y_unit against the float64 product of the original FP32 tensors.
    public let sqnr: Double
    /// The SQNR of Y_cast itself: the casting floor no alignment can beat.
    public let castSQNR: Double
    /// Flushed products (d > 2S) / finite nonzero products.
    public let flushedFraction: Double
    /// Groups that needed the second window / groups.
    public let secondWindowFraction: Double
}

/// The S sweep of issue 27 part 2 on real layers: cast X and W to FP16/BF16 (RNE), run the
/// unit for each S and exact alignment, compare with float64.
public enum FpIntStudy {
    /// The capacities of the issue: 4, 6, 8, 10, 12, 16, then exact (nil).
    public static let defaultShifts: [Int?] = [4, 6, 8, 10, 12, 16, nil]

    /// The rows of one layer for each format. X `[tokens, k]`, W `[outputs, k]` in float64.
    /// - Throws: ``FpIntError`` when a tensor holds a value that is not finite.
    public static func rows(layer: String, x: [Double], w: [Double], tokens: Int, outputs: Int, k: Int,
                            formats: [FpIntFloatFormat], lanes: Int, shifts: [Int?]) throws(FpIntError) -> [FpIntStudyRow] {
        if let bad = (x + w).first(where: { !$0.isFinite }) { throw FpIntError("\(layer): the tensors hold \(bad); the study needs finite values") }
        let reference = LayerMath.product(x, w, tokens: tokens, outputs: outputs, k: k)
        var rows: [FpIntStudyRow] = []
        for format in formats {
            let xc = try FpIntDotProduct.codes(x, format: format, cast: true), wc = try FpIntDotProduct.codes(w, format: format, cast: true)
            let cast = LayerMath.product(xc.map(format.value), wc.map(format.value), tokens: tokens, outputs: outputs, k: k)
            let castSQNR = LayerMath.sqnr(reference, cast)
            let dots = FpIntLayerDots(x: xc.map(format.decode), w: wc.map(format.decode), tokens: tokens, outputs: outputs, k: k,
                                      format: format, lanes: lanes, shifts: shifts)
            let rms = (cast.map { $0 * $0 }.reduce(0, +) / Double(max(cast.count, 1))).squareRoot()
            for (i, s) in shifts.enumerated() {
                let y = dots.values[i].map(Double.init)
                var noise = 0.0, signal = 0.0, worst = 0.0
                for (c, u) in zip(cast, y) {
                    noise += (c - u) * (c - u)
                    signal += c * c
                    worst = max(worst, abs(c - u))
                }
                rows.append(FpIntStudyRow(layer: layer, format: format.rawValue, shift: s,
                                          relativeError: signal == 0 ? 0 : (noise / signal).squareRoot(),
                                          maxErrorOverRMS: rms == 0 ? 0 : worst / rms, sqnr: LayerMath.sqnr(reference, y), castSQNR: castSQNR,
                                          flushedFraction: Double(dots.flushed[i]) / Double(max(dots.products, 1)),
                                          secondWindowFraction: Double(dots.secondWindowGroups[i]) / Double(max(dots.groups, 1))))
            }
        }
        return rows
    }

    /// The table the command prints, one line per row.
    public static func table(_ rows: [FpIntStudyRow]) -> [String] {
        var lines = ["layer                                     fmt   S      ‖ΔY‖/‖Y‖    max|ΔY|/rms  SQNR dB  (cast dB)  flushed   2nd-window groups"]
        for r in rows {
            let s = r.shift.map(String.init) ?? "exact"
            lines.append(r.layer.padding(toLength: 42, withPad: " ", startingAt: 0) + r.format.padding(toLength: 6, withPad: " ", startingAt: 0)
                         + s.padding(toLength: 7, withPad: " ", startingAt: 0)
                         + String(format: "%-12.3e%-13.3e%-9.2f(%6.2f)   %-10.2e%.4f", r.relativeError, r.maxErrorOverRMS, r.sqnr, r.castSQNR,
                                  r.flushedFraction, r.secondWindowFraction))
        }
        return lines
    }
}

/// `antgen fpint-study`: loads the layers, runs ``FpIntStudy/rows``, prints the table, writes JSON.
public struct FpIntStudyJob: Sendable {
    /// The weight and activation files (as `make fetch-model` writes them).
    public var weights: String, activations: String
    /// Layer names (weight names without `.weight`).
    public var layers: [String]
    /// Tokens used (nil: all), lanes N, capacities S (nil = exact), formats.
    public var tokens: Int?, lanes: Int, shifts: [Int?], formats: [FpIntFloatFormat]

    /// Layer 0 of MiniLM: query, key, value, attention output, FFN in and out.
    public static let defaultLayers = ["query", "key", "value"].map { "encoder.layer.0.attention.self.\($0)" }
        + ["encoder.layer.0.attention.output.dense", "encoder.layer.0.intermediate.dense", "encoder.layer.0.output.dense"]

    /// Creates a job.
    public init(weights: String, activations: String, layers: [String], tokens: Int?, lanes: Int, shifts: [Int?], formats: [FpIntFloatFormat]) {
        self.weights = weights
        self.activations = activations
        self.layers = layers
        self.tokens = tokens
        self.lanes = lanes
        self.shifts = shifts
        self.formats = formats
    }

    /// Runs every layer, printing its rows as they come; returns all rows.
    /// - Throws: ``FpIntError`` for a missing file or tensor, bad shapes or options.
    public func run(print: (String) -> Void) throws(FpIntError) -> [FpIntStudyRow] {
        _ = try FpIntUnit(lanes: lanes, shiftCapacity: shifts.compactMap { $0 }.max())
        if let s = shifts.compactMap({ $0 }).min() { _ = try FpIntUnit(lanes: lanes, shiftCapacity: s) }
        if let t = tokens, t < 1 { throw FpIntError("--tokens must be at least 1, not \(t)") }
        let model = try open(weights), inputs = try open(activations)
        var rows: [FpIntStudyRow] = []
        var header = true
        for layer in layers {
            let w = try tensor(model, layer + ".weight")
            let x = try tensor(inputs, inputName(layer, in: inputs))
            guard w.shape.count == 2, x.shape.count == 2, w.shape[1] == x.shape[1] else {
                throw FpIntError("\(layer): weight \(w.shapeDescription) and input \(x.shapeDescription) are not [out, in] and [tokens, in]")
            }
            let k = w.shape[1], t = min(tokens ?? x.shape[0], x.shape[0])
            let layerRows = try FpIntStudy.rows(layer: layer, x: Array(x.doubles.prefix(t * k)), w: w.doubles, tokens: t, outputs: w.shape[0], k: k,
                                                formats: formats, lanes: lanes, shifts: shifts)
            let lines = FpIntStudy.table(layerRows)
            for line in header ? lines : Array(lines.dropFirst()) { print(line) }
            header = false
            rows += layerRows
        }
        return rows
    }

    /// `<layer>.input`, or for `….key` / `….value` the query's input (they share it).
    private func inputName(_ layer: String, in file: SafetensorsFile.OpenedFile) -> String {
        let own = layer + ".input"
        if file.names.contains(own) { return own }
        for suffix in [".key", ".value"] where layer.hasSuffix(suffix) {
            return String(layer.dropLast(suffix.count)) + ".query.input"
        }
        return own
    }

    private func open(_ path: String) throws(FpIntError) -> SafetensorsFile.OpenedFile {
        do { return try SafetensorsFile.OpenedFile(atPath: path) } catch { throw FpIntError(error.description) }
    }

    private func tensor(_ file: SafetensorsFile.OpenedFile, _ name: String) throws(FpIntError) -> Tensor {
        do { return try file.tensor(named: name).tensor } catch { throw FpIntError(error.description) }
    }
}
