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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Layer 1: the hardware DSL core (types, values, statements, modules, IR, elaboration checks).
        .target(name: "AntgenDSL"),
        // Layer 2: the Verilog-2005 back end (IR -> text, file lists, atomic writes).
        .target(name: "AntgenVerilog", dependencies: ["AntgenDSL"]),
        // Layer 1': numerics, the ANT reference quantizer (independent of hardware).
        .target(name: "AntgenNumerics"),
        // Layer 3: example circuits written in the DSL.
        .target(name: "AntgenExamples", dependencies: ["AntgenDSL"]),
        // The command-line tool.
        .executableTarget(
            name: "antgen",
            dependencies: [
                "AntgenDSL", "AntgenVerilog", "AntgenNumerics", "AntgenExamples",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Benchmarks (`make bench`), always built in release mode.
        .executableTarget(
            name: "antgen-bench",
            dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenNumerics", "AntgenExamples"]),
        .testTarget(name: "AntgenDSLTests", dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenExamples"]),
        .testTarget(name: "AntgenVerilogTests", dependencies: ["AntgenDSL", "AntgenVerilog", "AntgenExamples"]),
        .testTarget(name: "AntgenNumericsTests", dependencies: ["AntgenNumerics"]),
    ],
    swiftLanguageModes: [.v6]
)
