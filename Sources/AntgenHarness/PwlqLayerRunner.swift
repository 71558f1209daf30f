import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation

/// The activation width of a PWLQ layer run: the PWLQ array's uniform int4 activations, or
/// int8 through two nibble steps per beat (a build with int8).
public enum PwlqActivationWidth: Int, Sendable, CaseIterable, CustomStringConvertible {
    case int4 = 4
    case int8 = 8
    /// `int4` / `int8`.
    public var description: String { "int\(rawValue)" }
}

/// Runs a float layer through the PWLQ array's RTL (`antgen run` on the PWLQ array): the
/// activations symmetric a-bit integers per tensor (``PwlqLayer``), the weights PWLQ codes
/// per output channel (``PwlqQuantizer``, the paper's eq. 3 with the Gaussian closed-form
/// breakpoint, `antgen quantize --mode pwlq`'s default), cut into R × C output tiles of K
/// beats, every tile streamed back to back through ONE process of the generated replay bench
/// (``ReplayTestbench/streamText``), every output's three W-bit sums (centre, tail, offset)
/// compared with ``PwlqGoldenCase`` (never with the RTL), and C dequantised by
/// ``PwlqTileSums/combine(channels:activationScale:width:activationSums:)`` from the RTL's
/// sums. An output element counts as one compared element and mismatches when any of its
/// three sums differs.
public struct PwlqLayerRunner: Sendable {
    /// The build (without the partial-sum stage).
    public let parameters: PwlqArrayParameters
    /// A deliberate defect (nil: the real hardware).
    public let mutant: PwlqMutant?
    /// The activation width.
    public let activation: PwlqActivationWidth

    /// Creates a runner.
    public init(parameters: PwlqArrayParameters, mutant: PwlqMutant? = nil, activation: PwlqActivationWidth = .int8) {
        self.parameters = parameters
        self.mutant = mutant
        self.activation = activation
    }

    /// `a int8 per tensor, w pwlq4 per output channel`.
    public var formatsLine: String { "a \(activation) per tensor, w pwlq\(parameters.weightBits) per output channel" }

    /// The layer in the run's formats: the study layer (integer activations, their scale) and
    /// the weight codes with their channels. W (K × N) becomes the [N, K] weight tensor.
    /// - Throws: the quantizers' errors (shapes, widths).
    /// `weights`, when given, are ``quantizeWeights(_:)`` of this layer's W (kept across calls).
    public func quantize(_ layer: FloatLayer, weights: PwlqResult? = nil) throws -> (layer: PwlqLayer, weights: PwlqResult) {
        let study = try PwlqLayer(activations: try Tensor(shape: [layer.m, layer.k], float64: layer.a), weight: try Self.weightTensor(layer),
                                  activationBits: activation.rawValue)
        return (study, try weights ?? quantizeWeights(layer))
    }

    /// W's PWLQ codes per output channel, as ``quantize(_:weights:)`` makes them.
    public func quantizeWeights(_ layer: FloatLayer) throws -> PwlqResult {
        try PwlqQuantizer(options: PwlqOptions(bits: parameters.weightBits)).quantize(try Self.weightTensor(layer))
    }

    /// W (K × N) as the [N, K] weight tensor.
    static func weightTensor(_ layer: FloatLayer) throws -> Tensor {
        let (k, n) = (layer.k, layer.n)
        return try Tensor(shape: [n, k], float64: (0..<(n * k)).map { layer.w[($0 % k) * n + $0 / k] })
    }

    /// Tile t's activation codes `[k][i]` (low a bits) and weight codes `[k][j]`, zeros in the padding.
    static func tile(_ t: Int, _ q: (layer: PwlqLayer, weights: PwlqResult), blocks: LayerBlocks) -> (a: [[Int]], w: [[PwlqCode]]) {
        let (m0, n0) = blocks.origin(of: t)
        let k = q.layer.reduction, bits = q.weights.options.bits
        let mask = (1 << q.layer.activationBits) - 1
        let a = (0..<k).map { kk in
            (0..<blocks.rows).map { i in m0 + i < blocks.m ? q.layer.integerActivations[m0 + i][kk] & mask : 0 }
        }
        let w = (0..<k).map { kk in
            (0..<blocks.cols).map { j in PwlqCode(packed: n0 + j < blocks.n ? q.weights.codes[(n0 + j) * k + kk] : 0, bits: bits) }
        }
        return (a, w)
    }

    /// The stream's beat lines of one tile (`a[k][i]`, `w[k][j]`), signed activations:
    /// ``ReplayTestbench/line(_:_:)`` of `fields` (name, width) from the top's port `names`.
    static func beatText(a: [[Int]], w: [[PwlqCode]], int8: Bool, names: PwlqStreamNames, fields: [(name: String, width: Int)]) -> String {
        var text = ""
        for kk in a.indices {
            let values = names.beat(a: a[kk], w: w[kk], last: kk == a.count - 1, signed: true, int8: int8)
            text += ReplayTestbench.line(fields, values) + "\n"
        }
        return text
    }

    /// The stream bench of `design`: from the Verilator cache in the request's folder, or an
    /// Icarus compile in `work`.
    static func build(_ design: Design, bench: ReplayTestbench, request: LayerRunRequest, work: URL) throws -> ReplayTestbench.Built {
        let text = bench.streamText
        guard request.simulator == .verilator else {
            return try ReplayTestbench.build(design, bench: text, tag: bench.tag, simulator: request.simulator, in: work, tools: request.tools)
        }
        let cache = StreamBenchCache(directory: request.cacheDirectory, verilator: request.tools.verilator)
        let files = VerilogBackend().files(for: design).map { ($0.name, $0.contents) } + [("\(ReplayTestbench.module).v", text)]
        let key = cache.key(files, arguments: ReplayTestbench.verilatorFlags)
        let built = try cache.binary(label: "\(bench.tag.lowercased())-stream-\(design.top.name.prefix(40))", key: key, binary: "obj_dir/sim") { folder in
            _ = try ReplayTestbench.build(design, bench: text, tag: bench.tag, simulator: .verilator, in: folder, tools: request.tools,
                                          runtimeCache: request.cacheDirectory)
        }
        return ReplayTestbench.Built(program: built.executable.path, arguments: [], timeout: request.tools.simulationTimeout, seconds: built.seconds)
    }

    /// Quantizes `layer`, streams every tile through the RTL on `request.simulator` and checks
    /// each tile's rows against the golden sums as they arrive.
    /// - Throws: ``HarnessError`` / ``ToolError`` for a build with the partial-sum stage,
    ///   int8 activations on a build without int8, a failed build or simulator (a mismatch is
    ///   not an error: it is in the outcome).
    public func run(_ layer: FloatLayer, _ request: LayerRunRequest) throws -> LayerRunOutcome {
        let p = parameters
        guard !p.preload else { throw HarnessError("the PWLQ layer run takes a build without the partial-sum stage (preload/codec)") }
        guard activation == .int4 || p.int8 else { throw HarnessError("int8 activations need a PWLQ build with int8") }
        try request.tools.require(request.simulator)
        let q = try quantize(layer)
        let blocks = LayerBlocks(m: layer.m, n: layer.n, rows: p.rows, cols: p.cols)
        var design = try elaborate(PwlqArray(p))
        if let mutant { design = try mutant.apply(to: design) }
        let bench = try PwlqVerification.testbench(for: design.top, parameters: p)
        let names = try PwlqStreamNames(design.top)
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("antgen-pwlq-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        InterruptCleanup.track(work)
        defer { try? fm.removeItem(at: work); InterruptCleanup.untrack(work) }
        let built = try Self.build(design, bench: bench, request: request, work: work)
        let start = Date()
        let process = try StreamingProcess(program: built.program, built.arguments, in: work, name: "the \(request.simulator) simulation")
        defer { process.terminate() }
        let fields = bench.beatFields.map { ($0, bench.width($0)) }
        let (rows, int8) = (p.rows, activation == .int8)
        let header = "\(String(blocks.tileCount * layer.k, radix: 16)) \(String(blocks.tileCount * rows, radix: 16))\n"
        LayerStreamWriter.start(process, header: header, count: blocks.tileCount) { t in
            let (a, w) = Self.tile(t, q, blocks: blocks)
            return Self.beatText(a: a, w: w, int8: int8, names: names, fields: fields)
        }
        var check = PwlqLayerCheck(runner: self, operands: q, blocks: blocks, progress: request.progress)
        let cycles = try check.read(process, bench: bench, timeout: built.timeout, simulator: request.simulator)
        return LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: check.output, comparedElements: check.compared,
                               mismatchCount: check.mismatches, firstMismatch: check.firstMismatch, protocolErrors: check.errors,
                               cycles: cycles, tiles: blocks.tileCount, buildSeconds: built.seconds,
                               simulationSeconds: Date().timeIntervalSince(start),
                               formats: formatsLine,
                               activationBits: activation.rawValue, weightBits: 4)  // PWLQ codes take one step, as 4-bit in perf
    }
}

/// The checking side of a PWLQ layer run: rows into tiles, golden sums, C.
struct PwlqLayerCheck {
    let runner: PwlqLayerRunner
    let operands: (layer: PwlqLayer, weights: PwlqResult)
    let blocks: LayerBlocks
    let progress: (@Sendable (Int, Int) -> Void)?
    var output: [Double]
    var errors: [String] = []
    var compared = 0, mismatches = 0, done = 0
    var firstMismatch: String?

    init(runner: PwlqLayerRunner, operands: (layer: PwlqLayer, weights: PwlqResult), blocks: LayerBlocks,
         progress: (@Sendable (Int, Int) -> Void)?) {
        self.runner = runner
        self.operands = operands
        self.blocks = blocks
        self.progress = progress
        output = [Double](repeating: 0, count: blocks.m * blocks.n)
    }

    /// Reads the bench's lines until its result line; returns its cycle count.
    /// - Throws: ``HarnessError`` when the input is rejected, a line does not read, or rows are missing.
    mutating func read(_ process: StreamingProcess, bench: ReplayTestbench, timeout: Double, simulator: SimulatorKind) throws -> Int {
        var pending: [ReplayRow] = []
        var last: [String] = []
        while let line = try process.readLine(timeout: timeout) {
            last = Array((last + [line]).suffix(3))
            if line.hasPrefix("ERROR input") { throw HarnessError("\(simulator) stream rejected its input: \(line)") }
            if line.hasPrefix("ERROR") { errors.append(line) }
            if let row = try bench.row(line) {
                pending.append(row)
                if pending.count == blocks.rows {
                    try take(tile: done, rows: pending, label: bench.handshake.outRow)
                    pending = []
                }
            }
            guard line.hasPrefix("\(bench.tag)-RESULT") else { continue }
            let numbers = line.split(separator: " ").compactMap { Int($0) }
            guard numbers.count == 5 else { throw HarnessError("unreadable \(bench.tag) result line '\(line)'") }
            guard done == blocks.tileCount else {
                throw HarnessError("\(simulator) answered \(done) of \(blocks.tileCount) tiles\(errors.first.map { ": " + $0 } ?? "")")
            }
            return numbers[4]
        }
        throw HarnessError("\(simulator) stream ended after \(done) of \(blocks.tileCount) tiles: \(last.joined(separator: " | "))")
    }

    /// Compares tile t's rows (out_row R − 1 first) with its golden sums and dequantises them;
    /// `label` names the row index port in errors.
    mutating func take(tile t: Int, rows: [ReplayRow], label: String) throws {
        let p = runner.parameters
        let golden = runner.goldenSums(tile: t, operands, blocks: blocks)
        var rtl = golden
        let (m0, n0) = blocks.origin(of: t)
        for (r, row) in rows.enumerated() {
            let i = p.rows - 1 - r
            if row.outRow != i { errors.append("ERROR tile \(t): \(label) \(row.outRow) where row \(i) was due") }
            for j in 0..<p.cols {
                rtl.centre[i][j] = row.fields[3 * j]
                rtl.tail[i][j] = row.fields[3 * j + 1]
                rtl.offset[i][j] = row.fields[3 * j + 2]
                compared += 1
                let pairs = [("centre", golden.centre[i][j], rtl.centre[i][j]), ("tail", golden.tail[i][j], rtl.tail[i][j]),
                             ("offset", golden.offset[i][j], rtl.offset[i][j])]
                guard let bad = pairs.first(where: { $0.1 != $0.2 }) else { continue }
                mismatches += 1
                if firstMismatch == nil {
                    firstMismatch = describeMismatch(tile: t, row: i, col: j, m: m0 + i, n: n0 + j, inside: m0 + i < blocks.m && n0 + j < blocks.n,
                                                     expected: bad.1, got: bad.2, what: " \(bad.0) sum")
                }
            }
        }
        runner.dequantise(tile: t, sums: rtl, operands, blocks: blocks, into: &output)
        done += 1
        progress?(done, blocks.tileCount)
    }
}
