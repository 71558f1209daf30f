import AntgenDSL
import AntgenNumerics

/// One MX processing element (docs/architecture.md "MX array", spec §5.5–5.6).
///
/// Stage 1, every beat: the exact integer block sum
///
///     term  = (−1)^(sa⊕sw) · (Ma·Mw) << (Ea+Ew)            exact, block-sum width
///     bsum' = (block_first ? 0 : bsum) + term               never overflows (spec §5.5)
///     flags: NaN (NaN element/scale, ∞ × 0), +∞, −∞        sticky within the block
///
/// and on the block's last beat the sum, x = x_A + x_B and the flags move to the
/// `pending` registers. Stage 2, the cycle after: the pending block is folded into the
/// accumulator, either
///
/// - FP32: block value = ``Fp32Rounder``(sum · 2^x) (specials override), then
///   acc ← ``Fp32Adder``(first block ? −0 : acc, block value); or
/// - a bounded window of S bits: A · 2^(r − S) with the shift/drop rule of spec §5.6, and
///   one ``Fp32Rounder`` for the result.
///
/// On the tile's last block the new value goes to `result`, which is also a stage of the
/// column's drain chain (`drain_shift`: take `drain_in`, the result of the PE above).
public struct MxProcessingElement: Circuit {
    /// The array parameters (formats, widths, accumulator).
    public let array: MxArrayParameters

    /// A PE for `array`.
    public init(_ array: MxArrayParameters) { self.array = array }

    /// `MxProcessingElement`.
    public var name: String { "MxProcessingElement" }
    /// Widths and the accumulator.
    public var parameters: [Parameter] {
        var list = [Parameter("m", array.mantissaWidth), Parameter("e", array.shiftWidth),
                    Parameter("bsum", array.blockSumWidth)]
        if case .window(let s) = array.accumulation {
            list += [Parameter("window", s), Parameter("acc", array.windowAccumulatorWidth)]
        }
        return list
    }

    /// The operand bundle of both streams.
    public var operand: MxOperand { MxOperand(mantissaWidth: array.mantissaWidth, shiftWidth: array.shiftWidth) }

    /// The interface.
    public struct Ports: PortSpec {
        /// The activation element of this row.
        public let a: Port<MxOperand>
        /// The weight element of this column.
        public let w: Port<MxOperand>
        /// The beat's control.
        public let ctrl = Port.input(MxControl())
        /// The result of the PE above (drain chain).
        public let drainIn = Port.input(.uint(32))
        /// Take `drain_in` into `result` this cycle.
        public let drainShift = Port.input(.bool)
        /// The finished tile's FP32 result.
        public let result = Port.output(.uint(32))

        init(operand: MxOperand) {
            a = .input(operand)
            w = .input(operand)
        }
    }

    /// The ports.
    public var ports: Ports { Ports(operand: operand) }

    /// The stage-2 inputs: the pending block.
    struct Pending {
        let valid: Value, first: Value, last: Value, sum: Value, exponent: Value, nan: Value, positive: Value, negative: Value
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let pending = blockSum(m, io)
        let value: Value
        switch array.accumulation {
        case .float32: value = floatAccumulator(m, pending)
        case .window(let s): value = windowAccumulator(m, pending, window: s)
        }
        let result = m.register("result_q", .uint(32))
        m.when(pending.valid & pending.last) {
            result.assign(value)
        }.elseWhen(io.drainShift) {
            result.assign(io.drainIn)
        }
        io.result.assign(result)
    }

    /// Stage 1: the exact block sum and its flags, and the pending registers.
    private func blockSum(_ m: ModuleBuilder, _ io: IO<Ports>) -> Pending {
        let wb = array.blockSumWidth
        let a = io.a, w = io.w, c = io.ctrl
        let valid = m.wire("valid", equals: c.valid)
        let blockFirst = m.wire("block_first", equals: c.blockFirst)
        let negative = m.wire("negative", equals: a.sign ^ w.sign)
        let product = m.wire("product", equals: a.mantissa * w.mantissa)
        let shift = m.wire("shift", equals: a.shift + w.shift)
        let shiftedFull = product << shift
        let magnitude = m.wire("magnitude", equals: shiftedFull.width >= wb ? shiftedFull.truncated(to: wb - 1) : shiftedFull)
        let term = m.wire("term", equals: mux(negative, -magnitude, magnitude.toSigned()))
        let aZero = (a.mantissa == 0) & !a.inf & !a.nan
        let wZero = (w.mantissa == 0) & !w.inf & !w.nan
        let productNaN = m.wire("product_nan", equals: a.nan | w.nan | (a.inf & wZero) | (w.inf & aZero))
        let productInf = m.wire("product_inf", equals: (a.inf | w.inf) & !productNaN)

        let bsum = m.register("bsum", .sint(wb), enable: valid)
        let bsumNext = m.wire("bsum_next", equals: mux(blockFirst, Value.sint(0, width: wb), bsum) &+ term.extended(to: wb))
        bsum.assign(bsumNext)
        func sticky(_ name: String, _ event: Value) -> Value {
            let flag = m.register(name, .bool, enable: valid)
            let next = m.wire("\(name)_next", equals: (flag & !blockFirst) | event)
            flag.assign(next)
            return next
        }
        let nanNext = sticky("block_nan", productNaN)
        let positiveNext = sticky("block_pos_inf", productInf & !negative)
        let negativeNext = sticky("block_neg_inf", productInf & negative)
        let firstBlock = m.register("first_block", .bool, enable: valid & blockFirst)
        firstBlock.assign(c.tileFirst)
        let firstNow = mux(blockFirst, c.tileFirst, firstBlock)

        let closing = valid & c.blockLast
        let p = Pending(
            valid: m.register("pending_valid", next: closing, reset: 0),
            first: m.register("pending_first", next: firstNow, enable: closing),
            last: m.register("pending_last", next: c.tileLast, enable: closing),
            sum: m.register("pending_sum", next: bsumNext, enable: closing),
            exponent: m.register("pending_exponent", next: a.exponent + w.exponent, enable: closing).site(MxProcessingElementSite.blockExponent),
            nan: m.register("pending_nan", next: nanNext, enable: closing),
            positive: m.register("pending_pos_inf", next: positiveNext, enable: closing),
            negative: m.register("pending_neg_inf", next: negativeNext, enable: closing))
        return p
    }

    /// The binary32 value of (sign, magnitude) · 2^exponent with the flags applied.
    private func rounded(_ m: ModuleBuilder, _ name: String, signed value: Value, exponent: Value,
                         nan: Value, positive: Value, negative: Value) -> Value {
        let rounder = m.instance(Fp32Rounder(magnitudeWidth: value.width, exponentWidth: exponent.width), name: name)
        rounder.sign.assign(value < 0)
        rounder.magnitude.assign(value.magnitude())
        rounder.exponent.assign(exponent)
        var bits = rounder.result
        bits = mux(negative, .uint(0xFF80_0000, width: 32), bits)
        bits = mux(positive, .uint(0x7F80_0000, width: 32), bits)
        return mux(nan | (positive & negative), .uint(0x7FC0_0000, width: 32), bits)
    }

    /// Stage 2, FP32: acc ← (first ? −0 : acc) + block value.
    private func floatAccumulator(_ m: ModuleBuilder, _ p: Pending) -> Value {
        let block = m.wire("block_value", equals: rounded(m, "block_round", signed: p.sum, exponent: p.exponent,
                                                          nan: p.nan, positive: p.positive, negative: p.negative))
        let acc = m.register("acc", .uint(32), enable: p.valid)
        let adder = m.instance(Fp32Adder(), name: "fold")
        adder.a.site(MxProcessingElementSite.foldAccumulator).assign(mux(p.first, .uint(0x8000_0000, width: 32), acc))
        adder.b.assign(block)
        let next = m.wire("acc_next", equals: adder.sum)
        acc.assign(next)
        return next
    }

    /// Stage 2, bounded window of `window` bits (spec §5.6).
    private func windowAccumulator(_ m: ModuleBuilder, _ p: Pending, window: Int) -> Value {
        let wa = array.windowAccumulatorWidth
        let accumulator = m.register("acc", .sint(wa), enable: p.valid)
        let reference = m.register("reference", .sint(MxOperand.exponentWidth + 1), enable: p.valid)
        let empty = m.register("empty", .bool, enable: p.valid)
        func sticky(_ name: String, _ event: Value) -> Value {
            let flag = m.register(name, .bool, enable: p.valid)
            let next = m.wire("\(name)_next", equals: (flag & !p.first) | event)
            flag.assign(next)
            return next
        }
        let nan = sticky("acc_nan", p.nan)
        let positive = sticky("acc_pos_inf", p.positive)
        let negative = sticky("acc_neg_inf", p.negative)
        let emptyIn = m.wire("empty_in", equals: p.first | empty)
        let nonzero = m.wire("nonzero", equals: p.sum != 0)
        let x = p.exponent
        let below = m.wire("below", equals: x <= reference)
        let aligned = m.wire("aligned", equals: (p.sum << window).extended(to: wa))
        let shiftWidth = minimalUnsignedWidth(max(wa, window))
        func clampedDistance(_ d: Value, limit: Int) -> Value {
            mux(d > limit, Value.sint(limit), d).asUInt.truncated(to: shiftWidth)
        }
        let downDistance = m.wire("down_distance", equals: reference - x)
        let inWindow = m.wire("in_window", equals: downDistance <= window)
        let added = m.wire("window_add", equals: mux(inWindow, aligned >> clampedDistance(downDistance, limit: window), Value.sint(0, width: wa)))
            .site(MxProcessingElementSite.windowAdd)
        let upDistance = m.wire("up_distance", equals: x - reference)
        let raised = (accumulator >> clampedDistance(upDistance, limit: wa)) &+ aligned
        let accNext = m.wire("acc_next", equals: mux(emptyIn, aligned, mux(below, accumulator &+ added, raised)))
        let referenceNext = m.wire("reference_next", equals: mux(emptyIn | !below, x.extended(to: reference.width), reference))
        accumulator.assign(mux(nonzero, accNext, accumulator))
        reference.assign(mux(nonzero, referenceNext, reference))
        empty.assign(emptyIn & !nonzero)
        let finalAcc = m.wire("final_acc", equals: mux(nonzero, accNext, mux(emptyIn, Value.sint(0, width: wa), accumulator)))
        let finalReference = mux(nonzero, referenceNext, reference)
        let exponent = m.wire("final_exponent", equals: finalReference - Value.sint(window))
        return rounded(m, "final_round", signed: finalAcc, exponent: exponent, nan: nan, positive: positive, negative: negative)
    }
}

/// The named defect sites of ``MxProcessingElement``.
public struct MxProcessingElementSite: DefectSiteTag {
    public let description: String

    /// `pending_exponent` = x_A + x_B, the pending block's scale exponent.
    public static let blockExponent = MxProcessingElementSite(description: "MxProcessingElement.blockExponent")
    /// FP32 accumulation: the fold adder's accumulator input `fold_a` = first ? −0 : acc.
    public static let foldAccumulator = MxProcessingElementSite(description: "MxProcessingElement.foldAccumulator")
    /// Window accumulation: `window_add`, the aligned block sum when inside the window, else 0.
    public static let windowAdd = MxProcessingElementSite(description: "MxProcessingElement.windowAdd")
}
