/// A dense C-order tensor of float32 or float64 values.
///
/// float16 and bfloat16 files load as float32 (exactly); float32 stays float32 so a tensor
/// costs 4 bytes per element in memory, the same as on disk.
public struct Tensor: Sendable, Equatable {
    /// Element storage: the element type of the data.
    public enum Storage: Sendable, Equatable {
        /// 4-byte elements (float16, bfloat16 and float32 files).
        case float32([Float])
        /// 8-byte elements (float64 files).
        case float64([Double])
    }

    /// Why a tensor could not be built.
    public struct ShapeError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The shape given.
        public let shape: [Int]
        /// The number of elements given.
        public let count: Int

        /// A one-line human-readable description.
        public var description: String {
            "shape \(shape) does not match \(count) element\(count == 1 ? "" : "s")"
        }
    }

    /// The dimensions, outermost first (empty for a scalar).
    public let shape: [Int]
    /// The elements in C order.
    public let storage: Storage

    /// Creates a float32 tensor.
    ///
    /// - Throws: `ShapeError` when a dimension is negative or the product of `shape` is not
    ///   `values.count`.
    public init(shape: [Int], float32 values: [Float]) throws(ShapeError) {
        guard Self.elementCount(of: shape) == values.count else { throw ShapeError(shape: shape, count: values.count) }
        self.shape = shape
        self.storage = .float32(values)
    }

    /// Creates a float64 tensor.
    ///
    /// - Throws: `ShapeError` as `init(shape:float32:)`.
    public init(shape: [Int], float64 values: [Double]) throws(ShapeError) {
        guard Self.elementCount(of: shape) == values.count else { throw ShapeError(shape: shape, count: values.count) }
        self.shape = shape
        self.storage = .float64(values)
    }

    /// Creates a tensor whose element count is already known to match `shape`.
    init(validatedShape shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    /// The product of the dimensions, nil if one is negative or the product overflows.
    static func elementCount(of shape: [Int]) -> Int? {
        var total = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            total = product
        }
        return total
    }

    /// The number of elements.
    public var count: Int {
        switch storage {
        case .float32(let values): return values.count
        case .float64(let values): return values.count
        }
    }

    /// Bytes per element of the storage (4 or 8).
    public var bytesPerElement: Int {
        switch storage {
        case .float32: return 4
        case .float64: return 8
        }
    }

    /// The element at flat C-order index `index`, as a `Double`.
    public subscript(index: Int) -> Double {
        switch storage {
        case .float32(let values): return Double(values[index])
        case .float64(let values): return values[index]
        }
    }

    /// All elements as doubles (a copy).
    public var doubles: [Double] {
        switch storage {
        case .float32(let values): return values.map(Double.init)
        case .float64(let values): return values
        }
    }

    /// The flat index of the first NaN or infinite element, nil when all are finite.
    public var firstNonFiniteIndex: Int? {
        switch storage {
        case .float32(let values): return values.firstIndex { !$0.isFinite }
        case .float64(let values): return values.firstIndex { !$0.isFinite }
        }
    }

    /// Describes the shape as `[64, 3, 3, 3]` (`[]` for a scalar).
    public var shapeDescription: String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
