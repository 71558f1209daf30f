import AntgenDSL
import AntgenNumerics

/// One FP-on-INT processing element (docs/fp-on-int.md, "Hardware"; docs/numeric-formats.md §9):
/// N lanes of 4 × 4-bit nibble multipliers reduced by one adder tree, bit-exact with
/// ``FpIntDotProduct`` (floats) and ``FpIntIntegerDot`` (integers, kept modulo 2^32).
///
/// Every cycle the array's sequencer issues one nibble pass (j, k) of one window (`ctrl`):
///
///     e_i   = E_a + E_b;  e_max = max e_i over the finite lanes     (max-exponent unit)
///     d_i   = e_max − e_i: d ≤ S window 1 (shift d), S < d ≤ 2S window 2 (shift d − S), else flushed
///     t_i   = ±((m_a,j · m_b,k) · 2^S) >> shift_i   for lanes of the pass's window (local shifter)
///     T     = Σ t_i                                  (adder tree, 10 + S + ⌈log2 N⌉ bits)
///     A    += (window 1 ? T · 2^S : T) · 2^(4(j+k))  (auxiliary shifter, pass shifter)
///
/// Integer nibbles are signed on the top nibble (5 × 5 signed multiply). `need_second` tells
/// the sequencer that some lane sits in window 2. After a group's last pass, stage 2 (the
/// next cycle) rounds A · 2^(e_max − 2S − 2f) once to binary32 (``Fp32Rounder``, specials and
/// the signed-zero rule applied) and adds it to the FP32 accumulator (``Fp32Adder``, from −0
/// at the tile's first group); integers add A / 2^(2S) to a 32-bit two's-complement sum. The
/// tile's value goes to `result`, a stage of the column's drain chain.
///
/// The public entry point for cost studies: `FpIntProcessingElement(parameters:)`, elaborated
/// with `elaborate(_:)` like any ``Circuit``.
public struct FpIntProcessingElement: Circuit {
    /// The array parameters (N, S, formats).
    public let array: FpIntArrayParameters

    /// A PE for `parameters` (assumed valid: ``FpIntArrayParameters/problem()``).
    public init(parameters: FpIntArrayParameters) { array = parameters }

    public var name: String { "FpIntProcessingElement" }
    public var parameters: [Parameter] {
        [Parameter("n", array.lanes), Parameter("s", array.shiftCapacity), Parameter("m", array.significandWidth)]
    }

    /// The decoded lane operand.
    public var operand: FpIntLaneOperand { FpIntLaneOperand(significandWidth: array.significandWidth) }

    /// The interface.
    public struct Ports: PortSpec {
        /// Row operands, lane 0 first.
        public let a: PortVec<FpIntLaneOperand>
        /// Column operands.
        public let w: PortVec<FpIntLaneOperand>
        /// The issued pass.
        public let ctrl = Port.input(FpIntControl())
        /// The result of the PE above (drain chain).
        public let drainIn = Port.input(.uint(32))
        /// Take `drain_in` into `result` this cycle.
        public let drainShift = Port.input(.bool)
        /// Some finite lane of the held group lies in window 2.
        public let needSecond = Port.output(.bool)
        /// The finished tile's value (binary32 bits, or the integer sum modulo 2^32).
        public let result = Port.output(.uint(32))

        init(lanes: Int, operand: FpIntLaneOperand) {
            a = .input(count: lanes, operand)
            w = .input(count: lanes, operand)
        }
    }

    public var ports: Ports { Ports(lanes: array.lanes, operand: operand) }

    /// One lane's classes.
    struct Lane {
        let nan: Value, inf: Value, zero: Value, finite: Value, negative: Value, exponent: Value
    }

    /// The group's flags and exponent, as stage 2 needs them.
    struct Group {
        let nan: Value, positive: Value, negative: Value, finite: Value, negativeZero: Value, exponent: Value
    }

    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let n = array.lanes
        let lanes = (0 ..< n).map { lane(m, $0, io.a[$0], io.w[$0]) }
        let eMax = maxExponent(m, lanes)
        let c = io.ctrl
        var needs: [Value] = []
        var terms: [Value] = []
        for i in 0 ..< n {
            let (term, need) = laneTerm(m, i, lanes[i], eMax: eMax, a: io.a[i], w: io.w[i], ctrl: c)
            terms.append(term.extended(to: array.treeWidth))
            needs.append(need)
        }
        io.needSecond.assign(reduceTree(needs, |))
        let tree = m.wire("tree_sum", equals: reduceTree(terms, &+))
        let accW = array.accumulatorWidth
        let wide = tree.extended(to: accW)
        let aligned = m.wire("aux_shifted", equals: mux(c.second, wide, (wide << array.shiftCapacity).truncated(to: accW)))
            .site(FpIntProcessingElementSite.auxiliaryShift)
        let weight = m.wire("pass_weight", equals: cat((c.nibbleA + c.nibbleB), Value.uint(0, width: 2)))
        let weighted = m.wire("pass_shifted", equals: (aligned << weight).truncated(to: accW))
        let acc = m.register("group_acc", .sint(accW), enable: c.valid)
        let accNext = m.wire("group_acc_next", equals: mux(c.groupFirst, Value.sint(0, width: accW), acc) &+ weighted)
        acc.assign(accNext)

        let group = flags(m, lanes, eMax: eMax, twiceFraction: c.twiceFraction)
        let value = stageTwo(m, c, sum: accNext, group: group)
        let result = m.register("result_q", .uint(32))
        m.when(value.load) {
            result.assign(value.bits)
        }.elseWhen(io.drainShift) {
            result.assign(io.drainIn)
        }
        io.result.assign(result)
    }

    /// The lane's product class and exponent (docs/numeric-formats.md §9.2 step 1).
    private func lane(_ m: ModuleBuilder, _ i: Int, _ a: Bundle<FpIntLaneOperand>, _ b: Bundle<FpIntLaneOperand>) -> Lane {
        let nan = m.wire("lane\(i)_nan", equals: a.nan | b.nan | (a.inf & b.zero) | (b.inf & a.zero))
        let inf = m.wire("lane\(i)_inf", equals: (a.inf | b.inf) & !nan)
        let special = a.nan | b.nan | a.inf | b.inf
        return Lane(nan: nan, inf: inf, zero: m.wire("lane\(i)_zero", equals: (a.zero | b.zero) & !special),
                    finite: m.wire("lane\(i)_finite", equals: !(special | a.zero | b.zero)),
                    negative: m.wire("lane\(i)_negative", equals: a.sign ^ b.sign),
                    exponent: m.wire("lane\(i)_exponent", equals: a.exponent + b.exponent))
    }

    /// The max-exponent unit: a comparator tree over the finite lanes' exponents (0 when none).
    private func maxExponent(_ m: ModuleBuilder, _ lanes: [Lane]) -> Value {
        var level = lanes.map { (valid: $0.finite, exponent: $0.exponent) }
        var stage = 0
        while level.count > 1 {
            var next: [(valid: Value, exponent: Value)] = []
            var i = 0
            while i + 1 < level.count {
                let (x, y) = (level[i], level[i + 1])
                let greater = (y.exponent > x.exponent).site(FpIntProcessingElementSite.maxCompare)
                let takeY = m.wire("emax_take_\(stage)_\(i / 2)", equals: y.valid & (!x.valid | greater))
                next.append((x.valid | y.valid, m.wire("emax_\(stage)_\(i / 2)", equals: mux(takeY, y.exponent, x.exponent))))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
            stage += 1
        }
        return m.wire("e_max", equals: mux(level[0].valid, level[0].exponent, Value.sint(0, width: level[0].exponent.width)))
    }

    /// One lane's locally shifted term of the issued pass, and whether it needs window 2.
    private func laneTerm(_ m: ModuleBuilder, _ i: Int, _ l: Lane, eMax: Value, a: Bundle<FpIntLaneOperand>,
                          w: Bundle<FpIntLaneOperand>, ctrl c: Bundle<FpIntControl>) -> (term: Value, needSecond: Value) {
        let s = array.shiftCapacity
        let distance = m.wire("lane\(i)_distance", equals: (eMax - l.exponent).asUInt.truncated(to: 10))
        let first = m.wire("lane\(i)_first", equals: (distance <= s).site(FpIntProcessingElementSite.localCapacity))
        // Window 2 holds what the local shifter reaches after the auxiliary shift: d − S ≤ S.
        let beyond = m.wire("lane\(i)_beyond", equals: distance &- s)
        let second = m.wire("lane\(i)_second", equals: !first & (beyond <= s).site(FpIntProcessingElementSite.localCapacity))
        let shift = m.wire("lane\(i)_shift", equals: mux(first, distance, beyond).truncated(to: array.shiftWidth))
        let active = m.wire("lane\(i)_active", equals: l.finite & mux(c.second, second, first))
        func nibble(_ x: Bundle<FpIntLaneOperand>, _ index: Value, _ tag: String) -> Value {
            let width = array.significandWidth / 4
            var chosen = x.significand[0...3]
            for j in 1 ..< max(width, 1) { chosen = mux(index == j, x.significand[(4 * j)...(4 * j + 3)], chosen) }
            let signed = c.integer & (index == c.topNibble) & chosen[3]
            return m.wire("lane\(i)_nibble_\(tag)", equals: cat(signed, chosen).asSInt)
        }
        let product = m.wire("lane\(i)_product", equals: nibble(a, c.nibbleA, "a") * nibble(w, c.nibbleB, "w"))
        let local = m.wire("lane\(i)_local", equals: (product << s) >> shift)
        let negated = Value.sint(0, width: local.width) &- local
        let term = m.wire("lane\(i)_term", equals: mux(active, mux(l.negative, negated, local), Value.sint(0, width: local.width)))
        return (term, m.wire("lane\(i)_need_second", equals: l.finite & second))
    }

    /// The group's specials, the signed-zero rule and the LSB exponent of A (§9.2 step 7).
    private func flags(_ m: ModuleBuilder, _ lanes: [Lane], eMax: Value, twiceFraction: Value) -> Group {
        let positive = m.wire("group_pos_inf", equals: reduceTree(lanes.map { $0.inf & !$0.negative }, |))
        let negative = m.wire("group_neg_inf", equals: reduceTree(lanes.map { $0.inf & $0.negative }, |))
        let nan = m.wire("group_nan", equals: reduceTree(lanes.map(\.nan), |) | (positive & negative))
        let finite = m.wire("group_finite", equals: reduceTree(lanes.map(\.finite), |))
        let negativeZero = m.wire("group_neg_zero", equals: reduceTree(lanes.map { $0.zero & $0.negative }, &))
        let width = 12
        let exponent = m.wire("group_exponent", equals: eMax.extended(to: width) &- Value.sint(2 * array.shiftCapacity, width: width)
            &- twiceFraction.toSigned().extended(to: width))
        return Group(nan: nan, positive: positive, negative: negative, finite: finite, negativeZero: negativeZero, exponent: exponent)
    }

    /// Stage 2: the pending group rounded and folded into the tile accumulator.
    private func stageTwo(_ m: ModuleBuilder, _ c: Bundle<FpIntControl>, sum: Value, group g: Group) -> (load: Value, bits: Value) {
        let closing = c.valid & c.groupLast
        func pend(_ name: String, _ v: Value) -> Value { m.register("pending_\(name)", next: v, enable: closing) }
        let valid = m.register("pending_valid", next: closing, reset: 0)
        let first = pend("first", c.tileFirst), last = pend("last", c.tileLast), integer = pend("integer", c.integer)
        let total = pend("sum", sum), exponent = pend("exponent", g.exponent)
        let nan = pend("nan", g.nan), positive = pend("pos_inf", g.positive), negative = pend("neg_inf", g.negative)
        let finite = pend("finite", g.finite), negativeZero = pend("neg_zero", g.negativeZero)

        let rounder = m.instance(Fp32Rounder(magnitudeWidth: total.width, exponentWidth: exponent.width), name: "group_round")
        rounder.sign.assign(total < Value.sint(0, width: total.width))
        rounder.magnitude.assign(total.magnitude())
        rounder.exponent.assign(exponent)
        var bits = mux(finite, rounder.result, mux(negativeZero, .uint(0x8000_0000, width: 32), .uint(0, width: 32)))
        bits = mux(negative, .uint(0xFF80_0000, width: 32), bits)
        bits = mux(positive, .uint(0x7F80_0000, width: 32), bits)
        let groupValue = m.wire("group_value", equals: mux(nan, .uint(0x7FC0_0000, width: 32), bits))

        let scaled = total >> (2 * array.shiftCapacity)
        let integerValue = m.wire("group_integer", equals: (scaled.width >= 32 ? scaled.truncated(to: 32) : scaled.extended(to: 32)).asUInt)
        let acc = m.register("tile_acc", .uint(32), enable: valid)
        let fold = m.instance(Fp32Adder(), name: "fold")
        fold.a.assign(mux(first, .uint(0x8000_0000, width: 32), acc))
        fold.b.assign(groupValue)
        let integerSum = mux(first, .uint(0, width: 32), acc) &+ integerValue
        let next = m.wire("tile_acc_next", equals: mux(integer, integerSum, fold.sum))
        acc.assign(next)
        return (valid & last, next)
    }
}

/// The named defect sites of ``FpIntProcessingElement``.
public struct FpIntProcessingElementSite: DefectSiteTag {
    public let description: String

    /// The local shifter's capacity tests: `lane<i>_first` = d ≤ S and, in `lane<i>_second`, d − S ≤ S.
    public static let localCapacity = FpIntProcessingElementSite(description: "FpIntProcessingElement.localCapacity")
    /// `aux_shifted` = window 2 ? T : T · 2^S, the auxiliary shifter.
    public static let auxiliaryShift = FpIntProcessingElementSite(description: "FpIntProcessingElement.auxiliaryShift")
    /// The comparators of the max-exponent tree (e_y > e_x).
    public static let maxCompare = FpIntProcessingElementSite(description: "FpIntProcessingElement.maxCompare")
}
