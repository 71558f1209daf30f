import AntgenHarness
import Foundation

/// The SDP array's golden layer path: int8 activations per tensor (clip search), int8 or
/// 4-bit int weights per output channel, the term-selected sums per tile by the SDP golden model.
extension SdpVariant {
    /// The runner of `precision` on this build.
    /// - Throws: ``VariantError`` for a choice the build cannot run.
    func layerRunner(_ precision: LayerPrecision, defect: Defect? = nil) throws -> SdpLayerRunner {
        let p = parameters
        switch precision.activation {
        case .standard, .bits(8), .format("int", 8): break
        case let other: throw VariantError("activations: --array sdp takes int8 activations, not \(other); use a8w4 or a8w8")
        }
        let weightInt8: Bool?
        switch precision.weight {
        case .standard: weightInt8 = nil
        case .bits(8), .format("int", 8): weightInt8 = true
        case .bits(4), .format("int", 4): weightInt8 = false
        case let other: throw VariantError("weights: --array sdp takes int8 or 4-bit int weights, not \(other)")
        }
        if weightInt8 == true && !p.weight.int8 { throw VariantError("weights: int8 needs an SDP build with int8 weights (--int8)") }
        if weightInt8 == false && !p.weight.types.contains(.int) { throw VariantError("weights: 4-bit int weights need the int weight type (--weight-types int,…)") }
        return SdpLayerRunner(parameters: p, mutant: defect, weightInt8: weightInt8)
    }

    /// (Its weight quantization is cheap: `weights` is not used.)
    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights: WeightMemo?) throws -> LayerComputation {
        let runner = try layerRunner(precision)
        let q = try SdpLayerOperands(layer, parameters: parameters, weightInt8: runner.weightInt8)
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: try runner.compute(layer),
                                formats: "\(q.formats), SDP G=\(parameters.group) T=\(parameters.terms)", precision: precision,
                                activationBits: 8, weightBits: q.weightMode.int8 ? 8 : 4)
    }
}
