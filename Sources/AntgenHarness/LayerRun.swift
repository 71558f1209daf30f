import Foundation

/// A real GEMM layer in float: C = A·W with A of M × K and W of K × N, both row-major.
/// Every array variant's `run` takes this and quantizes it in its own formats.
public struct FloatLayer: Sendable {
    /// Rows of A and C (tokens).
    public let m: Int
    /// The reduction length.
    public let k: Int
    /// Columns of W and C (output channels).
    public let n: Int
    /// A, M × K, row-major.
    public let a: [Double]
    /// W, K × N, row-major.
    public let w: [Double]

    /// Creates a layer, checking the shapes.
    /// - Throws: ``HarnessError`` when a dimension is below 1, a buffer does not match its
    ///   shape, or a value is not finite.
    public init(m: Int, k: Int, n: Int, a: [Double], w: [Double]) throws {
        guard m >= 1, k >= 1, n >= 1 else { throw HarnessError("layer shape \(m)×\(k)·\(k)×\(n) has an empty dimension") }
        guard a.count == m * k else { throw HarnessError("A holds \(a.count) values, not M·K = \(m * k)") }
        guard w.count == k * n else { throw HarnessError("W holds \(w.count) values, not K·N = \(k * n)") }
        if let i = a.firstIndex(where: { !$0.isFinite }) { throw HarnessError("A[\(i / k), \(i % k)] is \(a[i]), not a finite number") }
        if let i = w.firstIndex(where: { !$0.isFinite }) { throw HarnessError("W[\(i / n), \(i % n)] is \(w[i]), not a finite number") }
        self.m = m
        self.k = k
        self.n = n
        self.a = a
        self.w = w
    }

    /// A·W in float64, row-major M × N (the unquantized reference for SQNR).
    public func exactProduct() -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for kk in 0..<k {
                let x = a[i * k + kk]
                if x == 0 { continue }
                for j in 0..<n { c[i * n + j] += x * w[kk * n + j] }
            }
        }
        return c
    }
}

/// Where and how a layer run simulates.
public struct LayerRunRequest: Sendable {
    /// The Verilator build cache.
    public var cacheDirectory: URL
    /// The simulator (Verilator: one long-lived process; Icarus: a cross-check).
    public var simulator: SimulatorKind
    /// The tools and their timeouts.
    public var tools: SimulatorTools
    /// Called with (tiles done, tiles in all) as the run goes.
    public var progress: (@Sendable (Int, Int) -> Void)?

    /// Creates a request.
    public init(cacheDirectory: URL, simulator: SimulatorKind = .verilator, tools: SimulatorTools = .standard,
                progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.cacheDirectory = cacheDirectory
        self.simulator = simulator
        self.tools = tools
        self.progress = progress
    }
}

/// What running a float layer through one array variant's RTL gave, every integer output
/// checked against that variant's golden model (never against the RTL itself).
public struct LayerRunOutcome: Sendable {
    /// The layer's shape.
    public let m: Int, k: Int, n: Int
    /// The dequantised output C as the RTL computed it, row-major M × N.
    public let output: [Double]
    /// Integer output elements compared with the golden model (padding positions included).
    public let comparedElements: Int
    /// Elements that differ from the golden model (0: bit-exact).
    public let mismatchCount: Int
    /// The first difference, in words (nil when bit-exact).
    public let firstMismatch: String?
    /// The simulator's protocol errors (`ERROR` lines).
    public let protocolErrors: [String]
    /// Cycles from the first accepted input beat to the last output row, as the RTL counts
    /// them; equal to the variant's cycle model (`antgen perf`) for the same layer.
    public let cycles: Int
    /// Tiles streamed.
    public let tiles: Int
    /// Seconds building the simulator (0 when cached) and simulating.
    public let buildSeconds: Double, simulationSeconds: Double
    /// A line describing the formats the layer was quantized to (e.g. `a int8, w pwlq4`).
    public let formats: String
    /// The operand widths as the array ran them (4: one nibble step, 8: int8 terms), the
    /// precision `antgen perf` models the same layer at; nil where the array has no such choice.
    public var activationBits: Int?, weightBits: Int?
    /// MACs one PE can do per cycle at the layer's precision (nil: 1); the FP-on-INT array's
    /// N lanes over P passes. `antgen run`'s utilization divides by it.
    public var macsPerPECycle: Double?

    /// Creates an outcome.
    public init(m: Int, k: Int, n: Int, output: [Double], comparedElements: Int, mismatchCount: Int, firstMismatch: String?,
                protocolErrors: [String], cycles: Int, tiles: Int, buildSeconds: Double, simulationSeconds: Double, formats: String,
                activationBits: Int? = nil, weightBits: Int? = nil) {
        self.activationBits = activationBits
        self.weightBits = weightBits
        self.m = m
        self.k = k
        self.n = n
        self.output = output
        self.comparedElements = comparedElements
        self.mismatchCount = mismatchCount
        self.firstMismatch = firstMismatch
        self.protocolErrors = protocolErrors
        self.cycles = cycles
        self.tiles = tiles
        self.buildSeconds = buildSeconds
        self.simulationSeconds = simulationSeconds
        self.formats = formats
    }

    /// True when every compared element matched and the simulator reported no protocol error.
    public var bitExact: Bool { mismatchCount == 0 && protocolErrors.isEmpty }
}
