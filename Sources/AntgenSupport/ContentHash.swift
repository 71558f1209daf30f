import Crypto
import Foundation

/// A SHA-256 content hash (swift-crypto), used as the build-cache key: two inputs that
/// collide would reuse one build for the other and pass a design that was never simulated,
/// so the key is cryptographic.
///
/// Fields mixed in with ``add(_:)`` are framed by their length, so ("ab", "c") and
/// ("a", "bc") hash differently; ``init(bytes:)`` hashes raw bytes with no framing.
/// Not `Sendable` (swift-crypto's running hash is not): build one per key, where it is used.
public struct ContentHash {
    private var hasher = SHA256()

    /// An empty hash (no fields yet).
    public init() {}

    /// The SHA-256 of `bytes` exactly (no framing): `ContentHash(bytes: Data("abc".utf8)).hex`
    /// is the standard test vector `ba7816bf…f20015ad`.
    public init(bytes: Data) {
        hasher.update(data: bytes)
    }

    /// Mixes in `text` as one field: its UTF-8 length (8 bytes, little-endian), then its bytes.
    public mutating func add(_ text: String) {
        let bytes = Array(text.utf8)
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: bytes)
    }

    /// The digest of everything mixed in so far, as 64 lowercase hex digits. Reading it does
    /// not end the hash: more fields may be added afterwards.
    public var hex: String {
        hasher.finalize().map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
