import AntgenDSL
import AntgenNumerics

/// One lane of the "typical mixed-precision" baseline (issue 27 part 4, docs/fp-on-int.md):
/// a dedicated unit per precision, each one multiply–accumulate per cycle:
///
///     INT4  → BaselineIntMac(4, W)   (operand bits 3…0)
///     INT8  → BaselineIntMac(8, W)   (operand bits 7…0)
///     FP16, BF16 → BaselineFloatMac  (operand bits 15…0; the format picks the decode)
///
/// `mode` (``BaselinePrecision`` raw value) selects the unit. Only that unit's accumulator
/// is enabled, and the other units' operands are held at zero (operand isolation, a few AND
/// gates), so an idle unit does not switch: the energy model charges only the active unit.
public struct MixedPrecisionBaselineLane: Circuit {
    /// The integer accumulators' width W (both INT4 and INT8).
    public let intAccumulatorWidth: Int

    /// Creates a lane with W-bit integer accumulators (default 32).
    public init(intAccumulatorWidth: Int = 32) {
        self.intAccumulatorWidth = intAccumulatorWidth
    }

    /// `MixedPrecisionBaselineLane`.
    public var name: String { "MixedPrecisionBaselineLane" }
    /// W.
    public var parameters: [Parameter] { [Parameter("acc", intAccumulatorWidth)] }

    /// The interface.
    public struct Ports: PortSpec {
        /// A product is accumulated this cycle.
        public let valid = Port.input(.bool)
        /// The product starts a new sum.
        public let first = Port.input(.bool)
        /// The precision (``BaselinePrecision`` raw value: 0 INT4, 1 INT8, 2 FP16, 3 BF16).
        public let mode = Port.input(.uint(2))
        /// One operand's code, low-aligned.
        public let a = Port.input(.uint(16))
        /// The other's.
        public let b = Port.input(.uint(16))
        /// The INT4 unit's accumulator.
        public let int4Acc: Port<HardwareType>
        /// The INT8 unit's accumulator.
        public let int8Acc: Port<HardwareType>
        /// The FP unit's FP32 accumulator (binary32 bits).
        public let fpAcc = Port.output(.uint(32))

        init(intAccumulatorWidth: Int) {
            int4Acc = .output(.sint(intAccumulatorWidth))
            int8Acc = .output(.sint(intAccumulatorWidth))
        }
    }

    /// The ports.
    public var ports: Ports { Ports(intAccumulatorWidth: intAccumulatorWidth) }

    /// Builds the lane.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let isInt4 = m.wire("is_int4", equals: io.mode == BaselinePrecision.int4.rawValue)
        let isInt8 = m.wire("is_int8", equals: io.mode == BaselinePrecision.int8.rawValue)
        let isFloat = m.wire("is_float", equals: io.mode[1])
        func isolated(_ x: Value, bits: Int, _ on: Value) -> Value {
            x[0...(bits - 1)] & mux(on, .uint((1 << bits) - 1, width: bits), .uint(0, width: bits))
        }
        for (bits, on, tag, out) in [(4, isInt4, "int4", io.int4Acc), (8, isInt8, "int8", io.int8Acc)] {
            let unit = m.instance(BaselineIntMac(bits: bits, accumulatorWidth: intAccumulatorWidth), name: "\(tag)_mac")
            unit.enable.assign(io.valid & on)
            unit.first.assign(io.first)
            unit.a.assign(isolated(io.a, bits: bits, on).asSInt)
            unit.b.assign(isolated(io.b, bits: bits, on).asSInt)
            out.assign(unit.acc)
        }
        let fp = m.instance(BaselineFloatMac(), name: "fp_mac")
        fp.enable.assign(io.valid & isFloat)
        fp.first.assign(io.first)
        fp.bf16.assign(io.mode == BaselinePrecision.bf16.rawValue)
        fp.a.assign(isolated(io.a, bits: 16, isFloat))
        fp.b.assign(isolated(io.b, bits: 16, isFloat))
        io.fpAcc.assign(fp.acc)
    }
}

/// The baseline array: `lanes` ``MixedPrecisionBaselineLane``s sharing `valid`, `first` and
/// `mode`, each with its own operands and accumulators (N multiply–accumulates per cycle in
/// every precision, as many lanes as the FP-on-INT unit has).
public struct MixedPrecisionBaselineArray: Circuit {
    /// Lanes N.
    public let lanes: Int
    /// The integer accumulators' width W.
    public let intAccumulatorWidth: Int

    /// Creates an N-lane array.
    /// - Throws: ``FpIntError`` when N is outside 1…256 or W outside 8…64.
    public init(lanes: Int, intAccumulatorWidth: Int = 32) throws(FpIntError) {
        guard FpIntUnit.laneRange.contains(lanes) else { throw FpIntError("N = \(lanes) lanes is out of range (1…256)") }
        guard (8 ... 64).contains(intAccumulatorWidth) else {
            throw FpIntError("the integer accumulator width \(intAccumulatorWidth) is out of range (8…64)")
        }
        self.lanes = lanes
        self.intAccumulatorWidth = intAccumulatorWidth
    }

    /// `MixedPrecisionBaselineArray`.
    public var name: String { "MixedPrecisionBaselineArray" }
    /// N and W.
    public var parameters: [Parameter] { [Parameter("lanes", lanes), Parameter("acc", intAccumulatorWidth)] }

    /// The interface.
    public struct Ports: PortSpec {
        /// A product per lane is accumulated this cycle.
        public let valid = Port.input(.bool)
        /// The products start new sums.
        public let first = Port.input(.bool)
        /// The precision (``BaselinePrecision`` raw value).
        public let mode = Port.input(.uint(2))
        /// Lane i's first operand.
        public let a: PortVec<HardwareType>
        /// Lane i's second operand.
        public let b: PortVec<HardwareType>
        /// Lane i's INT4 accumulator.
        public let int4Acc: PortVec<HardwareType>
        /// Lane i's INT8 accumulator.
        public let int8Acc: PortVec<HardwareType>
        /// Lane i's FP32 accumulator.
        public let fpAcc: PortVec<HardwareType>

        init(lanes: Int, intAccumulatorWidth: Int) {
            a = .input(count: lanes, .uint(16))
            b = .input(count: lanes, .uint(16))
            int4Acc = .output(count: lanes, .sint(intAccumulatorWidth))
            int8Acc = .output(count: lanes, .sint(intAccumulatorWidth))
            fpAcc = .output(count: lanes, .uint(32))
        }
    }

    /// The ports.
    public var ports: Ports { Ports(lanes: lanes, intAccumulatorWidth: intAccumulatorWidth) }

    /// Builds the array.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        for i in 0 ..< lanes {
            let lane = m.instance(MixedPrecisionBaselineLane(intAccumulatorWidth: intAccumulatorWidth), name: "lane_\(i)")
            lane.valid.assign(io.valid)
            lane.first.assign(io.first)
            lane.mode.assign(io.mode)
            lane.a.assign(io.a[i])
            lane.b.assign(io.b[i])
            io.int4Acc[i].assign(lane.int4Acc)
            io.int8Acc[i].assign(lane.int8Acc)
            io.fpAcc[i].assign(lane.fpAcc)
        }
    }
}
