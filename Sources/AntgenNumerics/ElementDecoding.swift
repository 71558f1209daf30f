/// The element types tensor files may hold.
enum FileElementType: Sendable {
    case float16, bfloat16, float32, float64

    var byteCount: Int {
        switch self {
        case .float16, .bfloat16: return 2
        case .float32: return 4
        case .float64: return 8
        }
    }

    var name: String {
        switch self {
        case .float16: return "float16"
        case .bfloat16: return "bfloat16"
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }
}

/// Decodes `count` elements starting at `offset` of `bytes` into a tensor of `shape`
/// (float64 stays float64; the 2- and 4-byte types become float32, exactly).
func decodeElements(
    _ bytes: UnsafeRawBufferPointer, offset: Int, count: Int, type: FileElementType, bigEndian: Bool, shape: [Int]
) -> Tensor {
    switch type {
    case .float64:
        var values = [Double](repeating: 0, count: count)
        for index in 0 ..< count {
            let raw = bytes.loadUnaligned(fromByteOffset: offset + 8 * index, as: UInt64.self)
            values[index] = Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
        }
        return Tensor(validatedShape: shape, storage: .float64(values))
    case .float32:
        var values = [Float](repeating: 0, count: count)
        for index in 0 ..< count {
            let raw = bytes.loadUnaligned(fromByteOffset: offset + 4 * index, as: UInt32.self)
            values[index] = Float(bitPattern: bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw))
        }
        return Tensor(validatedShape: shape, storage: .float32(values))
    case .float16, .bfloat16:
        var values = [Float](repeating: 0, count: count)
        for index in 0 ..< count {
            let raw = bytes.loadUnaligned(fromByteOffset: offset + 2 * index, as: UInt16.self)
            let bits = bigEndian ? UInt16(bigEndian: raw) : UInt16(littleEndian: raw)
            values[index] = type == .float16 ? floatFromHalf(bits) : Float(bitPattern: UInt32(bits) << 16)
        }
        return Tensor(validatedShape: shape, storage: .float32(values))
    }
}

/// IEEE binary16 → binary32, exact (every half value is a float).
func floatFromHalf(_ bits: UInt16) -> Float {
    let sign: UInt32 = UInt32(bits >> 15) << 31
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = UInt32(bits & 0x3FF)
    switch exponent {
    case 0:
        // Subnormal (or zero): mantissa · 2^−24.
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}
