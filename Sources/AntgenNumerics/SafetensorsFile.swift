import Foundation

/// Reading `.safetensors` files: an 8-byte little-endian header length, a JSON header
/// mapping names to dtype, shape and data offsets, then the data.
public enum SafetensorsFile {
    /// One header entry.
    struct Entry {
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
        for entry in selected {
            guard let type = elementType(entry.dtype) else {
                throw TensorFileError(path: path, kind: .unsupportedDtype, problem: "tensor '\(entry.name)' has unsupported dtype \(entry.dtype) (supported: F16, BF16, F32, F64; choose other tensors by name)")
            }
            let count = Tensor.elementCount(of: entry.shape) ?? -1
            let (needed, overflow) = count.multipliedReportingOverflow(by: type.byteCount)
            guard count >= 0, !overflow, entry.end - entry.begin == needed else {
                throw TensorFileError(path: path, kind: .malformedHeader, problem: "tensor '\(entry.name)': data_offsets [\(entry.begin), \(entry.end)] hold \(entry.end - entry.begin) bytes but shape \(entry.shape) of \(entry.dtype) needs \(overflow ? "too many" : String(needed))")
            }
            let tensor = decodeElements(bytes, offset: dataStart + entry.begin, count: count, type: type, bigEndian: false, shape: entry.shape)
            try validateElements(tensor, name: entry.name, path: path)
            tensors.append(NamedTensor(name: entry.name, tensor: tensor))
        }
        return tensors
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
        return (entries, dataStart)
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
