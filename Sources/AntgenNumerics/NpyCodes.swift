import Foundation

extension NpyFile {
    /// Reads a `|u1` (uint8) C-order array: the codes `antgen quantize --out` writes as
    /// `<name>.codes.npy`. Returns the shape and the codes.
    ///
    /// - Throws: `TensorFileError` for unreadable, malformed or truncated files, another
    ///   dtype (with a hint that float tensors are quantized by antgen), Fortran order and
    ///   empty arrays.
    public static func readCodes(atPath path: String) throws(TensorFileError) -> (shape: [Int], codes: [UInt8]) {
        let data = try readFile(atPath: path)
        func fail(_ kind: TensorFileError.Kind, _ problem: String) -> TensorFileError {
            TensorFileError(path: path, kind: kind, problem: problem)
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes.starts(with: magic) else { throw fail(.notATensorFile, "not an .npy file (missing the \\x93NUMPY magic)") }
        let lengthSize = bytes[6] == 1 ? 2 : 4
        guard [1, 2, 3].contains(Int(bytes[6])), bytes.count >= 8 + lengthSize else {
            throw fail(.malformedHeader, "unsupported .npy format version \(bytes[6])")
        }
        let headerLength = (0 ..< lengthSize).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        let dataOffset = 8 + lengthSize + headerLength
        guard bytes.count >= dataOffset else { throw fail(.truncated, "file ends inside the .npy header") }
        let header: NpyHeader
        do throws(NpyHeader.ParseError) {
            header = try NpyHeader.parse(String(decoding: bytes[(8 + lengthSize) ..< dataOffset], as: UTF8.self))
        } catch {
            throw fail(.malformedHeader, "malformed .npy header: \(error.message)")
        }
        guard header.descr == "|u1" || header.descr == "<u1" || header.descr == "=u1" else {
            throw fail(.unsupportedDtype, "codes must be uint8 (|u1), not '\(header.descr)' (float tensors are quantized by antgen: pass the float file instead)")
        }
        guard !header.fortranOrder else { throw fail(.fortranOrder, "Fortran-order arrays are not supported") }
        guard let count = Tensor.elementCount(of: header.shape), count > 0 else { throw fail(.emptyTensor, "the code array is empty") }
        let available = bytes.count - dataOffset
        guard available >= count else { throw fail(.truncated, "truncated data: \(count) codes needed, the file has \(available) bytes") }
        guard available == count else { throw fail(.trailingData, "\(available - count) unexpected bytes after the codes") }
        return (header.shape, Array(bytes[dataOffset...]))
    }
}
