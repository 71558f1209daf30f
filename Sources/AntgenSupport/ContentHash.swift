import Foundation

/// A 128-bit FNV-1a content hash (two 64-bit lanes with different offset bases), used
/// as the build-cache key. Not cryptographic; it only has to separate different inputs.
public struct ContentHash: Sendable {
    private var low: UInt64 = 0xCBF2_9CE4_8422_2325
    private var high: UInt64 = 0x6C62_272E_07BB_0142

    /// An empty hash.
    public init() {}

    /// The hash of `bytes` (no separator).
    public init(bytes: Data) {
        bytes.withUnsafeBytes { buffer in
            for byte in buffer { mix(byte) }
        }
    }

    /// Mixes in `text` and a separator, so ("ab", "c") and ("a", "bc") differ.
    public mutating func add(_ text: String) {
        for byte in text.utf8 { mix(byte) }
        mix(0xFF)
    }

    private mutating func mix(_ byte: UInt8) {
        low = (low ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        high = (high ^ UInt64(byte ^ 0x5A)) &* 0x0000_0100_0000_01B3
    }

    /// 32 hex digits.
    public var hex: String {
        func pad(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return pad(high) + pad(low)
    }
}
