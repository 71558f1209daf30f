import AntgenSupport
import Foundation

/// The memory `antgen run` plans for a layer, checked before any build (docs/reliability.md).
extension LayerRunJob {
    /// Bytes held per output element C[m, n]: the RTL's result, the golden value, the report's
    /// dequantised value and its float32 copy for the .npy file.
    static let bytesPerOutput = 32
    /// Bytes held per input element (float values, their float64 copy, codes, a transpose).
    static let bytesPerInput = 24
    /// The process's own share (runtime, simulator pipes, one tile's vectors).
    static let baseBytes = 64 << 20

    /// The estimate for an M × K by K × N layer, saturated at `Int.max` (never a trap).
    public static func memoryEstimate(m: Int, k: Int, n: Int) -> Int {
        SizeEstimate.sum(baseBytes, SizeEstimate.product(m, n, bytesPerOutput),
                         SizeEstimate.product(SizeEstimate.sum(SizeEstimate.product(m, k), SizeEstimate.product(k, n)), bytesPerInput))
    }

    /// Refuses a layer whose estimate exceeds ``maxMemory``, naming the shape and the estimate.
    /// - Throws: ``LayerRunError``.
    func checkMemory(m: Int, k: Int, n: Int) throws {
        do {
            try maxMemory.check(Self.memoryEstimate(m: m, k: k, n: n), for: "the \(m)×\(k) · \(k)×\(n) layer (output C \(m) × \(n))")
        } catch let error as MemoryLimitError {
            throw LayerRunError(error.description)
        }
    }
}
