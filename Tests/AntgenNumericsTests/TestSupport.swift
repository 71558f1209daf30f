import Foundation
@testable import AntgenNumerics

/// Seeded randomness (SplitMix64 with Box–Muller normals) so random tests are reproducible.
typealias SeededGenerator = SplitMix64

/// Every kind tested, including float with each exponent width that can be valid.
let allKinds: [NumberKind] = [.int, .flint, .pot, .apot] + (1 ... 8).map { NumberKind.float(exponentBits: $0) }

/// Every valid format at 2…8 bits, signed and unsigned.
let allValidFormats: [NumberFormat] = allKinds.flatMap { kind in
    (2 ... 8).flatMap { bits in [false, true].compactMap { try? NumberFormat(kind: kind, bits: bits, signed: $0) } }
}

/// Builds a format the test knows is valid.
func format(_ kind: NumberKind, _ bits: Int, signed: Bool) throws -> NumberFormat {
    try NumberFormat(kind: kind, bits: bits, signed: signed)
}

/// Little-endian bytes of a value.
func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

/// A v1/v2/v3 .npy file built byte by byte from a header literal and raw data.
func npyBytes(header: String, data: [UInt8], major: UInt8 = 1) -> [UInt8] {
    let lengthSize = major == 1 ? 2 : 4
    let unpadded = 8 + lengthSize + header.utf8.count + 1
    let padding = (64 - unpadded % 64) % 64
    let text = Array(header.utf8) + [UInt8](repeating: 0x20, count: padding) + [0x0A]
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
    bytes += major == 1 ? littleEndianBytes(UInt16(text.count)) : littleEndianBytes(UInt32(text.count))
    return bytes + text + data
}

/// Raw little-endian float32 bytes.
func float32Bytes(_ values: [Float]) -> [UInt8] { values.flatMap { littleEndianBytes($0.bitPattern) } }

/// Raw little-endian float64 bytes.
func float64Bytes(_ values: [Double]) -> [UInt8] { values.flatMap { littleEndianBytes($0.bitPattern) } }

/// One tensor of a hand-built .safetensors file.
struct SafetensorsEntry {
    var name: String
    var dtype: String
    var shape: [Int]
    var data: [UInt8]
}

/// A .safetensors file: 8-byte length, JSON header (written by hand here), data.
func safetensorsBytes(_ entries: [SafetensorsEntry], metadata: Bool = true) -> [UInt8] {
    var offset = 0
    var fields: [String] = metadata ? ["\"__metadata__\":{\"format\":\"pt\"}"] : []
    for entry in entries {
        let shape = entry.shape.map(String.init).joined(separator: ",")
        fields.append("\"\(entry.name)\":{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.data.count)]}")
        offset += entry.data.count
    }
    let header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
    return littleEndianBytes(UInt64(header.count)) + header + entries.flatMap(\.data)
}

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-numerics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes bytes to `name` in `directory` and returns the path.
func writeFile(_ bytes: [UInt8], named name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

/// The kind of a thrown `TensorFileError`, nil if something else was thrown or nothing.
func tensorFileErrorKind(_ body: () throws -> Void) -> TensorFileError.Kind? {
    do {
        try body()
        return nil
    } catch let error as TensorFileError {
        return error.kind
    } catch {
        return nil
    }
}
