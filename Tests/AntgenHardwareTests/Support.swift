import AntgenDSL
import AntgenHardware
import AntgenNumerics
import AntgenSupport
import AntgenVerilog
import Foundation
import Testing

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The C++ optimisation arguments of a test's own Verilator build: `-CFLAGS -O1` by default;
/// `ANTGEN_VERILATOR_OPT=-O0` (set by `make test`) compiles everything at -O0 instead,
/// Verilator's run-time library included (its make variables default to -Os), for these
/// short runs the cheaper build.
func verilatorOptimization(extraCFlags: [String] = []) -> [String] {
    if ProcessInfo.processInfo.environment["ANTGEN_VERILATOR_OPT"] == "-O0" {
        return ["-CFLAGS", (["-O0"] + extraCFlags).joined(separator: " "), "-MAKEFLAGS", "OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0"]
    }
    return ["-CFLAGS", (["-O1"] + extraCFlags).joined(separator: " ")]
}

/// A fresh temporary directory; the caller removes it.
func temporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("antgen-hw-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Parameters for tests, with the spec's default K.
func arrayParameters(_ rows: Int, _ cols: Int, act: [AntType] = [.int, .flint, .pot, .float],
                     weight: [AntType]? = nil, accumulatorWidth: Int = 32, int8: Bool = true,
                     codeWidth: Int = 4) throws -> ArrayParameters {
    try ArrayParameters(rows: rows, cols: cols, codeWidth: codeWidth, activationTypes: act,
                        weightTypes: weight ?? act, accumulatorWidth: accumulatorWidth, int8: int8)
}

/// Elaborates `circuit`, writes it to `directory` and returns the design.
@discardableResult
func emit(_ circuit: some Circuit, to directory: URL) throws -> Design {
    let design = try elaborate(circuit)
    try VerilogBackend().write(design, to: directory)
    return design
}

/// Builds a Verilator simulation of `top` (class `Vdut`) with `testbench` and extra
/// C++ flags; returns the executable. Fails the test with the tool output on error.
func buildSimulation(in directory: URL, top: String, testbench: String, cflags: [String] = []) throws -> URL {
    let files = try String(contentsOf: directory.appendingPathComponent("\(top).f"), encoding: .utf8)
        .split(separator: "\n").map(String.init)
    let bench = repositoryRoot.appendingPathComponent("Sources/AntgenHarness/Testbenches/pe/\(testbench)").path
    var arguments = ["--cc", "--exe", "--build", "-j", "2", "-Wall", "--top-module", top, "--prefix", "Vdut",
                     "-Mdir", "obj_dir", "-o", "sim"] + files + [bench]
    arguments += verilatorOptimization(extraCFlags: ["-I\(directory.path)"] + cflags)
    let result = try ExternalTool.verilator.run(arguments, in: directory)
    try #require(result.status == 0, "verilator build failed:\n\(result.output.suffix(3000))")
    return directory.appendingPathComponent("obj_dir/sim")
}

/// Runs an executable with `input` on stdin; returns stdout lines.
func run(_ executable: URL, arguments: [String] = [], input: String = "") throws -> [Substring] {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    try process.run()
    // Feed stdin from another thread so a large output cannot deadlock the pipes.
    let data = Data(input.utf8)
    let writer = Thread {
        stdin.fileHandleForWriting.write(data)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(executable.lastPathComponent) exited with \(process.terminationStatus)")
    return String(decoding: output, as: UTF8.self).split(separator: "\n")
}

/// A deterministic pseudo-random generator (xorshift64*), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 2_685_821_657_736_338_717
    }
}
