import AntgenDSL
import AntgenNumerics

/// The FP-on-INT array top (docs/fp-on-int.md, "Hardware"): rows × cols
/// ``FpIntProcessingElement``s, N ``FpIntOperandDecoder``s per row and per column, the pass
/// sequencer, and the column drain chains.
///
/// A beat is one group: N lane codes per row (`a_code_i`, lane l at bits [l·w, (l+1)·w)) and
/// per column (`w_code_j`), the run-time format `cfg_format` (``FpIntPrecision/code``) and
/// `in_last` (the tile's last group). The beat is held while the sequencer issues its passes,
/// one a cycle, to every PE: (j, k) = (0,0), (0,1), …, (n−1, n−1) for window 1, then the
/// same again for window 2 when some PE reports a lane there (`need_second`). `in_ready`
/// rises in the cycle the held beat's last pass issues. A tile's last pass waits until the
/// previous tile's drain leaves its result registers free (so tiles' last passes are at least R
/// cycles apart); its rows appear 2 cycles after it, `out_row` = rows − 1 first, one a
/// cycle. Idle lanes (K not a multiple of N) are driven as a = +0, w = −0: a negative-zero
/// product, which is exactly a lane holding no product (docs/numeric-formats.md §9.2).
public struct FpIntArray: Circuit {
    /// The parameters.
    public let p: FpIntArrayParameters

    /// An array for `parameters` (assumed valid: ``FpIntArrayParameters/problem()``).
    public init(_ parameters: FpIntArrayParameters) { p = parameters }

    public var name: String { "FpIntArray" }
    public var parameters: [Parameter] {
        [Parameter("rows", p.rows), Parameter("cols", p.cols), Parameter("n", p.lanes), Parameter("s", p.shiftCapacity),
         Parameter("formats", p.formats.reduce(0) { $0 | 1 << $1.code })]
    }

    /// The top-level interface.
    public struct Ports: PortSpec {
        /// `in_valid`, `in_ready`.
        public let beat = PortGroup(BeatHandshakePorts(), prefix: "in_")
        /// The beat is the tile's last group.
        public let inLast = Port.input(.bool)
        /// The operands' format (``FpIntPrecision/code``), sampled with every beat.
        public let cfgFormat = Port.input(.uint(3))
        /// Row i's N lane codes.
        public let aCode: PortVec<HardwareType>
        /// Column j's N lane codes.
        public let wCode: PortVec<HardwareType>
        /// `out_valid`, `out_row`.
        public let out: PortGroup<OutputRowPorts>
        /// C[out_row, j]: binary32 bits, or the integer sum modulo 2^32.
        public let outData: PortVec<HardwareType>

        init(_ p: FpIntArrayParameters) {
            aCode = .input(count: p.rows, .uint(p.lanes * p.codeWidth))
            wCode = .input(count: p.cols, .uint(p.lanes * p.codeWidth))
            out = PortGroup(OutputRowPorts(rowWidth: p.rowIndexWidth))
            outData = .output(count: p.cols, .uint(32))
        }
    }

    public var ports: Ports { Ports(p) }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let ready = m.wire("ready", .bool)
        let accept = m.wire("accept", equals: io.beat.valid & ready)
        io.beat.ready.assign(ready)
        let holdValid = m.register("hold_valid", .bool, reset: 0)
        let expectFirst = m.register("expect_first", .bool, reset: 1)
        let format = m.register("hold_format", next: io.cfgFormat, enable: accept)
        let last = m.register("hold_last", next: io.inLast, enable: accept)
        let first = m.register("hold_first", next: expectFirst, enable: accept)
        m.when(accept) { expectFirst.assign(io.inLast) }
        let aHeld = (0 ..< p.rows).map { m.register("a_q\($0)", next: io.aCode[$0], enable: accept) }
        let wHeld = (0 ..< p.cols).map { m.register("w_q\($0)", next: io.wCode[$0], enable: accept) }
        let rowOperands = aHeld.enumerated().map { decoded(m, "a\($0.offset)", $0.element, format) }
        let colOperands = wHeld.enumerated().map { decoded(m, "w\($0.offset)", $0.element, format) }

        let sequencer = Sequencer(m, p, format: format)
        let needs = m.wire("need_second", .bool)
        let groupEnd = m.wire("group_end", equals: sequencer.windowEnd & (sequencer.second | !needs))
        // The drain: a tile's rows load two cycles after its last pass issues.
        let stageTwo = m.register("stage2_valid", .bool, reset: 0)
        let stageTwoLast = m.register("stage2_last", .bool)
        let drainCount = m.register("drain_count", .uint(bitsToIndex(p.rows + 1)), reset: 0)
        let inFlight = p.rows > 1 ? stageTwo & stageTwoLast : Value.bool(false)
        let stall = m.wire("stall", equals: last & groupEnd & (inFlight | (drainCount > 2)))
        let issue = m.wire("issue", equals: holdValid & !stall)
        let closing = issue & groupEnd
        ready.assign(!holdValid | closing)
        m.when(accept) { holdValid.assign(Value.bool(true)) }.elseWhen(closing) { holdValid.assign(Value.bool(false)) }
        stageTwo.assign(closing)
        m.when(closing) { stageTwoLast.assign(last) }
        m.when(stageTwo & stageTwoLast) { drainCount.assign(.uint(p.rows, width: drainCount.width)) }
            .elseWhen(drainCount != 0) { drainCount.assign(drainCount &- 1) }
        sequencer.advance(m, issue: issue, groupEnd: groupEnd)

        let control = Bundle(FpIntControl()) {
            $0.valid = issue; $0.nibbleA = sequencer.nibbleA; $0.nibbleB = sequencer.nibbleB; $0.second = sequencer.second
            $0.groupFirst = (sequencer.nibbleA == 0) & (sequencer.nibbleB == 0) & !sequencer.second
            $0.groupLast = groupEnd; $0.tileFirst = first; $0.tileLast = last
            $0.integer = sequencer.integer; $0.topNibble = sequencer.topNibble; $0.twiceFraction = sequencer.twiceFraction
        }
        let drainShift = m.wire("drain_shift", equals: p.rows > 1 ? drainCount > 1 : Value.bool(false))
        var above = [Value](repeating: .uint(0, width: 32), count: p.cols)
        var needList: [Value] = []
        for i in 0 ..< p.rows {
            for j in 0 ..< p.cols {
                let pe = m.instance(FpIntProcessingElement(parameters: p), name: "pe_\(i)_\(j)")
                for l in 0 ..< p.lanes {
                    pe.a[l].assign(rowOperands[i][l])
                    pe.w[l].assign(colOperands[j][l])
                }
                pe.ctrl.assign(control)
                pe.drainIn.assign(above[j])
                pe.drainShift.assign(drainShift)
                needList.append(pe.needSecond)
                above[j] = pe.result
            }
        }
        needs.assign(reduceTree(needList, |))
        io.out.valid.assign(drainCount != 0)
        io.out.row.assign((drainCount &- 1).truncated(to: io.out.row.width))
        for j in 0 ..< p.cols { io.outData[j].assign(above[j]) }
    }

    /// The N decoded lanes of one held row or column word.
    private func decoded(_ m: ModuleBuilder, _ name: String, _ word: Value, _ format: Value) -> [Bundle<FpIntLaneOperand>] {
        let w = p.codeWidth
        return (0 ..< p.lanes).map { l in
            let decoder = m.instance(FpIntOperandDecoder(p), name: "\(name)_lane\(l)_decoder")
            decoder.code.assign(word[(l * w)...(l * w + w - 1)])
            decoder.format.assign(format)
            return Bundle(FpIntProcessingElement(parameters: p).operand, packed: m.wire("\(name)_lane\(l)", equals: decoder.decoded.packed))
        }
    }
}

/// The pass sequencer: the nibble pair (j, k) and the window of the issued pass, and the
/// held format's schedule constants.
struct Sequencer {
    let nibbleA: Value, nibbleB: Value, second: Value
    /// (j, k) is the window's last pass.
    let windowEnd: Value
    /// n − 1 of the held format, and its constants for the PEs.
    let lastNibble: Value, integer: Value, topNibble: Value, twiceFraction: Value

    init(_ m: ModuleBuilder, _ p: FpIntArrayParameters, format: Value) {
        nibbleA = m.register("pass_a", .uint(2), reset: 0)
        nibbleB = m.register("pass_b", .uint(2), reset: 0)
        second = m.register("pass_second", .bool, reset: 0)
        func constant(_ name: String, width: Int, _ f: (FpIntPrecision) -> Int) -> Value {
            var v = Value.uint(0, width: width)
            for precision in p.formats { v = mux(format == precision.code, .uint(f(precision), width: width), v) }
            return m.wire(name, equals: v)
        }
        lastNibble = constant("last_nibble", width: 2) { $0.nibbles - 1 }
        integer = m.wire("format_integer", equals: constant("format_integer_bits", width: 1) { $0.integer == nil ? 0 : 1 }.asBool)
        topNibble = constant("top_nibble", width: 2) { $0.nibbles - 1 }
        twiceFraction = constant("twice_fraction", width: 5) { 2 * $0.fractionBits }
        windowEnd = m.wire("window_end", equals: (nibbleA >= lastNibble) & (nibbleB >= lastNibble))
    }

    /// The next pass after an issued one: k first, then j, then window 2 or the next group.
    func advance(_ m: ModuleBuilder, issue: Value, groupEnd: Value) {
        let nextB = m.wire("pass_b_next", equals: (nibbleB &+ 1).site(FpIntArraySite.passAdvance))
        m.when(issue) {
            m.when(groupEnd) {
                nibbleA.assign(.uint(0, width: 2)); nibbleB.assign(.uint(0, width: 2)); second.assign(Value.bool(false))
            }.elseWhen(windowEnd) {
                nibbleA.assign(.uint(0, width: 2)); nibbleB.assign(.uint(0, width: 2)); second.assign(Value.bool(true))
            }.elseWhen(nibbleB >= lastNibble) {
                nibbleB.assign(.uint(0, width: 2)); nibbleA.assign(nibbleA &+ 1)
            }.otherwise {
                nibbleB.assign(nextB)
            }
        }
    }
}

/// The named defect sites of ``FpIntArray``.
public struct FpIntArraySite: DefectSiteTag {
    public let description: String
    /// `pass_b_next` = k + 1, the sequencer's step to the next pass.
    public static let passAdvance = FpIntArraySite(description: "FpIntArray.passAdvance")
}
