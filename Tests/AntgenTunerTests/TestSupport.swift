import AntgenNumerics
import AntgenTuner
import Foundation

/// SplitMix64 with Box–Muller normals: reproducible test data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func gaussian() -> Double {
        let u = Double.random(in: Double.ulpOfOne ..< 1, using: &self)
        let v = Double.random(in: 0 ..< 1, using: &self)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

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
