import AntgenNumerics

/// One SDP tile with its golden selection and accumulators (docs/verification.md, "SDP vectors").
public struct SdpGoldenCase: Sendable, Equatable {
    /// Position in the file.
    public var id: Int
    /// Where the case comes from (`uniform`, `ties`, `sparse`, …).
    public var source: String
    /// The activations are signed int8 (else unsigned).
    public var actSigned: Bool
    /// The weights' mode.
    public var weight: OperandMode
    /// `a[i][k]`: row i's activation integers, K = beats · G values.
    public var a: [[Int]]
    /// `w[k][j]`: the weight codes.
    public var w: [[UInt64]]
    /// `selection[beat][t][i]`: the packed term row i issues in slot t of that beat.
    public var selection: [[[UInt64]]]
    /// `expected[i][j]`: C[i, j] modulo 2^W.
    public var expected: [[UInt64]]

}

/// Builds SDP golden cases from the Swift reference (spec §8): the selection with
/// ``sdpSelect(_:signed:parameters:)``, the results as the exact GEMM of the masked
/// activations with the weights' decoded values, wrapped to W bits.
public struct SdpGoldenGenerator: Sendable {
    /// Array rows, columns, G, T, W.
    public let rows: Int, cols: Int, group: Int, terms: Int, accumulatorWidth: Int
    /// The weight modes the build supports.
    public let weightModes: [OperandMode]
    /// Bits of a term's index.
    public var indexWidth: Int { group <= 2 ? 1 : (group - 1).bitWidth - (group - 1).leadingZeroBitCount }

    /// Creates a generator; `weightTypes` at code width 4, plus int8 when `weightInt8`.
    public init(rows: Int, cols: Int, group: Int, terms: Int, accumulatorWidth: Int, weightTypes: [AntType], weightInt8: Bool) {
        self.rows = rows; self.cols = cols; self.group = group; self.terms = terms; self.accumulatorWidth = accumulatorWidth
        var modes: [OperandMode] = []
        for type in weightTypes.sorted() {
            for signed in [false, true] where (try? OperandMode(type: type, signed: signed).format(codeWidth: 4)) != nil {
                modes.append(OperandMode(type: type, signed: signed))
            }
        }
        if weightInt8 { modes += [OperandMode(type: .int, signed: true, int8: true), OperandMode(type: .int, signed: false, int8: true)] }
        weightModes = modes
    }

    /// The packed lane word of a term: {sign, M[4], E[3], index}.
    public func packed(_ t: SdpTerm) -> UInt64 {
        let ib = indexWidth
        return UInt64(t.negative ? 1 : 0) << UInt64(ib + 7) | UInt64(t.digit) << UInt64(ib + 3) | UInt64(t.shift) << UInt64(ib) | UInt64(t.position)
    }

    /// The golden case for activations `a` (rows × K, K a multiple of G) and weight codes `w`.
    public func makeCase(id: Int, source: String, actSigned: Bool, weight: OperandMode, a: [[Int]], w: [[UInt64]]) throws -> SdpGoldenCase {
        let p = try SdpParameters(group: group, terms: terms)
        let k = w.count
        let format = try weight.format(codeWidth: 4)
        let bits = weight.codeBits(codeWidth: 4)
        let values = try w.map { row in try row.map { try format.decode(code: Int($0 & ((1 << UInt64(bits)) - 1))) } }
        var selection: [[[UInt64]]] = []
        for beat in 0..<(k / group) {
            var slots = Array(repeating: Array(repeating: UInt64(0), count: rows), count: terms)
            for i in 0..<rows {
                let chosen = try sdpSelect(Array(a[i][(beat * group)..<((beat + 1) * group)]), signed: actSigned, parameters: p)
                for (t, term) in chosen.enumerated() { slots[t][i] = packed(term) }
            }
            selection.append(slots)
        }
        let mask: UInt64 = accumulatorWidth >= 64 ? .max : (1 << UInt64(accumulatorWidth)) - 1
        var expected: [[UInt64]] = []
        for i in 0..<rows {
            let masked = try sdpMask(a[i], rows: 1, cols: k, signed: actSigned, parameters: p).values
            expected.append((0..<cols).map { j in
                var sum: UInt64 = 0
                for kk in 0..<k { sum = sum &+ UInt64(bitPattern: Int64(masked[kk])) &* UInt64(bitPattern: Int64(values[kk][j])) }
                return sum & mask
            })
        }
        return SdpGoldenCase(id: id, source: source, actSigned: actSigned, weight: weight, a: a, w: w, selection: selection, expected: expected)
    }

    /// `count` cases from `seed`: activations uniform over int8, small (many ties), sparse,
    /// constant, and extreme (±127, −128, 255); weights uniform codes of every mode in turn;
    /// 1…`maxBeats` groups per tile (exactly `fixedBeats` when given).
    public func cases(count: Int, seed: UInt64, maxBeats: Int = 6, fixedBeats: Int? = nil) throws -> [SdpGoldenCase] {
        var rng = SplitMix64(seed: seed)
        var out: [SdpGoldenCase] = []
        let sources = ["uniform", "ties", "sparse", "constant", "extreme"]
        for id in 0..<count {
            let source = sources[id % sources.count]
            let signed = (id / sources.count) % 2 == 0
            let mode = weightModes[id % weightModes.count]
            let beats = fixedBeats ?? Int.random(in: 1...maxBeats, using: &rng)
            let k = beats * group
            let range = signed ? -128...127 : 0...255
            let constant = Int.random(in: range, using: &rng)
            let a: [[Int]] = (0..<rows).map { _ in
                (0..<k).map { _ in
                    switch source {
                    case "ties": return Int.random(in: (signed ? -24 : 0)...24, using: &rng)
                    case "sparse": return Int.random(in: 0..<4, using: &rng) == 0 ? Int.random(in: range, using: &rng) : 0
                    case "constant": return constant
                    case "extreme": return (signed ? [-128, 127, -127, 0, 16, -16] : [255, 0, 240, 15, 16])[Int.random(in: 0..<(signed ? 6 : 5), using: &rng)]
                    default: return Int.random(in: range, using: &rng)
                    }
                }
            }
            let codeBits = mode.codeBits(codeWidth: 4)
            let w: [[UInt64]] = (0..<k).map { _ in (0..<cols).map { _ in rng.next() & ((1 << UInt64(codeBits)) - 1) } }
            out.append(try makeCase(id: id, source: source, actSigned: signed, weight: mode, a: a, w: w))
        }
        return out
    }

    /// The vector file text: `//` comments and one 64-bit hex word per line (format in
    /// docs/verification.md, "SDP vectors").
    public func vectorFile(_ cases: [SdpGoldenCase], weightCodeWidth: Int) -> (text: String, words: Int) {
        var words: [UInt64] = [0x5344_5031, UInt64(rows), UInt64(cols), UInt64(group), UInt64(terms), UInt64(accumulatorWidth),
                               UInt64(weightCodeWidth), UInt64(cases.count), 0]
        for c in cases {
            let beats = c.w.count / group
            let mode = UInt64(c.weight.type.rawValue) | (c.weight.signed ? 0x10 : 0) | (c.weight.int8 ? 0x100 : 0)
            words += [UInt64(c.id), UInt64(beats), c.actSigned ? 1 : 0, mode]
            for beat in 0..<beats {
                for i in 0..<rows { for e in 0..<group { words.append(UInt64(UInt8(truncatingIfNeeded: c.a[i][beat * group + e]))) } }
                for j in 0..<cols { for e in 0..<group { words.append(c.w[beat * group + e][j]) } }
                for t in 0..<terms { words += c.selection[beat][t] }
            }
            for i in 0..<rows { words += c.expected[i] }
        }
        words[8] = UInt64(words.count)
        var text = "// antgen SDP vectors: \(rows)x\(cols) G=\(group) T=\(terms) W=\(accumulatorWidth), \(cases.count) cases\n"
        for word in words { text += String(word, radix: 16) + "\n" }
        return (text, words.count)
    }
}
