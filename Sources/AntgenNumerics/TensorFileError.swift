/// A problem with a tensor file: names the file and says what is wrong.
public struct TensorFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The class of problem, for programs that react to it.
    public enum Kind: String, Hashable, Sendable {
        /// The file could not be opened or read.
        case unreadable
        /// The file does not start like an .npy / .safetensors file.
        case notATensorFile
        /// The header is not what the format prescribes.
        case malformedHeader
        /// The file ends before the header or the data does.
        case truncated
        /// Bytes follow the last tensor's data.
        case trailingData
        /// An element type other than float16, bfloat16, float32 or float64.
        case unsupportedDtype
        /// Fortran (column-major) order .npy data.
        case fortranOrder
        /// A tensor with no elements.
        case emptyTensor
        /// A NaN or infinite element.
        case nonFiniteValue
        /// A requested tensor name is not in the file.
        case noSuchTensor
        /// The output file could not be written.
        case unwritable
        /// The file name does not end in .npy or .safetensors.
        case unknownExtension
    }

    /// The file concerned.
    public let path: String
    /// The class of problem.
    public let kind: Kind
    /// A sentence saying what is wrong.
    public let problem: String

    /// Creates an error for `path`.
    public init(path: String, kind: Kind, problem: String) {
        self.path = path
        self.kind = kind
        self.problem = problem
    }

    /// A one-line human-readable description: control characters quoted from a file (a
    /// dtype holding a newline, say) are escaped, so it stays one line.
    public var description: String {
        let line = "\(path): \(problem)".unicodeScalars.map { scalar -> String in
            scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return line.joined()
    }
}

/// A tensor with the name it has in its file (the file's stem for .npy).
public struct NamedTensor: Sendable, Equatable {
    /// The tensor's name.
    public let name: String
    /// The tensor.
    public let tensor: Tensor

    /// Pairs a name with a tensor.
    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}

/// Reads every tensor (or the named ones) of an .npy or .safetensors file, chosen by the
/// file's extension.
///
/// - Throws: `TensorFileError` naming the file and the problem.
public func readTensorFile(atPath path: String, names: [String]? = nil) throws(TensorFileError) -> [NamedTensor] {
    let lowercased = path.lowercased()
    if lowercased.hasSuffix(".npy") {
        let tensor = try NpyFile.read(atPath: path)
        if let names, !names.allSatisfy({ $0 == tensor.name }) {
            let missing = names.first { $0 != tensor.name } ?? ""
            throw TensorFileError(path: path, kind: .noSuchTensor, problem: "no tensor named '\(missing)' (an .npy file holds one tensor, named '\(tensor.name)')")
        }
        return [tensor]
    }
    if lowercased.hasSuffix(".safetensors") {
        return try SafetensorsFile.read(atPath: path, names: names)
    }
    throw TensorFileError(path: path, kind: .unknownExtension, problem: "unknown tensor file type (expected a .npy or .safetensors file)")
}

/// Checks the decoded elements of one tensor: not empty, all finite.
func validateElements(_ tensor: Tensor, name: String, path: String) throws(TensorFileError) {
    guard tensor.count > 0 else {
        throw TensorFileError(path: path, kind: .emptyTensor, problem: "tensor '\(name)' is empty (shape \(tensor.shapeDescription))")
    }
    if let index = tensor.firstNonFiniteIndex {
        throw TensorFileError(path: path, kind: .nonFiniteValue, problem: "tensor '\(name)' has a non-finite value (\(tensor[index])) at flat index \(index)")
    }
}
