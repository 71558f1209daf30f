import Foundation

/// Where the hand-written testbenches live (`testbenches/harness`): the C++ Verilator
/// harness and the Icarus testbench. Found from `ANTGEN_TESTBENCH_DIR`, else from this
/// source file's location in the repository, else `testbenches/harness` in the working
/// directory.
public struct TestbenchSources: Sendable {
    /// The folder.
    public let directory: URL

    /// Uses `directory`.
    public init(directory: URL) { self.directory = directory }

    /// Locates the folder.
    /// - Throws: ``HarnessError`` when `harness.cpp` is in none of the places.
    public static func locate() throws -> TestbenchSources {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["ANTGEN_TESTBENCH_DIR"] { candidates.append(URL(fileURLWithPath: env)) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent("testbenches/harness"))
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("testbenches/harness"))
        for c in candidates where FileManager.default.fileExists(atPath: c.appendingPathComponent("harness.cpp").path) {
            return TestbenchSources(directory: c)
        }
        throw HarnessError("testbenches/harness/harness.cpp not found; run from the repository or set ANTGEN_TESTBENCH_DIR")
    }

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
    /// `testbenches/ws/ws_harness.cpp`, the weight-stationary array's Verilator harness.
    public var wsHarness: URL { directory.deletingLastPathComponent().appendingPathComponent("ws/ws_harness.cpp") }
    /// `tb.v`, the Icarus testbench.
    public var verilogTestbench: URL { directory.appendingPathComponent("tb.v") }
    /// `testbenches/common`, the Verilog include files the array testbenches share (tb.v,
    /// stream_tb.v, ws_tb.v, ws_stream_tb.v `include them): pass it to `iverilog -I`.
    public var verilogIncludes: URL { directory.deletingLastPathComponent().appendingPathComponent("common") }

    /// The text of a testbench file.
    public func text(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw HarnessError("cannot read testbench \(url.path)") }
        return String(decoding: data, as: UTF8.self)
    }
}
