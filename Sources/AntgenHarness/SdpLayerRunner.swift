import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation

/// A float layer in the SDP array's formats (docs/sdp.md): activations int8 per tensor with
/// the SDP clip search (``uniformQuantize(_:bits:signed:candidates:)``, unsigned when no
/// value is negative), weights symmetric integers per output channel (int8, scale max|w|/127,
/// as ``SdpLayer``; int4, scale max|w|/7, on a build without int8 weights or when asked for
/// 4-bit weights), K padded to whole groups of G with zeros.
public struct SdpLayerOperands: Sendable {
    /// The layer's shape.
    public let m: Int, k: Int, n: Int
    /// A as integers (−128…127 signed, 0…255 unsigned), M × K row-major.
    public let a: [Int]
    /// The activations are signed.
    public let activationSigned: Bool
    /// The activations' scale.
    public let activationScale: Double
    /// W as integers, K × N row-major.
    public let w: [Int]
    /// Per output channel n, the weight scale.
    public let weightScales: [Double]
    /// The weights' mode on the array (int, signed, int8 or 4-bit).
    public let weightMode: OperandMode

    /// Quantizes `layer` for `parameters`' build: int8 weights when `weightInt8` (nil: when
    /// the build has int8 weights), else 4-bit int weights.
    /// - Throws: ``HarnessError`` when the build decodes neither the asked weights nor any int weights.
    public init(_ layer: FloatLayer, parameters p: SdpArrayParameters, weightInt8: Bool? = nil) throws {
        guard p.weight.int8 || p.weight.types.contains(.int) else {
            throw HarnessError("the SDP layer run needs int8 weights or the int weight type in the build")
        }
        let int8 = weightInt8 ?? p.weight.int8
        if int8 && !p.weight.int8 { throw HarnessError("int8 weights need an SDP build with int8 weights") }
        if !int8 && !p.weight.types.contains(.int) { throw HarnessError("4-bit int weights need the int weight type in the SDP build") }
        let (kk, nn, wf) = (layer.k, layer.n, layer.w)
        m = layer.m; k = kk; n = nn
        let activations = uniformQuantize(layer.a, bits: 8)
        a = activations.codes
        activationSigned = activations.signed
        activationScale = activations.scale
        let top = int8 ? 127.0 : 7.0
        var scales = [Double](repeating: 1, count: nn)
        for j in 0..<nn {
            let largest = (0..<kk).reduce(0.0) { max($0, wf[$1 * nn + j].magnitude) }
            if largest > 0 { scales[j] = largest / top }
        }
        weightScales = scales
        w = (0..<(kk * nn)).map { i in Int(min(max((wf[i] / scales[i % nn]).rounded(.toNearestOrAwayFromZero), -top), top)) }
        weightMode = OperandMode(type: .int, signed: true, int8: int8)
    }

    /// `a int8u per tensor, w int8 per channel`.
    public var formats: String {
        "a int8\(activationSigned ? "s" : "u") per tensor (clip search), w int\(weightMode.int8 ? 8 : 4) per output channel"
    }
}

/// Runs a float layer through the SDP array's RTL (`antgen run` on the SDP array): the layer
/// quantized by ``SdpLayerOperands``, cut into R × C output tiles of ⌈K/G⌉ group beats,
/// every tile streamed back to back through ONE process of `Testbenches/sdp/sdp_stream_tb.v`,
/// every output element compared with ``SdpGoldenGenerator/makeCase(id:source:actSigned:weight:a:w:)``
/// (never with the RTL), and C dequantised as s_a · s_w[n] · the W-bit sum.
public struct SdpLayerRunner: Sendable {
    /// The build.
    public let parameters: SdpArrayParameters
    /// A deliberate defect (nil: the real hardware): shows that the check can fail.
    public let mutant: SdpMutant?
    /// int8 weights (true), 4-bit int weights (false), or the build's widest (nil).
    public var weightInt8: Bool?

    /// Creates a runner.
    public init(parameters: SdpArrayParameters, mutant: SdpMutant? = nil, weightInt8: Bool? = nil) {
        self.parameters = parameters
        self.mutant = mutant
        self.weightInt8 = weightInt8
    }

    /// The golden generator of the build.
    var generator: SdpGoldenGenerator { parameters.goldenGenerator }

    /// Tile t's operands: `a[i][k]` (rows × K padded to groups) and `w[k][j]` codes.
    static func tile(_ t: Int, _ q: SdpLayerOperands, blocks: LayerBlocks, paddedK: Int) -> (a: [[Int]], w: [[UInt64]]) {
        let (m0, n0) = blocks.origin(of: t)
        let codeMask: UInt64 = q.weightMode.int8 ? 0xFF : 0xF
        let a = (0..<blocks.rows).map { i in
            (0..<paddedK).map { kk in m0 + i < q.m && kk < q.k ? q.a[(m0 + i) * q.k + kk] : 0 }
        }
        let w = (0..<paddedK).map { kk in
            (0..<blocks.cols).map { j in n0 + j < q.n && kk < q.k ? UInt64(bitPattern: Int64(q.w[kk * q.n + n0 + j])) & codeMask : 0 }
        }
        return (a, w)
    }

    /// Tile t as the stream bench reads it: "beats act_signed mode", then one line per beat.
    static func text(_ t: Int, _ q: SdpLayerOperands, blocks: LayerBlocks, group: Int, paddedK: Int) -> String {
        let (a, w) = tile(t, q, blocks: blocks, paddedK: paddedK)
        var s = "\(String(paddedK / group, radix: 16)) \(q.activationSigned ? 1 : 0) \(String(q.weightMode.packed, radix: 16))\n"
        for beat in 0..<(paddedK / group) {
            let ks = (beat * group)..<((beat + 1) * group)
            var words: [String] = []
            for row in a { for kk in ks { words.append(String(UInt8(truncatingIfNeeded: row[kk]), radix: 16)) } }
            for j in 0..<blocks.cols { for kk in ks { words.append(String(w[kk][j], radix: 16)) } }
            s += words.joined(separator: " ") + "\n"
        }
        return s
    }

    /// The stream bench of `design`: from the Verilator cache in the request's folder, or an
    /// Icarus compile in `work`.
    func build(_ design: Design, request: LayerRunRequest, work: URL) throws -> SdpBuiltBench {
        let module = "sdp_stream_tb"
        let testbench = try SdpVerifier.testbench("\(module).v")
        var files = VerilogBackend().files(for: design).map { ($0.name, $0.contents) }
        files.append(("sdp_tb_params.vh", try SdpVerifier.include(parameters, top: design.top, words: 1, cases: 1)))
        let verilog = files.map { $0.0 }.filter { $0.hasSuffix(".v") }
        let verifier = SdpVerifier(tools: request.tools)
        guard request.simulator == .verilator else {
            _ = try writeAtomically(files, to: work)
            return try verifier.build(testbench: testbench, module: module, verilog: verilog, simulator: request.simulator, in: work)
        }
        let cache = StreamBenchCache(directory: request.cacheDirectory, verilator: request.tools.verilator)
        let key = cache.key(files + [("\(module).v", try String(contentsOf: testbench, encoding: .utf8))], arguments: SdpVerifier.verilatorFlags)
        let p = parameters
        let built = try cache.binary(label: "sdp-stream-\(p.rows)x\(p.cols)-g\(p.group)-t\(p.terms)", key: key, binary: "obj_dir/\(module)_sim") { folder in
            _ = try writeAtomically(files, to: folder)
            _ = try verifier.build(testbench: testbench, module: module, verilog: verilog, simulator: .verilator, in: folder,
                                   runtimeCache: request.cacheDirectory)
        }
        return SdpBuiltBench(program: built.executable.path, arguments: [], timeout: request.tools.simulationTimeout, buildSeconds: built.seconds)
    }

    /// Quantizes `layer`, streams every tile through the RTL on `request.simulator` and checks
    /// each answer against the golden model as it arrives.
    /// - Throws: ``HarnessError`` / ``ToolError`` when a build or the simulator fails (a
    ///   mismatch is not an error: it is in the outcome).
    public func run(_ layer: FloatLayer, _ request: LayerRunRequest) throws -> LayerRunOutcome {
        try request.tools.require(request.simulator)
        let p = parameters
        let q = try SdpLayerOperands(layer, parameters: p, weightInt8: weightInt8)
        let blocks = LayerBlocks(m: layer.m, n: layer.n, rows: p.rows, cols: p.cols)
        let paddedK = (layer.k + p.group - 1) / p.group * p.group
        var design = try elaborate(SdpArray(p))
        if let mutant { design = try mutant.apply(to: design) }
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("antgen-sdp-run-\(getpid())-\(UUID().uuidString.prefix(8))")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        InterruptCleanup.track(work)
        defer { try? fm.removeItem(at: work); InterruptCleanup.untrack(work) }
        let bench = try build(design, request: request, work: work)
        var check = SdpLayerCheck(runner: self, operands: q, blocks: blocks, paddedK: paddedK, progress: request.progress)
        let start = Date()
        let process = try StreamingProcess(program: bench.program, bench.arguments, in: work, name: "the \(request.simulator) simulation")
        defer { process.terminate() }
        let group = p.group
        LayerStreamWriter.start(process, header: "\(String(blocks.tileCount, radix: 16))\n", count: blocks.tileCount) { t in
            Self.text(t, q, blocks: blocks, group: group, paddedK: paddedK)
        }
        let summary = try SimulatorBinary.collect(lines: { try process.readLine(timeout: bench.timeout) }, count: blocks.tileCount,
                                                  rows: p.rows, cols: p.cols, simulator: "\(request.simulator)") { try check.take($0) }
        return LayerRunOutcome(m: layer.m, k: layer.k, n: layer.n, output: check.output, comparedElements: check.compared,
                               mismatchCount: check.mismatches, firstMismatch: check.firstMismatch, protocolErrors: summary.errors,
                               cycles: summary.cycles, tiles: blocks.tileCount, buildSeconds: bench.buildSeconds,
                               simulationSeconds: Date().timeIntervalSince(start),
                               formats: "\(q.formats), SDP G=\(p.group) T=\(p.terms)",
                               activationBits: 8, weightBits: q.weightMode.int8 ? 8 : 4)
    }
}

/// The checking side of an SDP layer run: each tile's golden case, the comparison, and C.
struct SdpLayerCheck {
    let runner: SdpLayerRunner
    let operands: SdpLayerOperands
    let blocks: LayerBlocks
    let paddedK: Int
    let progress: (@Sendable (Int, Int) -> Void)?
    var output: [Double]
    var compared = 0, mismatches = 0, done = 0
    var firstMismatch: String?

    init(runner: SdpLayerRunner, operands: SdpLayerOperands, blocks: LayerBlocks, paddedK: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        self.runner = runner
        self.operands = operands
        self.blocks = blocks
        self.paddedK = paddedK
        self.progress = progress
        output = [Double](repeating: 0, count: operands.m * operands.n)
    }

    /// Compares one tile's answer with its golden case and dequantises its inside elements.
    mutating func take(_ answer: TileAnswer) throws {
        let q = operands, t = answer.id
        let golden = try runner.goldenTile(t, q, blocks: blocks, paddedK: paddedK)
        let (m0, n0) = blocks.origin(of: t)
        for i in 0..<blocks.rows {
            for j in 0..<blocks.cols {
                let (m, n) = (m0 + i, n0 + j)
                let inside = m < q.m && n < q.n
                let got = answer.results[i][j], want = golden[i][j]
                compared += 1
                if got != want {
                    mismatches += 1
                    if firstMismatch == nil {
                        firstMismatch = describeMismatch(tile: t, row: i, col: j, m: m, n: n, inside: inside, expected: want, got: got)
                    }
                }
            }
        }
        runner.dequantise(tile: t, results: answer.results, q, blocks: blocks, into: &output)
        done += 1
        progress?(done, blocks.tileCount)
    }
}
