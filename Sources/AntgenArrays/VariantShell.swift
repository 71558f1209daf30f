import AntgenDSL
import AntgenGolden
import AntgenHardware
import AntgenHarness

/// A variant the AXI shell wraps: it supplies the ``AxiShellCore`` and cuts a layer into
/// the shell's tiles. Its ``ArrayVariant/streamProtocol`` must be one the shell carries
/// (``ArrayVariant/axiShellCore()`` checks).
public protocol AxiShellVariant: ArrayVariant {
    /// The array as the shell wraps it.
    /// - Throws: ``VariantError`` (one line) for a build the shell does not wrap.
    var shellCore: any AxiShellCore { get throws }
    /// The tiles of `layer` at `precision` (quantized as ``ArrayVariant/run(_:precision:_:defect:)``
    /// quantizes it) with their golden results, in the shell's `format`.
    func shellTiles(_ layer: FloatLayer, precision: LayerPrecision, format: AxiShellFormat) throws -> [AxiShellTile]
    /// `count` random tiles in the operand modes the build runs, with golden results (the
    /// shell's regression entries).
    func randomShellTiles(count: Int, seed: UInt64, format: AxiShellFormat) throws -> [AxiShellTile]
}

/// The AXI shell (`--shell axi`, docs/integration.md) for any variant whose
/// ``StreamProtocol`` it can carry: the in_valid/in_ready handshake, results drained
/// rows − 1 down to 0 one row a cycle, and one result group. The variant supplies the
/// ``AxiShellCore`` (``AxiShellVariant``); the protocol decides whether it may.
extension ArrayVariant {
    /// The shell core of this build, checked against its stream protocol.
    /// - Throws: ``VariantError`` (one line) naming what the shell cannot carry.
    public func axiShellCore() throws -> any AxiShellCore {
        let p = streamProtocol
        guard p.handshake == .readyValid else {
            throw VariantError("--shell axi needs an array with back-pressure (in_valid/in_ready); \(configurationSummary) streams \(p.handshake.rawValue)")
        }
        guard p.drainOrder == .lastRowFirst else {
            throw VariantError("--shell axi needs results drained rows-1 down to 0; \(configurationSummary) drains \(p.drainOrder.rawValue)")
        }
        guard p.results.count == 1 else {
            throw VariantError("--shell axi carries one result group; \(configurationSummary) has \(p.results.joined(separator: ", "))")
        }
        guard let wrapped = self as? any AxiShellVariant else {
            throw VariantError("--shell axi does not wrap \(configurationSummary) yet (the ANT and SDP arrays only)")
        }
        return try wrapped.shellCore
    }

    /// The elaborated shell around this build with `dataWidth`-bit TDATA (32, 64, 128 or 256),
    /// with a block-RAM result buffer of `bufferKiB` KiB when given (`--buffer-kib`).
    /// - Throws: ``VariantError`` as ``axiShellCore()``, for another TDATA width, or for a
    ///   buffer size that cannot hold two tiles of results.
    public func axiShell(dataWidth: Int, bufferKiB: Int? = nil) throws -> Design {
        guard [32, 64, 128, 256].contains(dataWidth) else {
            throw VariantError("--axis-width \(dataWidth): the AXI shell's TDATA is 32, 64, 128 or 256 bits")
        }
        let core = try axiShellCore()
        if let bufferKiB, let problem = AxiShellFormat(core: core, dataWidth: dataWidth).bufferProblem(kib: bufferKiB) {
            throw VariantError(problem)
        }
        return try Self.elaborateShell(core, dataWidth: dataWidth, bufferKiB: bufferKiB)
    }

    /// The shell's packet format for this build.
    public func axiShellFormat(dataWidth: Int) throws -> AxiShellFormat {
        AxiShellFormat(core: try axiShellCore(), dataWidth: dataWidth)
    }

    private static func elaborateShell(_ core: some AxiShellCore, dataWidth: Int, bufferKiB: Int?) throws -> Design {
        try AntgenDSL.elaborate(AxiShell(core: core, dataWidth: dataWidth, bufferKiB: bufferKiB))
    }
}

extension AntVariant: AxiShellVariant {
    /// The output-stationary array without partial-sum preload.
    public var shellCore: any AxiShellCore {
        get throws {
            guard parameters.partialSumStage == nil else {
                throw VariantError("--shell axi does not wrap an array with partial-sum preload (drop --psum-preload/--psum-codec)")
            }
            guard dataflow == .os else { throw VariantError("--shell axi wraps the output-stationary ANT array, not \(dataflow)") }
            return AntShellCore(parameters)
        }
    }

    public func shellTiles(_ layer: FloatLayer, precision: LayerPrecision, format: AxiShellFormat) throws -> [AxiShellTile] {
        let (a, w) = try quantizedOperands(layer, precision: precision)
        return try shellTiles(a: a, w: w, format: format)
    }

    /// The shell's tiles of the quantized operands `a` (M × K) and `w` (K × N): one tile per
    /// R × C block of C, K beats each, results from the golden model.
    public func shellTiles(a: QuantizedMatrix, w: QuantizedMatrix, format: AxiShellFormat) throws -> [AxiShellTile] {
        let model = try goldenModel()
        let tiling = GemmTiling(m: a.rows, k: a.cols, n: w.cols, rows: parameters.rows, cols: parameters.cols)
        return (0..<tiling.tileCount).map { t in
            let beats = tiling.beats(of: t, a: a, w: w)
            return AxiShellTile(ant: model.makeCase(source: "shell-tile-\(t)", activation: a.mode, weight: w.mode, a: beats.a, w: beats.w),
                                format: format)
        }
    }
}

extension SdpVariant: AxiShellVariant {
    /// The SDP array.
    public var shellCore: any AxiShellCore { SdpShellCore(parameters) }

    public func shellTiles(_ layer: FloatLayer, precision: LayerPrecision, format: AxiShellFormat) throws -> [AxiShellTile] {
        try layerRunner(precision).shellTiles(layer, format: format)
    }
}
