import AntgenGolden
import AntgenHardware
import AntgenHarness
import Foundation

/// What `antgen run --array ant` reports: agreement, float error, cycles and utilization (terminal and
/// `--json`). docs/run.md defines every field.
struct RunReport: Encodable {
    struct Operand: Encodable {
        let format: String
        let scales: Int
        let source: String
    }

    let m: Int, k: Int, n: Int
    let rows: Int, cols: Int
    let accumulatorWidth: Int
    let dataflow: String
    let simulator: String
    let tiles: Int
    let activation: Operand
    let weight: Operand
    /// True when every compared element equals the reference.
    let bitExact: Bool
    let comparedElements: Int
    let mismatches: Int
    /// ‖C − C_fp32‖_F / ‖C_fp32‖_F and the cosine of C and C_fp32.
    let relativeError: Double
    let cosine: Double
    /// `float32 inputs` or `dequantised inputs` (codes input).
    let floatReference: String
    /// Reduction steps per beat (1, 2 or 4: int8 nibble terms).
    let stepsPerBeat: Int
    /// First input beat to last output row, both included.
    let cycles: Int
    let tileCycles: [Int]
    /// M·N·K·T / (R·C·cycles).
    let utilization: Double
    let buildSeconds: Double
    let cachedBuild: Bool
    let simulationSeconds: Double
    let output: [Double]

    init(dataflow: ArrayDataflow, parameters p: ArrayParameters, tiling: GemmTiling, tileCount: Int, operands: RunOperands, outcome: GemmRunOutcome,
         model: GoldenModel, simulator: SimulatorKind) throws {
        m = tiling.m; k = tiling.k; n = tiling.n
        rows = p.rows; cols = p.cols
        accumulatorWidth = p.accumulatorWidth
        self.dataflow = dataflow.rawValue
        self.simulator = simulator.rawValue
        tiles = tileCount
        let how = { (codes: Bool) in codes ? "codes" : "quantized by antgen" }
        activation = Operand(format: operands.actFormat, scales: operands.a.scales.count, source: how(operands.actFromCodes))
        weight = Operand(format: operands.weightFormat, scales: operands.w.scales.count, source: how(operands.weightFromCodes))
        bitExact = outcome.mismatches.isEmpty
        comparedElements = outcome.comparedElements
        mismatches = outcome.mismatches.count
        output = GemmReference.dequantized(model, results: outcome.results, a: operands.a, w: operands.w)
        let reference = Self.matmul(operands.floatA, operands.floatW, m: m, k: k, n: n)
        var diff = 0.0, refNorm = 0.0, outNorm = 0.0, dot = 0.0
        for (y, r) in zip(output, reference) {
            diff += (y - r) * (y - r); refNorm += r * r; outNorm += y * y; dot += y * r
        }
        relativeError = refNorm > 0 ? (diff / refNorm).squareRoot() : diff.squareRoot()
        cosine = refNorm > 0 && outNorm > 0 ? dot / (refNorm.squareRoot() * outNorm.squareRoot()) : (diff == 0 ? 1 : 0)
        switch (operands.actFromCodes, operands.weightFromCodes) {
        case (false, false): floatReference = "float32 inputs"
        case (true, true): floatReference = "dequantised codes"
        case (true, false): floatReference = "dequantised activation codes, float32 weights"
        case (false, true): floatReference = "float32 activations, dequantised weight codes"
        }
        stepsPerBeat = operands.a.mode.terms * operands.w.mode.terms
        cycles = outcome.cycles
        tileCycles = outcome.tileCycles
        utilization = cycles > 0 ? Double(m * n * k * stepsPerBeat) / (Double(rows * cols) * Double(cycles)) : 0
        buildSeconds = outcome.buildSeconds
        cachedBuild = outcome.cached
        simulationSeconds = outcome.simulationSeconds
    }

    /// A·W in double precision from the float32 operands (row-major M × K and K × N).
    static func matmul(_ a: [Float], _ w: [Float], m: Int, k: Int, n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for kk in 0..<k {
                let x = Double(a[i * k + kk])
                if x == 0 { continue }
                for j in 0..<n { c[i * n + j] += x * Double(w[kk * n + j]) }
            }
        }
        return c
    }

    /// The terminal report.
    func text() -> String {
        var lines: [String] = []
        lines.append("antgen run: \(m)×\(k) · \(k)×\(n) on a \(rows)×\(cols) \(dataflow.uppercased()) array (W \(accumulatorWidth), \(simulator)): \(tiles) tiles")
        lines.append("  operands: activations \(activation.format) (\(activation.scales) scale, \(activation.source)), weights \(weight.format) (\(weight.scales) scale\(weight.scales == 1 ? "" : "s"), \(weight.source))")
        lines.append(bitExact
            ? "  bit-exact: all \(comparedElements) output elements (padding included) agree with the Swift reference"
            : "  MISMATCH: \(mismatches) of \(comparedElements) output elements differ from the Swift reference")
        lines.append(String(format: "  vs float32 matmul (%@): relative error %.4g, cosine %.6f", floatReference, relativeError, cosine))
        let minTile = tileCycles.min() ?? 0, maxTile = tileCycles.max() ?? 0
        lines.append(String(format: "  RTL: %d cycles (first beat to last output row), per tile %d…%d, %d step(s) per beat; utilization %.1f %%",
                            cycles, minTile, maxTile, stepsPerBeat, utilization * 100))
        lines.append(String(format: "  time: build %.1f s%@, simulation %.2f s", buildSeconds, cachedBuild ? " (cached)" : "", simulationSeconds))
        return lines.joined(separator: "\n")
    }

    /// The JSON report (`output` left out: it is the .npy).
    func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(Summary(self)), as: UTF8.self) + "\n"
    }

    /// Every field but the output values.
    struct Summary: Encodable {
        let report: RunReport
        init(_ r: RunReport) { report = r }
        enum Keys: String, CodingKey {
            case m, k, n, rows, cols, accumulatorWidth, dataflow, simulator, tiles, activation, weight, bitExact, comparedElements
            case mismatches, relativeError, cosine, floatReference, stepsPerBeat, cycles, tileCycles, utilization, buildSeconds
            case cachedBuild, simulationSeconds
        }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let r = report
            try c.encode(r.m, forKey: .m); try c.encode(r.k, forKey: .k); try c.encode(r.n, forKey: .n)
            try c.encode(r.rows, forKey: .rows); try c.encode(r.cols, forKey: .cols)
            try c.encode(r.accumulatorWidth, forKey: .accumulatorWidth); try c.encode(r.dataflow, forKey: .dataflow)
            try c.encode(r.simulator, forKey: .simulator); try c.encode(r.tiles, forKey: .tiles)
            try c.encode(r.activation, forKey: .activation); try c.encode(r.weight, forKey: .weight)
            try c.encode(r.bitExact, forKey: .bitExact); try c.encode(r.comparedElements, forKey: .comparedElements)
            try c.encode(r.mismatches, forKey: .mismatches); try c.encode(r.relativeError, forKey: .relativeError)
            try c.encode(r.cosine, forKey: .cosine); try c.encode(r.floatReference, forKey: .floatReference)
            try c.encode(r.stepsPerBeat, forKey: .stepsPerBeat); try c.encode(r.cycles, forKey: .cycles)
            try c.encode(r.tileCycles, forKey: .tileCycles); try c.encode(r.utilization, forKey: .utilization)
            try c.encode(r.buildSeconds, forKey: .buildSeconds); try c.encode(r.cachedBuild, forKey: .cachedBuild)
            try c.encode(r.simulationSeconds, forKey: .simulationSeconds)
        }
    }
}
