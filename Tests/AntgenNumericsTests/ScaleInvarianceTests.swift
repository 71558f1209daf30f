import Foundation
import Testing
@testable import AntgenNumerics

/// The quantizer is scale-invariant over the whole float64 range (docs/reliability.md):
/// the same tensor times 2^k gives the same codes, α and dequantised values times 2^k
/// (powers of two scale exactly) and the same relative error, from subnormal data to data
/// near 1e307. Before, subnormal channels crashed (an infinite normalising factor) and
/// large or tiny ones reported NaN/∞ or a relative error of 0.
@Suite struct ScaleInvarianceTests {
    /// A [4, 16] tensor of seeded normals, one channel ten times smaller than the others.
    static let base: [Double] = {
        var generator = SplitMix64(seed: 16)
        return (0 ..< 64).map { index in generator.gaussian() * (index < 16 ? 0.1 : 1) }
    }()

    static func scaled(_ k: Int) -> [Double] { base.map { Double(sign: .plus, exponent: k, significand: $0) } }

    static let exponents = [-1000, -900, -600, -300, -1, 0, 1, 300, 600, 900, 1000]

    @Test(arguments: [ScaleKind.alpha, .bias])
    func quantizerResultsScaleExactly(scale: ScaleKind) throws {
        let quantizer = AntQuantizer(options: QuantizerOptions(bits: 4, scale: scale))
        let reference = try quantizer.quantize(try Tensor(shape: [4, 16], float64: Self.base))
        #expect(reference.relativeError > 1e-4 && reference.relativeError < 0.1)
        for k in Self.exponents {
            let result = try quantizer.quantize(try Tensor(shape: [4, 16], float64: Self.scaled(k)))
            #expect(result.codes == reference.codes, "2^\(k)")
            #expect(result.chosenType == reference.chosenType, "2^\(k)")
            #expect(result.dequantized.doubles == reference.dequantized.doubles.map { Double(sign: .plus, exponent: k, significand: $0) }, "2^\(k)")
            #expect(result.alphas == reference.alphas.map { Double(sign: .plus, exponent: k, significand: $0) }, "2^\(k)")
            #expect(result.relativeError == reference.relativeError, "2^\(k)")
            #expect(result.candidates.map(\.relativeError) == reference.candidates.map(\.relativeError), "2^\(k)")
            if scale == .bias { #expect(result.biases == reference.biases?.map { $0 - k }, "2^\(k)") }
        }
    }

    @Test func fitsAndTheirRelativeErrorsScaleExactly() throws {
        let formats = try [format(.int, 4, signed: true), format(.flint, 4, signed: true), format(.pot, 3, signed: true)]
        for scale in [ScaleKind.alpha, .bias] {
            let reference = try fitFormats(try Tensor(shape: [4, 16], float64: Self.base), formats: formats, perChannel: true, scale: scale)
            for k in Self.exponents {
                let fits = try fitFormats(try Tensor(shape: [4, 16], float64: Self.scaled(k)), formats: formats, perChannel: true, scale: scale)
                #expect(fits.fits.map(\.relativeError) == reference.fits.map(\.relativeError), "\(scale) 2^\(k)")
                #expect(fits.fits.map(\.alphas) == reference.fits.map { $0.alphas.map { Double(sign: .plus, exponent: k, significand: $0) } }, "\(scale) 2^\(k)")
            }
        }
    }

    /// The reported cases: a channel of values near 1e-310 crashed with SIGILL; data near
    /// 1e307 gave α = ∞ and NaN values; scales of 1e160 and 1e-200 reported relative error 0.
    @Test(arguments: [1e-310, 1e-200, 1e160, 1e307])
    func decimalScalesKeepTheRelativeError(factor: Double) throws {
        let quantizer = AntQuantizer(options: QuantizerOptions(bits: 4))
        let reference = try quantizer.quantize(try Tensor(shape: [4, 16], float64: Self.base))
        let result = try quantizer.quantize(try Tensor(shape: [4, 16], float64: Self.base.map { $0 * factor }))
        #expect(result.dequantized.doubles.allSatisfy { $0.isFinite })
        #expect(result.alphas.allSatisfy { $0.isFinite && $0 > 0 })
        // Not a power of two, so only close: rounding of x · factor moves the error slightly.
        #expect(abs(result.relativeError - reference.relativeError) < 0.05 * reference.relativeError, "\(factor): \(result.relativeError)")
    }

    @Test func float32SubnormalsQuantize() throws {
        let values = Self.base.map { Float($0 * 1e-40) }
        let result = try AntQuantizer(options: QuantizerOptions(bits: 4)).quantize(try Tensor(shape: [4, 16], float32: values))
        #expect(result.relativeError > 0 && result.relativeError < 0.2)
    }

    @Test func magnitudesThatCannotBeRepresentedAreRefusedWithTheReason() throws {
        let nearMax = try Tensor(shape: [2], float64: [1.7e308, -1])
        #expect {
            try AntQuantizer(options: QuantizerOptions(bits: 4)).quantize(nearMax)
        } throws: { ($0 as? QuantizerError)?.description.contains("would exceed float64's range") == true }
        // Within α's range, the bias search skips the biases whose top value (up to 2^7 · max) overflows.
        let bias = try AntQuantizer(options: QuantizerOptions(bits: 4, scale: .bias)).quantize(try Tensor(shape: [2], float64: [1.1e308, -1e307]))
        #expect(bias.alphas.allSatisfy { $0.isFinite } && bias.dequantized.doubles.allSatisfy { $0.isFinite })
        // Compat arithmetic repeats the reference's float32 steps: outside 2^-40…2^60 it refuses.
        for value in [1e30, 1e-20] {
            #expect {
                try AntQuantizer(options: QuantizerOptions(bits: 4, arithmetic: .compat)).quantize(try Tensor(shape: [2], float64: [value, -value]))
            } throws: { ($0 as? QuantizerError)?.description.contains("use exact arithmetic") == true }
        }
    }
}
