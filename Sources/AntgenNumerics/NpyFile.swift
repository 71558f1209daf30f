import Foundation

/// Reading and writing numpy `.npy` files (format versions 1, 2 and 3).
public enum NpyFile {
    /// Element data that can be written to an .npy file.
    public enum Contents: Sendable, Equatable {
        /// `<f4` data.
        case float32([Float])
        /// `<f8` data.
        case float64([Double])
        /// `|u1` data (codes).
        case uint8([UInt8])

        var count: Int {
            switch self {
            case .float32(let values): return values.count
            case .float64(let values): return values.count
            case .uint8(let values): return values.count
            }
        }

        var descr: String {
            switch self {
            case .float32: return "<f4"
            case .float64: return "<f8"
            case .uint8: return "|u1"
            }
        }
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Reads a float16, float32 or float64 C-order array. The tensor is named after the
    /// file (its name without `.npy`).
    ///
    /// - Throws: `TensorFileError` for unreadable, malformed or truncated files, other
    ///   dtypes, Fortran order, empty arrays and NaN/Inf values.
    public static func read(atPath path: String) throws(TensorFileError) -> NamedTensor {
        let data = try readFile(atPath: path)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let result = data.withUnsafeBytes { bytes in Result { () throws(TensorFileError) in try parse(bytes, path: path) } }
        let tensor = try result.get()
        try validateElements(tensor, name: name, path: path)
        return NamedTensor(name: name, tensor: tensor)
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws(TensorFileError) -> Tensor {
        func fail(_ kind: TensorFileError.Kind, _ problem: String) -> TensorFileError {
            TensorFileError(path: path, kind: kind, problem: problem)
        }
        guard bytes.count >= 8 else {
            throw bytes.starts(with: magic.prefix(bytes.count)) && !bytes.isEmpty
                ? fail(.truncated, "file ends inside the .npy preamble (\(bytes.count) bytes)")
                : fail(.notATensorFile, "not an .npy file (missing the \\x93NUMPY magic)")
        }
        guard bytes.starts(with: magic) else { throw fail(.notATensorFile, "not an .npy file (missing the \\x93NUMPY magic)") }
        let major = Int(bytes[6])
        let lengthSize: Int
        switch major {
        case 1: lengthSize = 2
        case 2, 3: lengthSize = 4
        default: throw fail(.malformedHeader, "unsupported .npy format version \(major).\(bytes[7]) (supported: 1.0, 2.0, 3.0)")
        }
        guard bytes.count >= 8 + lengthSize else { throw fail(.truncated, "file ends inside the .npy header length") }
        let headerLength = (0 ..< lengthSize).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataOffset = 8 + lengthSize + headerLength
        guard bytes.count >= dataOffset else {
            throw fail(.truncated, "file ends inside the .npy header (needs \(dataOffset) bytes, has \(bytes.count))")
        }
        let headerBytes = Array(bytes[(8 + lengthSize) ..< dataOffset])
        let headerText = major == 3
            ? String(decoding: headerBytes, as: UTF8.self)
            : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header: NpyHeader
        do throws(NpyHeader.ParseError) {
            header = try NpyHeader.parse(headerText)
        } catch {
            throw fail(.malformedHeader, "malformed .npy header: \(error.message)")
        }
        guard !header.fortranOrder else {
            throw fail(.fortranOrder, "Fortran-order arrays are not supported (save with numpy.ascontiguousarray first)")
        }
        guard let (type, bigEndian) = elementType(ofDescr: header.descr) else {
            throw fail(.unsupportedDtype, "unsupported dtype '\(header.descr)' (supported: float16, float32, float64)")
        }
        guard let count = Tensor.elementCount(of: header.shape) else {
            throw fail(.malformedHeader, "malformed .npy header: shape \(header.shape) is too large")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: type.byteCount)
        let available = bytes.count - dataOffset
        guard !overflow, available >= needed else {
            throw fail(.truncated, "truncated data: shape \(header.shape) of \(type.name) needs \(needed) bytes, the file has \(available)")
        }
        guard available == needed else {
            throw fail(.trailingData, "\(available - needed) unexpected bytes after the array data")
        }
        return decodeElements(bytes, offset: dataOffset, count: count, type: type, bigEndian: bigEndian, shape: header.shape)
    }

    /// Maps a numpy type string such as `<f4` to an element type and byte order.
    static func elementType(ofDescr descr: String) -> (FileElementType, Bool)? {
        guard descr.count == 3, let order = descr.first, "<>=|".contains(order) else { return nil }
        let bigEndian = order == ">"
        switch descr.dropFirst() {
        case "f2": return (.float16, bigEndian)
        case "f4": return (.float32, bigEndian)
        case "f8": return (.float64, bigEndian)
        default: return nil
        }
    }

    /// Writes a little-endian C-order array with a version 1.0 header (2.0 if the header
    /// would not fit), to a temporary file that is then renamed over `path`.
    ///
    /// - Throws: `TensorFileError` (`.unwritable`, or `.malformedHeader` if the shape does
    ///   not match the element count).
    public static func write(_ contents: Contents, shape: [Int], toPath path: String) throws(TensorFileError) {
        guard Tensor.elementCount(of: shape) == contents.count else {
            throw TensorFileError(path: path, kind: .malformedHeader, problem: "shape \(shape) does not match \(contents.count) elements")
        }
        var bytes = encodedHeader(NpyHeader(descr: contents.descr, fortranOrder: false, shape: shape))
        bytes.reserveCapacity(bytes.count + contents.count * 8)
        switch contents {
        case .float32(let values):
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        case .float64(let values):
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        case .uint8(let values):
            bytes.append(contentsOf: values)
        }
        try writeAtomically(bytes, toPath: path)
    }

    /// Magic, version, length and the header padded with spaces and a newline so the data
    /// starts on a 64-byte boundary.
    static func encodedHeader(_ header: NpyHeader) -> [UInt8] {
        let text = Array(header.literal.utf8)
        func layout(preamble: Int) -> (padding: Int, length: Int) {
            let padding = (64 - (preamble + text.count + 1) % 64) % 64
            return (padding, text.count + padding + 1)
        }
        let versionOne = layout(preamble: 10).length <= Int(UInt16.max)
        let (padding, length) = layout(preamble: versionOne ? 10 : 12)
        var bytes = magic + [versionOne ? 1 : 2, 0]
        for index in 0 ..< (versionOne ? 2 : 4) { bytes.append(UInt8((length >> (8 * index)) & 0xFF)) }
        bytes += text + [UInt8](repeating: 0x20, count: padding) + [0x0A]
        return bytes
    }
}

/// Reads a whole file, memory-mapped when possible.
func readFile(atPath path: String) throws(TensorFileError) -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw TensorFileError(path: path, kind: .unreadable, problem: "no such file")
    }
    guard !isDirectory.boolValue else { throw TensorFileError(path: path, kind: .unreadable, problem: "is a directory, not a tensor file") }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
        throw TensorFileError(path: path, kind: .unreadable, problem: "cannot read the file: \(fileErrorReason(error as NSError, path: path))")
    }
}

/// Writes bytes to a temporary file beside `path` and renames it into place, so a failed
/// write never leaves a half-written file.
func writeAtomically(_ bytes: [UInt8], toPath path: String) throws(TensorFileError) {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw TensorFileError(path: path, kind: .unwritable, problem: "cannot write the file: \(fileErrorReason(error as NSError, path: path))")
    }
}
