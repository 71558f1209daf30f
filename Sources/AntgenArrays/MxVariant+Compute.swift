import AntgenHarness
import Foundation

/// The MX array's golden layer path: A and W in the array's ``MxVariant/layerFormats`` with
/// E8M0 block scales, every output the golden binary32 word.
extension MxVariant {
    /// The runner of `precision` on this build (the MX array runs its own formats only).
    /// - Throws: ``VariantError`` for any precision but the standard one.
    func layerRunner(_ precision: LayerPrecision, defect: Defect? = nil) throws -> MxLayerRunner {
        guard precision == .standard else {
            throw VariantError("precision \(precision): --array mx runs every layer in its own MX formats (--mx-formats)")
        }
        let formats = layerFormats
        return MxLayerRunner(parameters, activationFormat: formats.activation, weightFormat: formats.weight, mutant: defect)
    }

    /// (Its weight quantization is cheap: `weights` is not used.)
    public func computeLayer(_ layer: FloatLayer, precision: LayerPrecision, weights: WeightMemo?) throws -> LayerComputation {
        let runner = try layerRunner(precision)
        return LayerComputation(m: layer.m, k: layer.k, n: layer.n, output: try runner.compute(layer), formats: runner.formatsLine,
                                precision: precision, activationBits: runner.activationFormat.bits <= 4 ? 4 : 8,
                                weightBits: runner.weightFormat.bits <= 4 ? 4 : 8)
    }
}
