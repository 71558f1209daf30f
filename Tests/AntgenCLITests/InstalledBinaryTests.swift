import Foundation
import Testing

/// An installed `antgen` (the executable plus its resource bundle copied out of the build
/// folder) verifies from any folder: the testbenches come from the bundle beside it.
@Suite struct InstalledBinaryTests {
    static let bundleName = "antgen_AntgenHarness.resources"

    /// `antgen` and its bundle copied into a fresh folder; returns (folder, copied antgen).
    static func install() throws -> (folder: URL, antgen: URL) {
        let folder = try CommandLineTests.temporaryFolder("installed")
        let built = CommandLineTests.antgen
        let fm = FileManager.default
        try fm.copyItem(at: built, to: folder.appendingPathComponent("antgen"))
        try fm.copyItem(at: built.deletingLastPathComponent().appendingPathComponent(bundleName),
                        to: folder.appendingPathComponent(bundleName))
        try fm.createDirectory(at: folder.appendingPathComponent("work"), withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("antgen"))
    }

    /// Runs `antgen` at `program` in `directory`; returns (status, stdout + stderr).
    static func run(_ program: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static let verify = ["verify", "--rows", "2", "--cols", "2", "--cases", "10", "--sim", "icarus"]

    @Test func aCopiedBinaryWithItsBundleVerifiesOutsideTheCheckout() throws {
        let (folder, antgen) = try Self.install()
        defer { try? FileManager.default.removeItem(at: folder) }
        let work = folder.appendingPathComponent("work")
        let passed = try Self.run(antgen, Self.verify, in: work)
        #expect(passed.status == 0 && passed.output.contains(" passed, 0 failed"), "\(passed.output)")
        // The copy's own bundle is the one read: without its Icarus testbench the run fails.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("\(Self.bundleName)/Testbenches/harness/tb.v"))
        let broken = try Self.run(antgen, Self.verify, in: work)
        #expect(broken.status == 1 && broken.output.contains("\(folder.lastPathComponent)/\(Self.bundleName)/Testbenches/harness/tb.v"), "\(broken.output)")
    }
}
