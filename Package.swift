// swift-tools-version:6.0
// antgen: ANT number formats -> verified hardware. One target per layer.
import PackageDescription

let package = Package(
    name: "antgen",
    products: [
        .executable(name: "antgen", targets: ["antgen"]),
        .library(name: "AntgenDSL", targets: ["AntgenDSL"]),
        .library(name: "AntgenVerilog", targets: ["AntgenVerilog"]),
        .library(name: "AntgenNumerics", targets: ["AntgenNumerics"]),
        .library(name: "AntgenHardware", targets: ["AntgenHardware"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Layer 0: support shared by every tool-facing target: the process runner (timeouts,
        // process groups, interrupt clean-up), atomic file writes, content hashing (our own
        // SHA-256, FIPS 180-4), the version.
        .target(name: "AntgenSupport"),
        // Layer 1: the hardware DSL core (types, values, statements, modules, IR, elaboration checks).
        .target(name: "AntgenDSL"),
        // Layer 2: the Verilog-2005 back end (IR -> text, file lists) and its lint gates.
        .target(name: "AntgenVerilog", dependencies: ["AntgenDSL", "AntgenSupport"]),
        // Layer 1': numerics, the ANT reference quantizer (independent of hardware).
        .target(name: "AntgenNumerics"),
        // Layer 3: the ANT hardware generators (decoders, PE, tile array), written in the DSL;
        // they name number types by AntgenNumerics' AntType (the one number-type model).
        .target(name: "AntgenHardware", dependencies: ["AntgenDSL", "AntgenNumerics"]),
        // Example circuits written in the DSL.
        .target(name: "AntgenExamples", dependencies: ["AntgenDSL"]),
        // Golden vectors: expected GEMM results from the reference numerics, never from RTL.
        .target(name: "AntgenGolden", dependencies: ["AntgenNumerics"]),
        // The verification harness: Verilator/Icarus builds, runs and reports. Its testbench
        // sources (Testbenches/) ship as a resource, so the built binary verifies without the
        // source checkout.
        .target(name: "AntgenHarness", dependencies: ["AntgenGolden", "AntgenNumerics", "AntgenHardware", "AntgenVerilog", "AntgenDSL", "AntgenSupport"],
                resources: [.copy("Testbenches")]),
        // The quantize job loop (tensor files in, staged .npy outputs and a JSON report out)
        // and its modes: ANT, PWLQ, MX, and the SDP statistics (antgen quantize).
        .target(name: "AntgenQuantize", dependencies: ["AntgenNumerics", "AntgenGolden", "AntgenSupport"]),
        // The auto-tuner: per-tensor format, width and scale under an accuracy constraint. It
        // builds plans; the plan model (read by the hardware and perf too) is in AntgenNumerics.
        .target(name: "AntgenTuner", dependencies: ["AntgenNumerics", "AntgenSupport"]),
        // Hardware cost: Yosys synthesis reports and the int-only vs ANT comparison.
        .target(name: "AntgenSynth", dependencies: ["AntgenHardware", "AntgenNumerics", "AntgenVerilog", "AntgenDSL", "AntgenSupport"]),
        // The performance model: exact cycles of the generated arrays, traffic and energy (antgen perf).
        .target(name: "AntgenPerf", dependencies: ["AntgenHardware", "AntgenSynth", "AntgenNumerics"]),
        // The array variants: every hardware array as one typed value (parameters, top, golden
        // verification, layer runs, cycle model, synthesis target, CLI options) and the registry
        // every command loops over. Above Hardware, Golden, Harness, Perf and Synth.
        .target(name: "AntgenArrays", dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenNumerics", "AntgenHardware", "AntgenGolden",
                                                     "AntgenHarness", "AntgenPerf", "AntgenSynth", "AntgenSupport", "AntgenModel",
                                                     .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // The float transformer model (all-MiniLM-L6-v2 and other BERT-layout checkpoints):
        // WordPiece tokenizer, forward pass with every product behind the LinearExecutor seam,
        // and the model-level fidelity metrics. No hardware.
        .target(name: "AntgenModel", dependencies: ["AntgenNumerics", "AntgenSupport"]),
        // The command-line tool.
        .executableTarget(
            name: "antgen",
            dependencies: [
                "AntgenDSL", "AntgenVerilog", "AntgenNumerics", "AntgenExamples", "AntgenHardware",
                "AntgenGolden", "AntgenHarness", "AntgenSynth", "AntgenTuner", "AntgenSupport", "AntgenPerf", "AntgenArrays", "AntgenQuantize", "AntgenModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmarks (`make bench`), always built in release mode.
        .executableTarget(
            name: "antgen-bench",
            dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenNumerics", "AntgenExamples", "AntgenHardware",
                           "AntgenGolden", "AntgenHarness", "AntgenTuner", "AntgenSupport", "AntgenPerf"]),
        .testTarget(name: "AntgenDSLTests", dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenExamples"]),
        .testTarget(name: "AntgenVerilogTests", dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenExamples", "AntgenSupport"]),
        .testTarget(name: "AntgenSupportTests", dependencies: ["AntgenSupport"]),
        .testTarget(name: "AntgenHardwareTests", dependencies: ["AntgenHardware", "AntgenNumerics", "AntgenDSL", "AntgenVerilog", "AntgenSupport"]),
        .testTarget(name: "AntgenGoldenTests", dependencies: ["AntgenGolden", "AntgenNumerics"]),
        .testTarget(name: "AntgenHarnessTests", dependencies: ["AntgenHarness", "AntgenGolden", "AntgenNumerics", "AntgenHardware", "AntgenVerilog", "AntgenDSL", "AntgenSupport"]),
        .testTarget(name: "AntgenSynthTests", dependencies: ["AntgenSynth", "AntgenSupport"]),
        .testTarget(name: "AntgenNumericsTests", dependencies: ["AntgenNumerics"], resources: [.copy("Fixtures")]),
        // The antgen executable end to end (runs the built binary).
        .testTarget(name: "AntgenCLITests"),
        .testTarget(name: "AntgenPerfTests", dependencies: ["AntgenPerf", "AntgenHarness", "AntgenGolden", "AntgenHardware", "AntgenNumerics", "AntgenSupport", "AntgenSynth"]),
        .testTarget(name: "AntgenArraysTests", dependencies: ["AntgenArrays", "AntgenHarness", "AntgenHardware", "AntgenPerf", "AntgenVerilog", "AntgenDSL", "AntgenSupport", "AntgenModel",
                                                            .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "AntgenModelTests", dependencies: ["AntgenModel", "AntgenNumerics"]),
        .testTarget(name: "AntgenTunerTests", dependencies: ["AntgenTuner", "AntgenHardware", "AntgenNumerics", "AntgenDSL", "AntgenPerf"]),
    ],
    swiftLanguageModes: [.v6]
)
