import Foundation

/// Where the hand-written testbenches live: the `Testbenches` resource of AntgenHarness
/// (Sources/AntgenHarness/Testbenches, copied next to the built binary as its resource
/// bundle, so an installed `antgen` verifies without the source checkout). ``directory`` is
/// its `harness` folder (the C++ Verilator harness and the Icarus testbench); the other
/// arrays' folders (`ws`, `mx`, `sdp`, `common`, …) sit beside it under ``root``.
public struct TestbenchSources: Sendable {
    /// The `harness` folder.
    public let directory: URL

    /// Uses `directory` as the `harness` folder (its siblings are the other testbenches).
    public init(directory: URL) { self.directory = directory }

    /// The name of the resource folder inside the AntgenHarness bundle.
    static let resourceName = "Testbenches"

    /// Locates the folder: `ANTGEN_TESTBENCH_DIR` (a `harness` folder, for trying edited
    /// testbenches without a rebuild) when set, else the `harness` folder of the bundled
    /// `Testbenches` resource.
    /// - Throws: ``HarnessError`` when that folder has no `harness.cpp`.
    public static func locate() throws -> TestbenchSources {
        let directory: URL
        if let override = ProcessInfo.processInfo.environment["ANTGEN_TESTBENCH_DIR"], !override.isEmpty {
            directory = URL(fileURLWithPath: override)
        } else if let bundled = Bundle.module.url(forResource: resourceName, withExtension: nil) {
            directory = bundled.appendingPathComponent("harness")
        } else {
            throw HarnessError("the \(resourceName) resource is missing from \(Bundle.module.bundlePath); reinstall antgen with its resource bundle")
        }
        let sources = TestbenchSources(directory: directory)
        guard FileManager.default.fileExists(atPath: sources.cppHarness.path) else {
            throw HarnessError("\(sources.cppHarness.path) not found (testbench folder \(directory.path))")
        }
        return sources
    }

    /// The folder holding every testbench folder (`harness`, `ws`, `common`, `mx`, `sdp`, …).
    public var root: URL { directory.deletingLastPathComponent() }

    /// `harness.cpp`.
    public var cppHarness: URL { directory.appendingPathComponent("harness.cpp") }
    /// `vectors.h`.
    public var cppVectorReader: URL { directory.appendingPathComponent("vectors.h") }
    /// `stream.h`, the harness's streaming mode for `antgen run`.
    public var cppStreamMode: URL { directory.appendingPathComponent("stream.h") }
    /// `vector_run.h`, what harness.cpp and ws_harness.cpp share in vector mode (options,
    /// build check, case summary).
    public var cppVectorRun: URL { directory.appendingPathComponent("vector_run.h") }
    /// Every header the C++ harnesses include from this folder (`-I` at build time); each is
    /// part of the Verilator build's cache key.
    public var cppHeaders: [URL] { [cppVectorReader, cppStreamMode, cppVectorRun] }
    /// `ws/ws_harness.cpp`, the weight-stationary array's Verilator harness.
    public var wsHarness: URL { root.appendingPathComponent("ws/ws_harness.cpp") }
    /// `ws/ws_tb.v`, the weight-stationary array's Icarus testbench (vector files).
    public var wsVerilogTestbench: URL { root.appendingPathComponent("ws/ws_tb.v") }
    /// `ws/ws_stream_tb.v`, the weight-stationary array's Icarus streaming testbench.
    public var wsStreamTestbench: URL { root.appendingPathComponent("ws/ws_stream_tb.v") }
    /// `tb.v`, the Icarus testbench.
    public var verilogTestbench: URL { directory.appendingPathComponent("tb.v") }
    /// `common`, the Verilog include files the array testbenches share (tb.v, stream_tb.v,
    /// ws_tb.v, ws_stream_tb.v `include them): pass it to `iverilog -I`.
    public var verilogIncludes: URL { root.appendingPathComponent("common") }

    /// The text of a testbench file.
    public func text(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw HarnessError("cannot read testbench \(url.path)") }
        return String(decoding: data, as: UTF8.self)
    }
}
