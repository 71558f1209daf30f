import AntgenNumerics

/// The golden model of a PWLQ tile (docs/numeric-formats.md §7.6): the three integer sums
/// each PE accumulates, and the float64 per-channel affine step the host applies to them.
public struct PwlqTileSums: Sendable, Equatable {
    /// A1[i][j] = Σ_k over centre weights of ±q·X, modulo 2^W (unsigned W-bit words).
    public var centre: [[UInt64]]
    /// A2[i][j] = Σ_k over tail weights of ±q·X, modulo 2^W.
    public var tail: [[UInt64]]
    /// A3[i][j] = Σ_k over tail weights of ±X (the weight's sign), modulo 2^W.
    public var offset: [[UInt64]]

    /// The sums of activations `x` (rows × K integers: int4/uint4 values or int8 values)
    /// times PWLQ weight codes `w` (K × cols, `paper`/`nonoverlap` layout) in W-bit words.
    public init(activations x: [[Int]], weights w: [[PwlqCode]], accumulatorWidth: Int) {
        let rows = x.count, cols = w.first?.count ?? 0
        let mask: UInt64 = accumulatorWidth >= 64 ? ~0 : (1 << UInt64(accumulatorWidth)) - 1
        var centre = [[UInt64]](repeating: [UInt64](repeating: 0, count: cols), count: rows)
        var tail = centre, offset = centre
        for i in 0 ..< rows {
            for j in 0 ..< cols {
                var a1 = 0, a2 = 0, a3 = 0
                for k in 0 ..< w.count {
                    let code = w[k][j]
                    let sign = code.sign == 1 ? -1 : 1
                    if code.region == 0 {
                        a1 &+= sign * code.magnitude * x[i][k]
                    } else {
                        a2 &+= sign * code.magnitude * x[i][k]
                        a3 &+= sign * x[i][k]
                    }
                }
                centre[i][j] = UInt64(bitPattern: Int64(a1)) & mask
                tail[i][j] = UInt64(bitPattern: Int64(a2)) & mask
                offset[i][j] = UInt64(bitPattern: Int64(a3)) & mask
            }
        }
        self.centre = centre
        self.tail = tail
        self.offset = offset
    }

    /// Reads a W-bit word as two's complement.
    public static func signed(_ word: UInt64, width: Int) -> Int {
        let value = Int(truncatingIfNeeded: word)
        return width >= 64 ? value : (value << (64 - width)) >> (64 - width)
    }

    /// The host's float64 output: s_x·(s1·A1 + s2·A2 + p·A3) per channel j (no wrap assumed:
    /// W must hold the sums), then the bias correction ρ·(y + Δμ·s_x·ΣX) when `activationSums`
    /// (ΣX per row) are given.
    public func combine(channels: [PwlqChannel], activationScale sx: Double, width: Int, activationSums: [Int]? = nil) -> [[Double]] {
        centre.indices.map { i in
            channels.indices.map { j in
                let channel = channels[j]
                var y = sx * (channel.centreStep * Double(Self.signed(centre[i][j], width: width))
                    + channel.tailStep * Double(Self.signed(tail[i][j], width: width))
                    + channel.tailOffset * Double(Self.signed(offset[i][j], width: width)))
                if let sums = activationSums, channel.biasShift != 0 || channel.biasScale != 1 {
                    y = channel.biasScale * (y + channel.biasShift * sx * Double(sums[i]))
                }
                return y
            }
        }
    }
}
