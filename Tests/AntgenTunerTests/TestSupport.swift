import AntgenNumerics
import AntgenTuner
import Foundation

/// Seeded randomness (SplitMix64 with Box–Muller normals) so random tests are reproducible.
typealias SeededGenerator = SplitMix64

/// The selection candidates of ANT types (a tuning space's kinds).
func candidates(_ types: AntType...) -> [TypeCandidate] { types.map(TypeCandidate.init) }

/// A seeded Gaussian float32 weight tensor of `shape`, scaled by `spread`.
func gaussianTensor(_ name: String, shape: [Int], seed: UInt64, spread: Double = 0.1) -> NamedTensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values = (0 ..< count).map { _ in Float(generator.gaussian() * spread) }
    // The count matches the shape by construction.
    return NamedTensor(name: name, tensor: try! Tensor(shape: shape, float32: values))
}

/// Three small weight tensors with different statistics (a heavy-tailed one included).
func sampleInputs() -> [TuningInput] {
    var generator = SeededGenerator(seed: 99)
    let heavy = (0 ..< 8 * 40).map { _ in Float(pow(generator.gaussian(), 3) * 0.05) }
    return [
        TuningInput(file: "mem", tensor: gaussianTensor("conv.weight", shape: [8, 36], seed: 1)),
        TuningInput(file: "mem", tensor: gaussianTensor("fc.weight", shape: [4, 64], seed: 2, spread: 0.5)),
        TuningInput(file: "mem", tensor: NamedTensor(name: "heavy.weight", tensor: try! Tensor(shape: [8, 40], float32: heavy))),
    ]
}

/// A fresh scratch directory under the system temporary directory.
func scratchDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-tuner-tests-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
