import AntgenGolden
import AntgenHardware
import AntgenHarness
import AntgenNumerics
import Foundation

/// The ANT array's golden layer path: adaptive types per tensor (4-bit codes) or int8 per
/// operand, the integer GEMM by ``GemmReference`` on row blocks in parallel.
extension AntVariant {
    /// The quantizer mode and width of one operand for `choice` on this build.
    /// - Throws: ``VariantError`` for a width or type the build does not decode.
    func quantizerSetting(_ choice: OperandChoice, types: [AntType], what: String) throws -> (mode: String, bits: Int) {
        let p = parameters
        let adaptive = (mode: RunInputs.modeString(types), bits: p.codeWidth)
        switch choice {
        case .standard:
            return adaptive
        case .bits(let b) where b == 8:
            guard p.int8 else { throw VariantError("\(what): 8-bit operands need an ANT build with int8 (--int8)") }
            return ("int", 8)
        case .bits(let b) where b == 4 || b == p.codeWidth:
            return adaptive
        case .bits(let b):
            throw VariantError("\(what): the ANT array runs \(p.codeWidth)-bit codes and int8, not \(b)-bit operands")
        case .format(let kind, let bits):
            guard let type = AntType(name: kind) else {
                throw VariantError("\(what): the plan picks \(kind)\(bits), which the ANT array does not decode")
            }
            if bits == 8 && type == .int {
                guard p.int8 else { throw VariantError("\(what): the plan picks int8, and this build has no int8 (--int8)") }
                return ("int", 8)
            }
            guard bits == p.codeWidth, types.contains(type) else {
                throw VariantError("\(what): the plan picks \(kind)\(bits); this build decodes \(types.map(\.description).joined(separator: ",")) at \(p.codeWidth) bits\(p.int8 ? " and int8" : "")")
            }
            return (kind, bits)
        }
    }

    /// A and W of `layer` as the array's code streams for `precision` (A per tensor, W per
    /// output channel), checked against the build's modes and its accumulator.
    /// - Throws: ``VariantError`` for a choice the build cannot run or a K the accumulator cannot hold.
    public func quantizedOperands(_ layer: FloatLayer, precision: LayerPrecision, weights memo: WeightMemo? = nil) throws -> (a: QuantizedMatrix, w: QuantizedMatrix) {
        let p = parameters
        let act = try quantizerSetting(precision.activation, types: p.activation.types, what: "activations")
        let wgt = try quantizerSetting(precision.weight, types: p.weight.types, what: "weights")
        let a = try AntLayerQuantizer.activations(layer, parameters: p, mode: act.mode, bits: act.bits)
        let quantizeWeights = { try AntLayerQuantizer.weights(layer, parameters: p, mode: wgt.mode, bits: wgt.bits) }
        let w = try memo?.value("ant \(wgt.mode) \(wgt.bits)", quantizeWeights) ?? quantizeWeights()
        for (mode, types, name) in [(a.mode, p.activation.types, "activations"), (w.mode, p.weight.types, "weights")]
        where mode.int8 ? !p.int8 : !types.contains(mode.type) {
            throw VariantError("the \(name) quantized to \(try mode.format(codeWidth: p.codeWidth)), which this build does not decode")
        }
        let model = try goldenModel()
        let product = GemmReference.maxMagnitude(model, mode: a.mode) * GemmReference.maxMagnitude(model, mode: w.mode)
        let needed = GemmReference.minimumAccumulatorWidth(maxProduct: product, k: layer.k) ?? 65
        if needed > p.accumulatorWidth {
            throw VariantError("K = \(layer.k) with P_max = \(product) needs an accumulator of \(needed) bits; this build has W = \(p.accumulatorWidth) (--acc-width)")
        }
        return (a, w)
    }

    /// The golden model of the build (the one ``GemmRunner`` checks the RTL against).
    func goldenModel() throws -> GoldenModel {
        let p = parameters
        return try GoldenModel(configuration: ArrayConfiguration(
            rows: p.rows, cols: p.cols, codeWidth: p.codeWidth, accumulatorWidth: p.accumulatorWidth,
            activationTypes: p.activation.types, weightTypes: p.weight.types, int8: p.int8))
    }

    /// `a flint4u, w int8s`.
    func formatsLine(_ a: QuantizedMatrix, _ w: QuantizedMatrix) throws -> String {
        "a \(try a.mode.format(codeWidth: parameters.codeWidth)), w \(try w.mode.format(codeWidth: parameters.codeWidth))"
    }

    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights memo: WeightMemo?) throws -> LayerComputation {
        guard parameters.partialSumStage == nil else {
            throw VariantError("the ANT layer path takes the array without the partial-sum stage; drop --psum-preload/--psum-codec")
        }
        let (a, w) = try quantizedOperands(layer, precision: precision, weights: memo)
        let model = try goldenModel()
        let results = try Self.parallelGemm(model, a: a, w: w)
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: GemmReference.dequantized(model, results: results, a: a, w: w),
                                formats: try formatsLine(a, w), precision: precision,
                                activationBits: a.mode.int8 ? 8 : 4, weightBits: w.mode.int8 ? 8 : 4)
    }

    /// ``GemmReference/expected(_:a:w:)`` on blocks of A's rows in parallel, concatenated:
    /// every element is its row's and column's own sum, so the blocks change nothing. When
    /// K·P_max fits 31 bits no partial sum can leave Int32, so the blocks sum in Int32 (the
    /// exact sums, hence the same W-bit words) four times narrower than the reference's UInt64.
    public static func parallelGemm(_ model: GoldenModel, a: QuantizedMatrix, w: QuantizedMatrix) throws -> [UInt64] {
        let block = max(1, min(16, (a.rows + 7) / 8))
        let blocks = (a.rows + block - 1) / block
        let product = GemmReference.maxMagnitude(model, mode: a.mode) * GemmReference.maxMagnitude(model, mode: w.mode)
        let narrow = (GemmReference.minimumAccumulatorWidth(maxProduct: product, k: a.cols) ?? 65) <= 32
        // Every product fits Int16 (int8 × int8 signed: at most 128²): the Int16-lane kernel.
        if narrow, product <= Int(Int16.max) {
            let w16 = w.codes.map { Int16(model.value(of: UInt64($0), mode: w.mode)) }
            let parts = try concurrentMap(blocks) { b in
                let rows = b * block ..< min(a.rows, (b + 1) * block)
                let a16 = a.codes[rows.lowerBound * a.cols ..< rows.upperBound * a.cols].map { Int16(model.value(of: UInt64($0), mode: a.mode)) }
                return shortGemm(a16, w16, rows: rows.count, k: a.cols, n: w.cols, mask: model.mask)
            }
            return parts.flatMap { $0 }
        }
        let wv = narrow ? w.codes.map { Int32(model.value(of: UInt64($0), mode: w.mode)) } : []
        let parts = try concurrentMap(blocks) { b in
            let rows = b * block ..< min(a.rows, (b + 1) * block)
            let codes = Array(a.codes[rows.lowerBound * a.cols ..< rows.upperBound * a.cols])
            guard narrow else {
                let slice = try QuantizedMatrix(rows: rows.count, cols: a.cols, codes: codes, mode: a.mode, scales: a.scales)
                return GemmReference.expected(model, a: slice, w: w)
            }
            return narrowGemm(codes.map { Int32(model.value(of: UInt64($0), mode: a.mode)) }, wv, rows: rows.count, k: a.cols, n: w.cols, mask: model.mask)
        }
        return parts.flatMap { $0 }
    }

    /// C = A·W when every product fits Int16 and no sum leaves 31 bits: the products in Int16
    /// lanes (exact), summed in Int32, each masked to W bits. Columns go in tiles of 256 so a
    /// tile of the block's sums stays in L1 while W streams through once per row block.
    static func shortGemm(_ av: [Int16], _ wv: [Int16], rows m: Int, k: Int, n: Int, mask: UInt64) -> [UInt64] {
        var c = [Int32](repeating: 0, count: m * n)
        let tile = 256
        c.withUnsafeMutableBufferPointer { out in
            av.withUnsafeBufferPointer { ap in
                wv.withUnsafeBufferPointer { wp in
                    for j0 in stride(from: 0, to: n, by: tile) {
                        let width = min(tile, n - j0)
                        for kk in 0..<k {
                            let wrow = wp.baseAddress! + kk * n + j0
                            for i in 0..<m {
                                let x = ap[i * k + kk]
                                if x == 0 { continue }
                                let orow = out.baseAddress! + i * n + j0
                                for j in 0..<width { orow[j] &+= Int32(truncatingIfNeeded: x &* wrow[j]) }
                            }
                        }
                    }
                }
            }
        }
        return c.map { UInt64(bitPattern: Int64($0)) & mask }
    }

    /// C = A·W of integer values in Int32 (no sum leaves 31 bits), each masked to W bits.
    static func narrowGemm(_ av: [Int32], _ wv: [Int32], rows m: Int, k: Int, n: Int, mask: UInt64) -> [UInt64] {
        var c = [Int32](repeating: 0, count: m * n)
        c.withUnsafeMutableBufferPointer { out in
            wv.withUnsafeBufferPointer { wp in
                for i in 0..<m {
                    for kk in 0..<k {
                        let x = av[i * k + kk]
                        if x == 0 { continue }
                        let base = kk * n, row = i * n
                        for j in 0..<n { out[row + j] &+= x &* wp[base + j] }
                    }
                }
            }
        }
        return c.map { UInt64(bitPattern: Int64($0)) & mask }
    }
}
