import AntgenHarness
import Foundation
import Testing

/// The Verilator build's cache key covers every testbench file a harness build reads: the
/// harness itself and every header it includes from Testbenches/harness, so an edit to a
/// shared header never reuses a stale binary.
@Suite struct TestbenchCacheKeyTests {
    /// A copy of the Testbenches resource (harness, ws, common) to edit.
    static func copyOfTestbenches() throws -> (root: URL, sources: TestbenchSources) {
        let root = try temporaryDirectory("tb-key")
        let original = try TestbenchSources.locate().root
        for folder in ["harness", "ws", "common"] {
            try FileManager.default.copyItem(at: original.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        return (root, TestbenchSources(directory: root.appendingPathComponent("harness")))
    }

    @Test(arguments: ["harness/harness.cpp", "harness/vectors.h", "harness/stream.h", "harness/vector_run.h", "ws/ws_harness.cpp"])
    func everyHarnessFileIsInTheKey(_ file: String) throws {
        let (root, sources) = try Self.copyOfTestbenches()
        defer { try? FileManager.default.removeItem(at: root) }
        let builder = VerilatorBuilder(cacheDirectory: root.appendingPathComponent("cache"), testbenches: sources)
        let request = BuildRequest(parameters: try parameters(2, 2, act: [.int, .pot], w: 16), dataflow: .ws)
        let design = try GeneratedDesign(request)
        let before = try builder.cacheKey(design, flags: [], dataflow: .ws)
        #expect(try builder.cacheKey(design, flags: [], dataflow: .ws) == before)
        let url = root.appendingPathComponent(file)
        let handle = try FileHandle(forWritingTo: url)
        handle.seekToEndOfFile()
        handle.write(Data("// edited\n".utf8))
        try handle.close()
        #expect(try builder.cacheKey(design, flags: [], dataflow: .ws) != before, "\(file) is not in the cache key")
    }
}
