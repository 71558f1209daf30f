import AntgenDSL
import AntgenNumerics

/// The partial-sum stage at an array's outputs (docs/architecture.md §14; `AntArray` and
/// `PwlqArray` instantiate the same stage): preloaded partial
/// sums in, the tile's sums plus the preload out, optionally through the 12-bit codec.
///
/// Preload: the host pushes one preload row per accepted `psum_in_valid` (`psum_in_ready`
/// high), rows in output order (each tile's row R−1 first), up to two tiles (2R rows) ahead.
/// Every output row pops one preload row and adds it to the drained sums modulo 2^W, which
/// equals starting the accumulators from it (addition is associative modulo 2^W); an output
/// row with no queued preload adds zero. With the codec, preload rows are 12-bit codes
/// (decoded at the input) and every output sum also leaves as a 12-bit code.
///
/// Values are packed per row: stream s of column j is field j·S + s (field 0 least significant).
public struct PartialSumStage: Circuit {
    /// Sums per column (1 for ANT, 3 for PWLQ).
    public let streams: Int
    /// Columns.
    public let cols: Int
    /// Rows per tile (the queue holds 2 tiles).
    public let rows: Int
    /// W.
    public let sumWidth: Int
    /// Preload rows arrive as 12-bit codes and outputs are also encoded.
    public let codec: Bool

    public init(streams: Int, cols: Int, rows: Int, sumWidth: Int, codec: Bool) {
        self.streams = streams
        self.cols = cols
        self.rows = rows
        self.sumWidth = sumWidth
        self.codec = codec
    }

    public var name: String { "PartialSumStage" }
    public var parameters: [Parameter] {
        [Parameter("s", streams), Parameter("cols", cols), Parameter("rows", rows), Parameter("w", sumWidth), Parameter("codec", codec ? "on" : "off")]
    }

    /// The sum widths the 12-bit codec's circuits are built for.
    public static let codecWidthRange = 8 ... 37

    /// Throws the `psum-codec` ``ParameterError`` when W is outside ``codecWidthRange``.
    static func checkCodec(accumulatorWidth: Int) throws {
        let range = codecWidthRange
        guard range.contains(accumulatorWidth) else {
            throw ParameterError(parameter: "psum-codec",
                                 message: "the 12-bit partial-sum code needs W in \(range.lowerBound)…\(range.upperBound), not \(accumulatorWidth)")
        }
    }

    /// The width of one preload field (12 with the codec, else W).
    public var preloadWidth: Int { codec ? PartialSumCodec.codeWidth : sumWidth }
    /// One preload row: a field per sum (column j's stream s is field j·S + s), field 0
    /// least significant.
    public var preloadRow: PackedVec<HardwareType> { PackedVec(count: streams * cols, .uint(preloadWidth)) }
    /// One output row's 12-bit codes, packed like ``preloadRow``.
    public var codeRow: PackedVec<HardwareType> { PackedVec(count: streams * cols, .uint(PartialSumCodec.codeWidth)) }
    /// Queue depth in rows.
    public var depth: Int { 2 * rows }

    /// The manifest's `partialSums` section: the preload protocol, field layout, codec and
    /// the (zero) extra cycles, for a top whose stream names are `streamNames` (field order).
    public func manifestFields(streamNames: [String]) -> [String: String] {
        let layout = streamNames.count == 1 ? "field j = column j" : "field \(streamNames.count)j + s, s = " + streamNames.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
        var fields = [
            "mode": codec ? "codec12" : "preload",
            "protocol": "psum_in_valid/psum_in_ready handshake, one preload row per accepted cycle, in output order (each tile's row rows-1 first); the queue holds \(depth) rows (2 tiles); every output row pops one queued row and adds it modulo 2^W (no queued row: adds 0)",
            "psumIn": "\(streams * cols) fields of \(preloadWidth) bits, \(layout), field 0 least significant",
            "extraCycles": "0 (the preload is added combinationally as the row leaves; first- and last-row latency unchanged)",
            "queueDepthRows": "\(depth)",
        ]
        if codec {
            fields["codec"] = "12-bit {sign, exponent[4:0], fraction[5:0]}: e = 0 -> f, e >= 1 -> (64 + f) * 2^(e-1); encode rounds to nearest, ties to even; decode saturates to W bits; exact for |S| <= 127, else error <= |S| * 2^-7 (docs/numeric-formats.md 7.7)"
            fields["outPsum"] = "the 12-bit codes of the output row (sums + preload), packed like psum_in, valid with out_valid"
        }
        return fields
    }

    public struct Ports: PortSpec {
        /// An output row is presented by the array (pops one preload row).
        public let rowValid = Port.input(.bool)
        /// The drained sums of that row.
        public let sums: PortVec<HardwareType>
        /// A preload row is offered.
        public let psumInValid = Port.input(.bool)
        /// The queue takes it this cycle.
        public let psumInReady = Port.output(.bool)
        /// The preload row, packed (field 0 least significant).
        public let psumIn: Port<PackedVec<HardwareType>>
        /// sums + preload, modulo 2^W.
        public let total: PortVec<HardwareType>
        /// The 12-bit codes of `total`, packed like `psum_in` (with the codec).
        public let codes: Port<PackedVec<HardwareType>>?
    }

    public var ports: Ports {
        let n = streams * cols
        return Ports(sums: .input(count: n, .uint(sumWidth)), psumIn: .input(preloadRow),
                     total: .output(count: n, .uint(sumWidth)), codes: codec ? .output(codeRow) : nil)
    }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let n = streams * cols, rowWidth = preloadRow.packedType.width
        let countWidth = minimalUnsignedWidth(depth)
        let count = m.register("count", .uint(countWidth), reset: 0)
        let ready = m.wire("ready", equals: count < depth)
        io.psumInReady.assign(ready)
        let push = m.wire("push", equals: io.psumInValid & ready)
        let pop = m.wire("pop", equals: io.rowValid & (count != 0))
        let incoming = m.wire("incoming", equals: io.psumIn.packed)
        let entries = (0 ..< depth).map { m.register("entry_\($0)", .uint(rowWidth)) }
        for (index, entry) in entries.enumerated() {
            let next = index + 1 < depth ? entries[index + 1] : entry
            m.when(pop) {
                m.when(push & (count == index + 1)) { entry.assign(incoming) }.otherwise { entry.assign(next) }
            }.elseWhen(push & (count == index)) {
                entry.assign(incoming)
            }
        }
        m.when(push & !pop) {
            count.assign(count &+ 1)
        }.elseWhen(pop & !push) {
            count.assign(count &- 1)
        }
        let head = PackedVecValue(preloadRow, packed: m.wire("head", equals: mux(pop, entries[0], Value.uint(0, width: rowWidth))).site(PartialSumStageSite.head))
        var codes: [Value] = []
        for field in 0 ..< n {
            let raw = head[field]
            let preload: Value
            if codec {
                let decoder = m.instance(PartialSumDecoder(sumWidth: sumWidth), name: "decoder_\(field)")
                decoder.code.assign(raw)
                preload = decoder.sum.asUInt
            } else {
                preload = raw
            }
            let total = m.wire("with_preload_\(field)", equals: io.sums[field] &+ preload)
            io.total[field].assign(total)
            if codec {
                let encoder = m.instance(PartialSumEncoder(sumWidth: sumWidth), name: "encoder_\(field)")
                encoder.sum.assign(total.asSInt)
                codes.append(encoder.code)
            }
        }
        io.codes?.assign(Vec(codes))
    }
}

extension ModuleBuilder {
    /// The `psum` instance of `stage` (nil: no stage, returns nil) at an array top's outputs,
    /// with the preload handshake wired to the top's ``PartialSumPorts``: `psum_in_valid`
    /// and `psum_in` in, `psum_in_ready` and, with the codec, `out_psum` out. The caller
    /// connects `rowValid` (its `out_active`) and the deskewed `sums`, and drives its
    /// outputs from `total`.
    func partialSumStage(_ stage: PartialSumStage?, ports: IO<PartialSumPorts>?) -> InstanceHandle<PartialSumStage.Ports>? {
        let handle = stage.map { instance($0, name: "psum") }
        if let handle, let ports {
            handle.psumInValid.assign(ports.psumInValid)
            handle.psumIn.assign(ports.psumIn)
            ports.psumInReady.assign(handle.psumInReady)
            if let out = handle.codes { ports.outPsum?.assign(out) }
        }
        return handle
    }
}

/// The named defect sites of ``PartialSumStage``.
public struct PartialSumStageSite: DefectSiteTag {
    public let description: String

    /// `head` = pop ? the queue's first row : 0, the row every output adds.
    public static let head = PartialSumStageSite(description: "PartialSumStage.head")
}
