import AntgenHarness
import Foundation

/// The PWLQ array's golden layer path: int4/int8 activations per tensor, b-bit PWLQ weights
/// per output channel (the build's), the three sums per tile by ``PwlqTileSums``.
extension PwlqVariant {
    /// The runner of `precision` on this build (activation width; the weights are the build's PWLQ codes).
    /// - Throws: ``VariantError`` for a choice the build cannot run.
    func layerRunner(_ precision: LayerPrecision, defect: Defect? = nil) throws -> PwlqLayerRunner {
        let p = parameters
        guard p.partialSumStage == nil else {
            throw VariantError("the PWLQ layer path drives the array without the partial-sum stage; verify that stage with antgen verify --array pwlq --psum-preload")
        }
        let activation: PwlqActivationWidth
        switch precision.activation {
        case .standard: activation = p.int8 ? .int8 : .int4
        case .bits(4), .format("int", 1...4): activation = .int4
        case .bits(8), .format("int", 5...8): activation = .int8
        case let other:
            throw VariantError("activations: --array pwlq takes int4 or int8 activations, not \(other)")
        }
        if activation == .int8 && !p.int8 { throw VariantError("activations: int8 needs a PWLQ build with int8 (--int8)") }
        switch precision.weight {
        case .standard, .bits(4): break
        case .format("pwlq", p.weightBits): break
        case let other:
            throw VariantError("weights: --array pwlq issues its \(p.weightBits)-bit PWLQ weights (--code-width b) in one step, not \(other); use a4w4 or a8w4")
        }
        return PwlqLayerRunner(parameters: p, mutant: defect, activation: activation)
    }

    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights memo: WeightMemo?) throws -> LayerComputation {
        let runner = try layerRunner(precision)
        let weights = try memo?.value("pwlq \(parameters.weightBits)") { try runner.quantizeWeights(layer) }
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: try runner.compute(layer, weights: weights), formats: runner.formatsLine,
                                precision: precision, activationBits: runner.activation.rawValue, weightBits: 4)
    }
}
