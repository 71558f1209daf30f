/// The plain b-bit symmetric uniform quantizer PWLQ is compared with (spec §7.5): per channel
/// (weights) or per tensor (activations), range [−m, m] with m = max |x|, step 2m/(2^b − 1),
/// integer round(x/step) half to even, saturated to −2^(b−1) … 2^(b−1) − 1 (the released
/// code's `uniform.py`, so +m lands on (2^b − 2)/(2^b − 1)·m).
public struct UniformBaseline: Sendable {
    /// Code width b, 2…8.
    public let bits: Int
    /// Weight (per channel) or activation (per tensor).
    public let role: TensorRole

    public init(bits: Int, role: TensorRole = .weight) {
        self.bits = bits
        self.role = role
    }

    /// The signed integer code of x for a channel of range m (0 when m = 0).
    public func code(_ x: Double, range m: Double) -> Int {
        guard m > 0 else { return 0 }
        let half = Double(1 << (bits - 1))
        let step = 2 * m / Double((1 << bits) - 1)
        return Int(max(-half, min((x / step).rounded(.toNearestOrEven), half - 1)))
    }

    /// The value of a code for a channel of range m.
    public func value(_ code: Int, range m: Double) -> Double {
        Double(code) * (2 * m / Double((1 << bits) - 1))
    }

    /// The mean squared error of the tensor after uniform quantization, and the per-channel ranges.
    ///
    /// - Throws: `PwlqError` for a width outside 2…8, an empty tensor or a non-finite element.
    public func meanSquaredError(_ tensor: Tensor) throws(PwlqError) -> Double {
        guard (2 ... 8).contains(bits) else { throw .unsupportedBitWidth(bits) }
        guard tensor.count > 0 else { throw .emptyTensor }
        if let index = tensor.firstNonFiniteIndex { throw .nonFiniteValue(index: index, value: tensor[index]) }
        let channels = role == .weight ? max(tensor.shape.first ?? 1, 1) : 1
        let length = tensor.count / channels
        var total = 0.0
        for channel in 0 ..< channels {
            var m = 0.0
            for index in channel * length ..< (channel + 1) * length { m = max(m, abs(tensor[index])) }
            for index in channel * length ..< (channel + 1) * length {
                let x = tensor[index]
                let difference = value(code(x, range: m), range: m) - x
                total += difference * difference
            }
        }
        return total / Double(tensor.count)
    }
}
