import AntgenDSL
import AntgenExamples
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// Builds the generated counter with Verilator and checks 1,000 cycles, resets
/// included, against a Swift model of a counter.
@Suite struct CounterSimulationTests {
    @Test func verilatedCounterMatchesTheModelFor1000Cycles() throws {
        let dir = try temporaryDirectory("counter-sim")
        defer { try? FileManager.default.removeItem(at: dir) }
        let design = try elaborate(Counter(width: 8))
        try VerilogBackend().write(design, to: dir)
        let testbench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/counter/counter_tb.cpp").path
        let build = try ExternalTool.verilator.run(
            ["--cc", "--exe", "--build", "-j", "2", "-Wall", "--top-module", "Counter_width8",
             "-Mdir", "obj_dir", "-o", "counter_sim", "Counter_width8.v", testbench] + verilatorOptimization(), in: dir)
        try #require(build.status == 0, "verilator build failed:\n\(build.output)")

        let process = Process()
        process.executableURL = dir.appendingPathComponent("obj_dir/counter_sim")
        process.arguments = ["1000", "12345"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let lines = output.split(separator: "\n")
        #expect(lines.count == 1000)
        var model: Int? = nil  // unknown until the first reset
        var resets = 0, enabledCycles = 0, checked = 0
        for (i, line) in lines.enumerated() {
            let fields = line.split(separator: " ").compactMap { Int($0) }
            try #require(fields.count == 4, "bad line \(line)")
            #expect(fields[0] == i)
            let reset = fields[1] == 1, enable = fields[2] == 1, count = fields[3]
            if let expected = model {
                #expect(count == expected, "cycle \(i): count \(count), model \(expected)")
                checked += 1
            }
            if reset { resets += 1 } else if enable { enabledCycles += 1 }
            // The register's next value: reset wins, enable increments (wrapping at 256).
            if reset { model = 0 } else if let m = model, enable { model = (m + 1) & 0xFF }
        }
        #expect(checked == 999)
        #expect(resets > 2)  // resets happened mid-stream, not only at the start
        #expect(enabledCycles > 256)  // the counter wrapped at least once
    }
}
