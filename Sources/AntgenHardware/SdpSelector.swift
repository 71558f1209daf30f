import AntgenDSL

/// The term selector at a row's boundary (spec §8.4): from one group of G int8 codes it
/// issues the part of rank `slot` among the 2G parts, or a zero term when that rank is not
/// kept. Combinational.
///
/// Every part gets its rank, the number of parts that outrank it: part q outranks part p
/// when |q| > |p|, or |q| = |p| and q comes first in the tie order (position, then high
/// before low: part number 2·position + low). The comparators are `beats_<q>_<p>`
/// (`>=` when q precedes p, else `>`), the ranks are their sums, a part is `kept_<p>` when
/// its rank ≤ T − 1, and slot t issues the kept part of rank t. Ranks are distinct, so each
/// slot issues exactly one part and T slots issue exactly the T kept parts, in rank order.
public struct SdpSelector: Circuit {
    /// G.
    public let group: Int
    /// T.
    public let terms: Int

    /// Creates the selector.
    public init(group: Int, terms: Int) {
        self.group = group
        self.terms = terms
    }

    /// `SdpSelector`.
    public var name: String { "SdpSelector" }
    /// G and T.
    public var parameters: [Parameter] { [Parameter("group", group), Parameter("terms", terms)] }

    /// Index bits.
    var indexWidth: Int { max(1, minimalUnsignedWidth(group - 1)) }
    /// Slot bits.
    var slotWidth: Int { max(1, minimalUnsignedWidth(terms - 1)) }

    /// The interface.
    public struct Ports: PortSpec {
        /// The group's codes, value e in bits 8e…8e+7.
        public let codes: Port<PackedVec<HardwareType>>
        /// The codes are signed (two's complement).
        public let signedMode = Port.input(.bool)
        /// Which rank to issue (0…T−1).
        public let slot: Port<HardwareType>
        /// The issued term.
        public let term: Port<SdpTermLane>
    }

    /// The ports.
    public var ports: Ports {
        Ports(codes: .input(PackedVec(count: group, .uint(8))), slot: .input(.uint(slotWidth)), term: .output(SdpTermLane(indexWidth: indexWidth)))
    }

    /// Builds the module.
    public func build(_ m: ModuleBuilder, _ io: IO<Ports>) {
        let parts = 2 * group
        var magnitude: [Value] = [], digit: [Value] = [], negative: [Value] = []
        for position in 0..<group {
            let code = io.codes[position]
            let neg = m.wire("negative_\(position)", equals: io.signedMode & code[7])
            let mag = m.wire("magnitude_\(position)", equals: mux(neg, code.asSInt.magnitude(), code))
            let high = mag[4...7], low = mag[0...3]
            magnitude += [cat(high, Value.uint(0, width: 4)), low.extended(to: 8)]
            digit += [high, low]
            negative += [neg, neg]
        }
        let rankWidth = minimalUnsignedWidth(parts - 1)
        var kept: [Value] = [], hits: [Value] = []
        for p in 0..<parts {
            var beats: [Value] = []
            for q in 0..<parts where q != p {
                let comparison = q < p ? magnitude[q] >= magnitude[p] : magnitude[q] > magnitude[p]
                beats.append(m.wire("beats_\(q)_\(p)", equals: comparison).site(SdpSelectorSite.comparison).extended(to: rankWidth))
            }
            let sum = reduceTree(beats) { $0 + $1 }
            let rank = m.wire("rank_\(p)", equals: sum.width > rankWidth ? sum.truncated(to: rankWidth) : sum.extended(to: rankWidth))
            let keep = m.wire("kept_\(p)", equals: rank <= terms - 1).site(SdpSelectorSite.kept)
            kept.append(keep)
            hits.append(m.wire("hit_\(p)", equals: keep & (rank == io.slot)))
        }
        func any(_ values: [Value]) -> Value { reduceTree(values) { $0 | $1 } }
        let sign = any((0..<parts).map { hits[$0] & negative[$0] })
        let mantissa = any((0..<parts).map { mux(hits[$0], digit[$0], Value.uint(0, width: 4)) })
        let high = any((0..<parts).filter { $0 % 2 == 0 }.map { hits[$0] })
        let index = m.wire("slot_index", equals: any((0..<parts).map {
            mux(hits[$0], Value.uint($0 / 2, width: indexWidth), Value.uint(0, width: indexWidth))
        })).site(SdpSelectorSite.slotIndex)
        io.term.sign.assign(sign)
        io.term.mantissa.assign(mantissa)
        io.term.shift.assign(cat(high, Value.uint(0, width: 2)))
        io.term.index.assign(index)
    }
}

/// The named defect sites of ``SdpSelector``.
public struct SdpSelectorSite: DefectSiteTag {
    public let description: String

    /// Every comparator `beats_<q>_<p>` (`>=` when q precedes p, else `>`).
    public static let comparison = SdpSelectorSite(description: "SdpSelector.comparison")
    /// Every `kept_<p>` = rank ≤ T − 1.
    public static let kept = SdpSelectorSite(description: "SdpSelector.kept")
    /// `slot_index`, the issued term's value index.
    public static let slotIndex = SdpSelectorSite(description: "SdpSelector.slotIndex")
}
