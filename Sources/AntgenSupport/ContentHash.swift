import Foundation

/// A SHA-256 content hash (FIPS 180-4), used as the build-cache key: two inputs that
/// collide would reuse one build for the other and pass a design that was never simulated,
/// so the key is cryptographic.
///
/// Fields mixed in with ``add(_:)`` are framed by their length, so ("ab", "c") and
/// ("a", "bc") hash differently; ``init(bytes:)`` hashes raw bytes with no framing.
/// A value type: copies hash on independently. Build one per key, where it is used.
public struct ContentHash: Sendable {
    private var state = SHA256State()

    /// An empty hash (no fields yet).
    public init() {}

    /// The SHA-256 of `bytes` exactly (no framing): `ContentHash(bytes: Data("abc".utf8)).hex`
    /// is the standard test vector `ba7816bf…f20015ad`.
    public init(bytes: Data) {
        bytes.withUnsafeBytes { state.update($0) }
    }

    /// Mixes in `text` as one field: its UTF-8 length (8 bytes, little-endian), then its bytes.
    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            withUnsafeBytes(of: UInt64(utf8.count).littleEndian) { state.update($0) }
            state.update(UnsafeRawBufferPointer(utf8))
        }
    }

    /// The digest of everything mixed in so far, as 64 lowercase hex digits. Reading it does
    /// not end the hash: more fields may be added afterwards.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in state.finalized() {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 15)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The running state of one SHA-256: the eight chaining words, the bytes of a partial block
/// and the message length.
struct SHA256State: Sendable {
    private var h: [UInt32] = [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
                               0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    /// The 64 round constants (first 32 bits of the fractional parts of the cube roots of
    /// the first 64 primes).
    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Appends `bytes` to the message, compressing every whole 64-byte block.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        length &+= UInt64(bytes.count)
        var start = 0
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes[0..<take])
            start = take
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = (bytes.count - start) / 64 * 64
        if whole > 0 { compress(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + whole)])) }
        start += whole
        if start < bytes.count { pending.append(contentsOf: bytes[start...]) }
    }

    /// The 32-byte digest of the message so far (padding a copy; `self` is unchanged).
    func finalized() -> [UInt8] {
        var copy = self
        let bits = length &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (119 - pending.count) % 64)
        tail += (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
        tail.withUnsafeBytes { copy.update($0) }
        return copy.h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    /// Compresses the whole 64-byte blocks of `blocks` into `h`. Written over raw pointers
    /// and local words so that the unoptimised (debug) build still hashes tens of MB/s: the
    /// cache hashes every simulator binary it hands out.
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress else { return }
        var h0 = h[0], h1 = h[1], h2 = h[2], h3 = h[3], h4 = h[4], h5 = h[5], h6 = h[6], h7 = h[7]
        Self.k.withUnsafeBufferPointer { kBuffer in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuffer in
                let k = kBuffer.baseAddress!, w = wBuffer.baseAddress!
                let bytes = base.assumingMemoryBound(to: UInt8.self)
                var offset = 0
                while offset + 64 <= blocks.count {
                    let p = bytes + offset
                    var t = 0
                    while t < 16 {
                        let q = p + 4 &* t
                        w[t] = UInt32(q[0]) &<< 24 | UInt32(q[1]) &<< 16 | UInt32(q[2]) &<< 8 | UInt32(q[3])
                        t &+= 1
                    }
                    while t < 64 {
                        let x = w[t &- 15], y = w[t &- 2]
                        let s0 = (x &>> 7 | x &<< 25) ^ (x &>> 18 | x &<< 14) ^ (x &>> 3)
                        let s1 = (y &>> 17 | y &<< 15) ^ (y &>> 19 | y &<< 13) ^ (y &>> 10)
                        w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                        t &+= 1
                    }
                    var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7
                    t = 0
                    while t < 64 {
                        let s1 = (e &>> 6 | e &<< 26) ^ (e &>> 11 | e &<< 21) ^ (e &>> 25 | e &<< 7)
                        let t1 = hh &+ s1 &+ ((e & f) ^ (~e & g)) &+ k[t] &+ w[t]
                        let s0 = (a &>> 2 | a &<< 30) ^ (a &>> 13 | a &<< 19) ^ (a &>> 22 | a &<< 10)
                        let t2 = s0 &+ ((a & b) ^ (a & c) ^ (b & c))
                        hh = g; g = f; f = e; e = d &+ t1
                        d = c; c = b; b = a; a = t1 &+ t2
                        t &+= 1
                    }
                    h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= hh
                    offset &+= 64
                }
            }
        }
        h = [h0, h1, h2, h3, h4, h5, h6, h7]
    }
}
