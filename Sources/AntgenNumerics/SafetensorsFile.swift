import Foundation

/// Reading `.safetensors` files: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and data offsets, then the data.
public enum SafetensorsFile {
    /// One header entry.
    struct Entry: Sendable {
        let name: String
        let dtype: String
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// Reads every tensor in file order (by data offset), or the named ones in the order
    /// given. F16, BF16, F32 and F64 are supported.
    ///
    /// - Throws: `TensorFileError` for unreadable, malformed or truncated files, unknown
    ///   names, other dtypes, empty tensors and NaN/Inf values.
    public static func read(atPath path: String, names: [String]? = nil) throws(TensorFileError) -> [NamedTensor] {
        let data = try readFile(atPath: path)
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(TensorFileError) in try parse(bytes, path: path, names: names) }
        }
        return try result.get()
    }

    /// The names in the file, in data order, without reading any tensor data.
    ///
    /// - Throws: `TensorFileError` as `read`.
    public static func tensorNames(atPath path: String) throws(TensorFileError) -> [String] {
        let data = try readFile(atPath: path)
        let result = data.withUnsafeBytes { bytes in
            Result { () throws(TensorFileError) in try entries(bytes, path: path).entries.map(\.name) }
        }
        return try result.get()
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String, names: [String]?) throws(TensorFileError) -> [NamedTensor] {
        let (all, dataStart) = try entries(bytes, path: path)
        var selected = all
        if let names {
            let byName = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            selected = []
            for name in names {
                guard let entry = byName[name] else {
                    let available = all.map(\.name).prefix(20).joined(separator: ", ")
                    throw TensorFileError(path: path, kind: .noSuchTensor, problem: "no tensor named '\(name)' (the file has: \(available)\(all.count > 20 ? ", …" : ""))")
                }
                selected.append(entry)
            }
        }
        var tensors: [NamedTensor] = []
        for entry in selected { tensors.append(try decode(entry, bytes, dataStart: dataStart, path: path)) }
        return tensors
    }

    /// Decodes one entry whose layout the header check accepted.
    private static func decode(_ entry: Entry, _ bytes: UnsafeRawBufferPointer, dataStart: Int, path: String) throws(TensorFileError) -> NamedTensor {
        guard let type = elementType(entry.dtype) else {
            throw TensorFileError(path: path, kind: .unsupportedDtype, problem: "tensor '\(entry.name)' has unsupported dtype \(entry.dtype) (supported: F16, BF16, F32, F64; choose other tensors by name)")
        }
        // The header check proved the span is count × element size.
        let count = (entry.end - entry.begin) / type.byteCount
        let tensor = decodeElements(bytes, offset: dataStart + entry.begin, count: count, type: type, bigEndian: false, shape: entry.shape)
        try validateElements(tensor, name: entry.name, path: path)
        return NamedTensor(name: entry.name, tensor: tensor)
    }

    /// A file whose header was read and checked once, for reading its tensors one at a time
    /// (reading each tensor with `read(atPath:names:)` re-reads the header every time:
    /// quadratic in the number of tensors).
    public struct OpenedFile: Sendable {
        /// The file's path.
        public let path: String
        private let data: Data
        private let entries: [Entry]
        private let byName: [String: Int]
        private let dataStart: Int

        /// The names in data order.
        public var names: [String] { entries.map(\.name) }

        /// Reads and checks the header of `path` (the data is mapped, not copied).
        ///
        /// - Throws: `TensorFileError` as `read`.
        public init(atPath path: String) throws(TensorFileError) {
            let data = try readFile(atPath: path)
            let result = data.withUnsafeBytes { bytes in
                Result { () throws(TensorFileError) in try SafetensorsFile.entries(bytes, path: path) }
            }
            let (entries, dataStart) = try result.get()
            self.path = path
            self.data = data
            self.entries = entries
            self.dataStart = dataStart
            byName = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// Decodes one tensor.
        ///
        /// - Throws: `TensorFileError` for an unknown name, another dtype, an empty tensor or
        ///   a NaN/Inf value.
        public func tensor(named name: String) throws(TensorFileError) -> NamedTensor {
            guard let index = byName[name] else {
                throw TensorFileError(path: path, kind: .noSuchTensor, problem: "no tensor named '\(name)'")
            }
            let entry = entries[index]
            let (start, path) = (dataStart, path)
            let result = data.withUnsafeBytes { bytes in
                Result { () throws(TensorFileError) in try SafetensorsFile.decode(entry, bytes, dataStart: start, path: path) }
            }
            return try result.get()
        }
    }

    private static func elementType(_ dtype: String) -> FileElementType? {
        switch dtype {
        case "F16": return .float16
        case "BF16": return .bfloat16
        case "F32": return .float32
        case "F64": return .float64
        default: return nil
        }
    }

    /// Parses and checks the header; entries sorted by data offset.
    private static func entries(_ bytes: UnsafeRawBufferPointer, path: String) throws(TensorFileError) -> (entries: [Entry], dataStart: Int) {
        func fail(_ kind: TensorFileError.Kind, _ problem: String) -> TensorFileError {
            TensorFileError(path: path, kind: kind, problem: problem)
        }
        guard bytes.count >= 8 else { throw fail(.truncated, "file too short for a .safetensors header length (\(bytes.count) bytes)") }
        let headerLength = bytes.loadUnaligned(as: UInt64.self).littleEndian
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail(.truncated, "header length \(headerLength) exceeds the \(bytes.count - 8) bytes after it (truncated or not a .safetensors file)")
        }
        let dataStart = 8 + Int(headerLength)
        let headerData = Data(bytes[8 ..< dataStart])
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: headerData)
        } catch {
            throw fail(.malformedHeader, "header is not valid JSON")
        }
        guard let dictionary = object as? [String: Any] else { throw fail(.malformedHeader, "header is not a JSON object") }
        var entries: [Entry] = []
        for (name, value) in dictionary where name != "__metadata__" {
            guard let fields = value as? [String: Any],
                  let dtype = fields["dtype"] as? String,
                  let shape = integers(fields["shape"]),
                  let offsets = integers(fields["data_offsets"]), offsets.count == 2 else {
                throw fail(.malformedHeader, "tensor '\(name)' needs \"dtype\" (string), \"shape\" and \"data_offsets\" (integer lists)")
            }
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[1] >= offsets[0] else {
                throw fail(.malformedHeader, "tensor '\(name)' has a negative dimension or decreasing data_offsets")
            }
            guard offsets[1] <= bytes.count - dataStart else {
                throw fail(.truncated, "tensor '\(name)' ends at data byte \(offsets[1]) but the file has \(bytes.count - dataStart) data bytes (truncated)")
            }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1]))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try checkUniqueKeys(headerData, fail: fail)
        try checkLayout(entries, dataBytes: bytes.count - dataStart, fail: fail)
        return (entries, dataStart)
    }

    /// Bytes per element of every dtype the format defines (for the span check).
    static let dtypeSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]

    /// The format's layout rules, in data order: the tensors tile the data buffer exactly
    /// (the first starts at 0, each starts where the previous ends, the last ends at the
    /// end of the file: no overlap, no hole), and each span is dtype size × element count.
    private static func checkLayout(
        _ entries: [Entry], dataBytes: Int, fail: (TensorFileError.Kind, String) -> TensorFileError
    ) throws(TensorFileError) {
        var expected = 0
        for entry in entries {
            if entry.begin != expected {
                throw fail(.malformedHeader, entry.begin < expected
                    ? "tensor '\(entry.name)': data_offsets [\(entry.begin), \(entry.end)] overlap the previous tensor's data (which ends at \(expected))"
                    : "tensor '\(entry.name)': data_offsets [\(entry.begin), \(entry.end)] leave a hole of \(entry.begin - expected) bytes after byte \(expected)")
            }
            if let size = dtypeSizes[entry.dtype] {
                let count = Tensor.elementCount(of: entry.shape)
                let needed = count.map { $0.multipliedReportingOverflow(by: size) }
                guard let needed, !needed.overflow, needed.partialValue == entry.end - entry.begin else {
                    throw fail(.malformedHeader, "tensor '\(entry.name)': data_offsets [\(entry.begin), \(entry.end)] hold \(entry.end - entry.begin) bytes but shape \(entry.shape) of \(entry.dtype) needs \(needed.map { $0.overflow ? "too many" : String($0.partialValue) } ?? "too many")")
                }
            }
            expected = entry.end
        }
        guard expected == dataBytes else {
            throw fail(.trailingData, "\(dataBytes - expected) bytes follow the last tensor's data (ends at \(expected) of \(dataBytes) data bytes)")
        }
    }

    /// Rejects a header naming one tensor twice (JSON parsers keep only one of them).
    private static func checkUniqueKeys(_ header: Data, fail: (TensorFileError.Kind, String) -> TensorFileError) throws(TensorFileError) {
        var seen = Set<String>()
        for key in topLevelKeys(of: Array(header)) where !seen.insert(key).inserted {
            throw fail(.malformedHeader, "tensor '\(key)' appears twice in the header")
        }
    }

    /// The keys of a valid JSON object's top level, in order, unescaped.
    static func topLevelKeys(of bytes: [UInt8]) -> [String] {
        var keys: [String] = []
        var depth = 0
        var index = 0
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                if depth == 1, expectingKey {
                    let literal = Data(bytes[start ... min(index, bytes.count - 1)])
                    if let decoded = try? JSONDecoder().decode(String.self, from: literal) { keys.append(decoded) }
                    expectingKey = false
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
            default:
                break
            }
            index += 1
        }
        return keys
    }

    /// A JSON array of integral numbers as `[Int]`.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result: [Int] = []
        for item in array {
            guard let number = item as? NSNumber, let integer = Int(exactly: number.doubleValue) else { return nil }
            result.append(integer)
        }
        return result
    }
}
